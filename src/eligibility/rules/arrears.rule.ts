import { finding, Rule } from './rule';

/** ARREARS 欠租: the newest arrears record (as of the evaluation date) shows ≥ threshold months. */
export const arrears: Rule = (ctx) => {
  if (ctx.s.status !== 'active') return null;
  const newest = ctx.s.arrears.filter((a) => a.asOf <= ctx.asOf).sort((a, b) => (a.asOf < b.asOf ? 1 : -1))[0];
  const threshold = ctx.policy.p.arrearsMonths;
  if (!newest || newest.monthsInArrears < threshold) return null;
  return finding(ctx, 'ARREARS', {
    values: { monthsInArrears: newest.monthsInArrears, amount: newest.amount, asOf: newest.asOf },
    thresholds: { arrearsMonths: threshold, comparison: '≥' },
    records: [{ source: 'registry', recordId: `arrears:${ctx.s.householdCode}:${newest.asOf}`, updatedAt: newest.asOf }],
    explanation: `截至${newest.asOf}欠租${newest.monthsInArrears}个月${newest.amount != null ? `（${newest.amount}元）` : ''}，达到${threshold}个月`,
  });
};
