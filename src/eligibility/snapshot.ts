/** The plain data a rule sees: one household, its people and their department records. No I/O. */

export interface RecordRef {
  source: string;
  recordId: string;
  updatedAt: string;
}

export interface DeptRecord extends RecordRef {
  kind: string;
  personId: number | null;
  otherPersonId: number | null;
  recordDate: string | null;
  period: string | null;
  // Department fields, normalised at ingest (feeds.md section 3).
  data: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface SnapshotPerson {
  personId: number;
  idNo: string;
  name: string | null;
  birthDate: string;
}

export interface SnapshotMember extends SnapshotPerson {
  relation: 'tenant' | 'spouse' | 'child' | 'parent' | 'other';
}

export interface HouseholdSnapshot {
  householdId: number;
  householdCode: string;
  status: 'active' | 'waiting';
  category: string;
  leaseStart: string | null;
  queuedOn: string | null;
  unitId: number | null;
  members: SnapshotMember[];
  /** Members, and persons married to a member by a marriage record. */
  persons: Map<number, SnapshotPerson>;
  /** Each person's records (as subject, or as the spouse of a marriage record). */
  recordsByPerson: Map<number, DeptRecord[]>;
  /** Residence registrations and meter readings matched to the household's unit. */
  unitRecords: DeptRecord[];
  /** Death records of persons registered at the unit who are not members. */
  residentDeaths: Map<number, DeptRecord[]>;
  arrears: { monthsInArrears: number; amount: number | null; asOf: string }[];
  /** Person → codes of the other 在保 households the person is a member of. */
  otherActiveHouseholds: Map<number, string[]>;
}

export const ref = (r: RecordRef): RecordRef => ({ source: r.source, recordId: r.recordId, updatedAt: r.updatedAt });
export const round2 = (n: number) => Math.round(n * 100) / 100;
