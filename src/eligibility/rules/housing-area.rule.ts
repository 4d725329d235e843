import { ref, round2 } from '../snapshot';
import { finding, inForce, isLocal, memberRecords, fmt, Rule } from './rule';

/** HOUSING_AREA 住房超标: Σ local valid 住宅 floorArea × share / n ≥ threshold. */
export const housingArea: Rule = (ctx) => {
  if (ctx.ev.n === 0) return null;
  const items = memberRecords(ctx, 'property', ['property']).filter(
    ({ r }) =>
      r.data.usage === '住宅' &&
      isLocal(r.data.regionCode, ctx) &&
      inForce(r.data.acquiredOn, { on: r.data.cancelledOn, status: r.data.status === 'cancelled' }, ctx.asOf),
  );
  if (!items.length) return null;
  const parts = items.map(({ personId, r }) => ({
    personId,
    area: round2(((r.data.floorArea ?? 0) * (r.data.sharePercent ?? 100)) / 100),
    floorArea: r.data.floorArea,
    sharePercent: r.data.sharePercent ?? 100,
    r,
  }));
  const exact = parts.reduce((a, p) => a + ((p.floorArea ?? 0) * p.sharePercent) / 100, 0);
  const threshold = ctx.policy.p.housingAreaPerCapita;
  // Compared unrounded (29.99 m² for 2 persons is 14.995, under 15); shown rounded.
  if (exact < threshold * ctx.ev.n - 1e-9) return null;
  const total = round2(exact);
  const perCapita = round2(exact / ctx.ev.n);
  return finding(ctx, 'HOUSING_AREA', {
    values: { totalArea: total, evaluationMembers: ctx.ev.n, areaPerCapita: perCapita, properties: parts.map((p) => ({ personId: p.personId, floorArea: p.floorArea, sharePercent: p.sharePercent, countedArea: p.area, record: ref(p.r) })) },
    thresholds: { housingAreaPerCapita: threshold, comparison: '≥' },
    records: parts.map((p) => ref(p.r)),
    explanation: `家庭在本市住宅面积合计${fmt(total)}㎡，人均${fmt(perCapita)}㎡（${ctx.ev.n}人），达到人均${fmt(threshold)}㎡标准`,
  });
};
