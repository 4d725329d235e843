import { ref, round2 } from '../snapshot';
import { finding, fmt, newest, Rule, yearsBefore } from './rule';

/** ASSETS_OVER 资产超标: Σ of each member's newest economic check financialAssets (within two years) > threshold. */
export const assetsOver: Rule = (ctx) => {
  const since = yearsBefore(ctx.asOf, ctx.policy.p.economicCheckAssetsYears);
  const parts = ctx.ev.members
    .map((m) => {
      const checks = (ctx.s.recordsByPerson.get(m.personId) ?? []).filter((r) => r.kind === 'economic-check' && r.personId === m.personId && r.data.financialAssets != null).map((r) => ({ r }));
      const c = newest(checks, (r) => r.data.checkDate, ctx.asOf, since);
      return c ? { personId: m.personId, financialAssets: c.r.data.financialAssets as number, checkDate: c.r.data.checkDate, r: c.r } : null;
    })
    .filter((x): x is NonNullable<typeof x> => !!x);
  const total = round2(parts.reduce((a, p) => a + p.financialAssets, 0));
  const threshold = ctx.policy.p.financialAssets;
  if (!(total > threshold)) return null;
  return finding(ctx, 'ASSETS_OVER', {
    values: { financialAssets: total, persons: parts.map((p) => ({ personId: p.personId, financialAssets: p.financialAssets, checkDate: p.checkDate })) },
    thresholds: { financialAssets: threshold, comparison: '>' },
    records: parts.map((p) => ref(p.r)),
    explanation: `家庭金融资产合计${fmt(total)}元，超过${fmt(threshold)}元标准`,
  });
};
