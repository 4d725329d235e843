import type { RuleCode } from '../../eligibility/rules/rule';
import type { DeclarationMatter, HouseholdCategory, HouseholdStatus } from '../../registry/vocabulary';
import type { HouseholdDraft, Member, Person } from '../draft';
import type { HouseholdRecords } from '../records';
import type { Rng } from '../rng';

/**
 * A planted case of the synthetic city: the household shape it needs, the records it plants into
 * a clean household of that shape, and the findings the engine must then produce (none: the
 * household must stay clean, e.g. exactly at or just short of a threshold).
 */
export interface Scenario {
  name: string;
  /** The rule codes the engine must find for the household (written to expected/findings.jsonl). */
  expect: RuleCode[];
  /** Expected sublet score and level where the scenario sets one (else 0, low). */
  sublet?: { score: number; level: 'medium' | 'high' | 'low' };
  /** Household status (default 在保). */
  status?: HouseholdStatus;
  /** Household shape the scenario needs. */
  shape?: { spouse?: boolean; size?: number; minorChild?: 17 | 18; category?: HouseholdCategory };
  /** Only the tenant earns (income scenarios control the per-capita figure). */
  tenantOnlyIncome?: boolean;
  /** The tenant declared the matter (主动申报) before the run. */
  declares?: DeclarationMatter;
  plant(p: Planting): void;
}

/** What a scenario plants into: a clean household of its shape, its people, the city's record makers. */
export interface Planting {
  readonly d: HouseholdDraft;
  readonly rng: Rng;
  /** The household's index in the city. */
  readonly index: number;
  readonly asOf: string;
  /** The 12 months before as-of (YYYY-MM), oldest first. */
  readonly months12: string[];
  readonly tenant: Member;
  readonly spouse: Member | undefined;
  /** Lease start; for a waiting household, the date it joined the waiting list. */
  readonly start: string;
  /** A date 20 to 300 days before as-of (drawn for every household). */
  readonly lastYear: string;
  /** Makes records into this household. */
  readonly records: HouseholdRecords;
  /** Evaluation members as planted so far. */
  n(): number;
  /** A new person aged minAge to maxAge, of no household. */
  personAged(minAge: number, maxAge: number): Person;
  /** A new person aged 25 to 50, of no household. */
  stranger(): Person;
  /** A second, clean household of the same index (code suffix D) and this status, written after this one. */
  twin(status: HouseholdStatus): HouseholdDraft;
}

/** One rule code's scenarios (one file per code, like src/eligibility/rules/). */
export interface RuleScenarios {
  rule: RuleCode;
  scenarios: Scenario[];
}

/** What a scenario sets besides its name, findings and planting. */
export type ScenarioOptions = Omit<Scenario, 'name' | 'expect' | 'plant'>;

export const scenario = (name: string, expect: RuleCode[], plant: Scenario['plant'], extra: ScenarioOptions = {}): Scenario => ({
  name,
  expect,
  ...extra,
  plant,
});

/** A timestamp for a record version (updatedAt) on a day. */
export const at = (day: string, time = '09:00:00'): string => `${day}T${time}+08:00`;
