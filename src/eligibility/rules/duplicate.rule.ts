import { finding, Rule } from './rule';

/** DUPLICATE 重复享受: a member of this 在保 household is a member of another 在保 household. */
export const duplicate: Rule = (ctx) => {
  if (ctx.s.status !== 'active') return null;
  const shared = ctx.s.members
    .map((m) => ({ personId: m.personId, relation: m.relation, others: ctx.s.otherActiveHouseholds.get(m.personId) ?? [] }))
    .filter((x) => x.others.length);
  if (!shared.length) return null;
  return finding(ctx, 'DUPLICATE', {
    values: { persons: shared },
    thresholds: { activeHouseholdsPerPerson: 1 },
    records: [],
    explanation: `家庭成员同时为其他在保家庭成员（${[...new Set(shared.flatMap((s) => s.others))].join('、')}）`,
  });
};
