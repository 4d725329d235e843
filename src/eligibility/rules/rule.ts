import { addYears, lastMonths } from '../../common/dates';
import type { EffectivePolicy } from '../../policy/policy.schema';
import type { EvaluationResult } from '../evaluation-members';
import type { DeptRecord, HouseholdSnapshot, RecordRef } from '../snapshot';
import { RULE_NAMES, type RuleCode } from './rule-names';

export { RULE_NAMES, type RuleCode } from './rule-names';

/** 资格不符 (section A) or 违规 (section B). */
export const RULE_NATURE: Record<RuleCode, 'eligibility' | 'violation'> = {
  HOUSING_AREA: 'eligibility',
  HOUSING_ACQUIRED: 'eligibility',
  INCOME_OVER: 'eligibility',
  ASSETS_OVER: 'eligibility',
  VEHICLE: 'eligibility',
  BUSINESS: 'eligibility',
  HUKOU_OUT: 'eligibility',
  TENANT_DECEASED: 'eligibility',
  DUPLICATE: 'eligibility',
  SUBLET: 'violation',
  VACANT: 'violation',
  ARREARS: 'violation',
};

/** What a finding says: the values compared, the thresholds, the records, the policy version. */
export interface Finding {
  code: RuleCode;
  name: string;
  nature: 'eligibility' | 'violation';
  policyVersion: string;
  values: Record<string, unknown>;
  thresholds: Record<string, unknown>;
  records: RecordRef[];
  /** The reason as the bureau reads it. */
  explanation: string;
  level?: 'medium' | 'high';
  score?: number;
}

export interface RuleContext {
  s: HouseholdSnapshot;
  asOf: string;
  policy: EffectivePolicy;
  ev: EvaluationResult;
  /** Memoised look-ups shared by the rules of one evaluation. */
  memo?: Map<string, unknown>;
}

function memo<T>(ctx: RuleContext, key: string, make: () => T): T {
  ctx.memo ??= new Map();
  if (!ctx.memo.has(key)) ctx.memo.set(key, make());
  return ctx.memo.get(key) as T;
}

export type Rule = (ctx: RuleContext) => Finding | null;

export function finding(ctx: RuleContext, code: RuleCode, f: Omit<Finding, 'code' | 'name' | 'nature' | 'policyVersion'>): Finding {
  return { code, name: RULE_NAMES[code], nature: RULE_NATURE[code], policyVersion: ctx.policy.version, ...f };
}

/** Records of the evaluation members (as subject), of some kinds. */
export function memberRecords(ctx: RuleContext, source: string, kinds: string[]): { personId: number; r: DeptRecord }[] {
  return memo(ctx, `records|${source}|${kinds.join(',')}`, () => collectMemberRecords(ctx, source, kinds));
}

function collectMemberRecords(ctx: RuleContext, source: string, kinds: string[]): { personId: number; r: DeptRecord }[] {
  const out: { personId: number; r: DeptRecord }[] = [];
  for (const m of ctx.ev.members) {
    for (const r of ctx.s.recordsByPerson.get(m.personId) ?? []) {
      if (r.source === source && kinds.includes(r.kind) && r.personId === m.personId) out.push({ personId: m.personId, r });
    }
  }
  return out;
}

/** Began on or before asOf and not ended on or before asOf (an end without a date: ended). */
export function inForce(began: string | null | undefined, ended: { on: string | null | undefined; status: boolean }, asOf: string): boolean {
  if (began && began > asOf) return false;
  if (ended.on) return ended.on > asOf;
  return !ended.status;
}

export const isLocal = (regionCode: string | null | undefined, ctx: RuleContext) => !!regionCode && regionCode.slice(0, 4) === ctx.policy.city;

const monthsCache = new Map<string, string[]>();
export function months(_ctx: RuleContext, k: number): string[] {
  const key = `${_ctx.asOf}|${k}`;
  let m = monthsCache.get(key);
  if (!m) monthsCache.set(key, (m = lastMonths(_ctx.asOf, k)));
  return m;
}

/** The newest record by its own date among those dated on or before asOf. */
export function newest<T extends { r: DeptRecord }>(items: T[], dateOf: (r: DeptRecord) => string | null | undefined, asOf: string, since?: string): T | undefined {
  let best: T | undefined;
  for (const it of items) {
    const d = dateOf(it.r);
    if (!d || d > asOf || (since && d < since)) continue;
    const bd = best ? dateOf(best.r)! : '';
    if (!best || d > bd || (d === bd && it.r.updatedAt > best.r.updatedAt)) best = it;
  }
  return best;
}

export const yearsBefore = (asOf: string, years: number) => addYears(asOf, -years);

/** The date after which acquisitions count: the lease start, or the queue date while waiting. */
export const startOf = (ctx: RuleContext) => (ctx.s.status === 'waiting' ? ctx.s.queuedOn : (ctx.s.leaseStart ?? ctx.s.queuedOn));

const zhNumber = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });
export const fmt = (n: number) => zhNumber.format(n);
