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
  data: RecordData;
}

/**
 * A record's department fields, normalised at ingest (feeds.md section 3; src/sources/definitions),
 * as the snapshot reader gives them: every field of the record's kind is present, null when the
 * department left it empty; a field of another kind is absent. Names, ID numbers, free text and
 * `period` (a column of its own) stay in the database.
 */
export interface RecordData {
  // Dates: ISO `YYYY-MM-DD`.
  /** marriage, hukou. */
  eventDate?: string | null;
  /** death. */
  deathDate?: string | null;
  /** economic-check. */
  checkDate?: string | null;
  /** assistance. */
  validFrom?: string | null;
  /** assistance, residence. */
  validTo?: string | null;
  /** loan. */
  issuedOn?: string | null;
  /** withdrawal. */
  withdrawnOn?: string | null;
  /** enterprise. */
  establishedOn?: string | null;
  /** property. */
  acquiredOn?: string | null;
  /** enterprise, property. */
  cancelledOn?: string | null;
  /** residence, vehicle. */
  registeredOn?: string | null;
  /** vehicle. */
  deregisteredOn?: string | null;

  // Amounts (元), areas (m²), shares (percent, 0-100): numbers.
  /** economic-check. */
  annualIncome?: number | null;
  /** economic-check. */
  financialAssets?: number | null;
  /** contribution. */
  contributionBase?: number | null;
  /** deposit. */
  depositBase?: number | null;
  /** loan, withdrawal, pension. */
  amount?: number | null;
  /** enterprise. */
  registeredCapital?: number | null;
  /** enterprise. */
  shareRatio?: number | null;
  /** property. */
  floorArea?: number | null;
  /** property. */
  sharePercent?: number | null;
  /** vehicle. */
  invoicePrice?: number | null;

  // Enumerations and codes: strings.
  /** Six-digit region: contribution, pension, deposit, property, hukou. */
  regionCode?: string | null;
  /** marriage: married | divorced; hukou: 迁入 | 迁出 | 注销. */
  event?: string | null;
  /** assistance: 低保 | 特困 | 低收入. */
  assistanceType?: string | null;
  /** loan: 购房 | 建房 | 翻修 | 其他. */
  purpose?: string | null;
  /** withdrawal: 购房 | 建房 | 租房 | 离职 | 退休 | 其他. */
  reason?: string | null;
  /** enterprise: 法定代表人 | 股东 | 个体工商户经营者. */
  role?: string | null;
  /** property: 购买 | 继承 | 受赠 | 自建 | 其他. */
  acquisitionType?: string | null;
  /** meter: water | electricity | gas. */
  utility?: string | null;
  /** vehicle: 小型汽车 | 大型汽车 | 货车 | 摩托车 | 其他. */
  vehicleType?: string | null;
  /** loan: active | settled; enterprise: 存续 | 注销 | 吊销; property: valid | cancelled; vehicle: normal | deregistered. */
  status?: string | null;
  /** property: 住宅 | 商业 | 办公 | 车位 | 其他 and vehicle: 非营运 | 营运 (strings); meter: the reading (a number). */
  usage?: string | number | null;
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
