import type { RuleCode } from '../eligibility/rules/rule';
import type { DeclarationMatter, HouseholdCategory, HouseholdStatus, Relation } from '../registry/vocabulary';

/** A generated household before it is written: its ledger rows, its department records, what the engine must find. */

export interface Person {
  idNo: string;
  name: string;
  birth: string;
}

export interface Member extends Person {
  relation: Relation;
  deceasedOn?: string;
}

export interface Unit {
  code: string;
  building: number;
  room: number;
  addressCode: string;
  addressText: string;
  /** The same address as other departments spell it (no code). */
  variants: string[];
}

export type Fields = Record<string, string | number | null>;

export interface FeedRecord {
  source: string;
  kind: string;
  recordId: string;
  updatedAt: string;
  op?: 'delete';
  fields: Fields;
}

/**
 * The unit's meter readings over the last 6 months (written last, from the evaluation-member
 * count): normal use, heavy use (a sublet signal), or the vacant patterns around the VACANT rule.
 */
export type UtilitiesPattern = 'normal' | 'power' | 'vacant' | 'vacant_two_accounts' | 'vacant_one_month_at_10' | 'vacant_missing_month' | 'none';

export interface Declaration {
  idNo: string;
  matter: DeclarationMatter;
  on: string;
  note: string;
}

export interface HouseholdDraft {
  code: string;
  status: HouseholdStatus;
  category: HouseholdCategory;
  unit: Unit | null;
  leaseStart: string | null;
  leaseEnd: string | null;
  queuedOn: string | null;
  members: Member[];
  /** Non-registered spouse by a recorded marriage (evaluation member). */
  extraEvaluationMembers: Person[];
  /** Registered members excluded from evaluation (divorced spouse). */
  excluded: Set<string>;
  records: FeedRecord[];
  declarations: Declaration[];
  arrears: { months: number; amount: number; asOf: string }[];
  handover: string | null;
  expect: RuleCode[];
  sublet: { score: number; level: string };
  scenario: string;
  utilities: UtilitiesPattern;
}

/** Living registered members not excluded, plus recorded spouses who are not registered. */
export function evaluationCount(d: HouseholdDraft): number {
  return d.members.filter((m) => !m.deceasedOn && !d.excluded.has(m.idNo)).length + d.extraEvaluationMembers.length;
}

/** Removes a person's income records (scenarios that control the tenant's work history). */
export function dropIncome(d: HouseholdDraft, p: Person): void {
  d.records = d.records.filter((r) => !((r.kind === 'contribution' || r.kind === 'deposit') && r.fields.idNo === p.idNo));
}

/** Removes a person's residence registrations (a member who has moved out). */
export function dropResidence(d: HouseholdDraft, p: Person): void {
  d.records = d.records.filter((r) => !(r.kind === 'residence' && r.fields.idNo === p.idNo));
}
