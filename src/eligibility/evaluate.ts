import { effectivePolicy, PolicyDocument } from '../policy/policy.schema';
import { evaluationMembers } from './evaluation-members';
import { RULES } from './rules';
import type { Finding } from './rules/rule';
import { assessSublet } from './rules/sublet.rule';
import { tenantChangeTask } from './rules/tenant-deceased.rule';
import type { HouseholdSnapshot } from './snapshot';

export interface Verdict {
  householdId: number;
  householdCode: string;
  findings: Finding[];
  subletScore: number | null;
  subletLevel: 'high' | 'medium' | 'low' | null;
  tasks: NonNullable<ReturnType<typeof tenantChangeTask>>[];
  evaluationMembers: { personId: number; relation: string; addedBy?: unknown }[];
  excludedMembers: { personId: number; relation: string; reason: string }[];
}

/** Evaluates every rule for one household snapshot. Pure. */
export function evaluateHousehold(s: HouseholdSnapshot, asOf: string, doc: PolicyDocument): Verdict {
  const policy = effectivePolicy(doc, s.category);
  const ev = evaluationMembers(s, asOf);
  const ctx = { s, asOf, policy, ev };
  const findings: Finding[] = [];
  for (const rule of Object.values(RULES)) {
    const f = rule(ctx);
    if (f) findings.push(f);
  }
  const sublet = s.status === 'active' && s.unitId !== null ? assessSublet(ctx) : null;
  const task = tenantChangeTask(ctx);
  return {
    householdId: s.householdId,
    householdCode: s.householdCode,
    findings,
    subletScore: sublet?.score ?? null,
    subletLevel: sublet?.level ?? null,
    tasks: task ? [task] : [],
    evaluationMembers: ev.members.map((m) => ({ personId: m.personId, relation: m.relation, addedBy: m.addedBy })),
    excludedMembers: ev.excluded.map((e) => ({ personId: e.personId, relation: e.relation, reason: e.reason })),
  };
}
