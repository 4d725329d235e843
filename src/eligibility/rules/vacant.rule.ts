import { finding, fmt, months, Rule } from './rule';
import { monthlyUsage } from './sublet.rule';

/** VACANT 空置: electricity and water readings for each of the last 6 months, every month below both thresholds. */
export const vacant: Rule = (ctx) => {
  if (ctx.s.status !== 'active' || ctx.s.unitId === null) return null;
  const p = ctx.policy.p.vacant;
  const window = months(ctx, p.months);
  const elec = monthlyUsage(ctx.s.unitRecords, 'electricity', window);
  const water = monthlyUsage(ctx.s.unitRecords, 'water', window);
  if (elec.size < window.length || water.size < window.length) return null;
  const low = window.every((m) => elec.get(m)!.usage < p.electricityBelow && water.get(m)!.usage < p.waterBelow);
  if (!low) return null;
  return finding(ctx, 'VACANT', {
    values: { months: window.map((m) => ({ month: m, electricityKwh: elec.get(m)!.usage, waterM3: water.get(m)!.usage })) },
    thresholds: { electricityBelow: p.electricityBelow, waterBelow: p.waterBelow, months: p.months },
    records: window.flatMap((m) => [...elec.get(m)!.refs, ...water.get(m)!.refs]),
    explanation: `近${p.months}个月每月用电均低于${fmt(p.electricityBelow)}度、用水均低于${fmt(p.waterBelow)}吨，疑似空置，需入户核查`,
  });
};
