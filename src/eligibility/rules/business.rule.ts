import { ref, round2 } from '../snapshot';
import { finding, fmt, inForce, memberRecords, Rule } from './rule';

/** BUSINESS 工商登记: 存续 enterprise, 法定代表人 capital ≥ threshold, or 股东 capital × ratio ≥ threshold. */
export const business: Rule = (ctx) => {
  const threshold = ctx.policy.p.businessCapital;
  const hits = memberRecords(ctx, 'market-supervision', ['enterprise'])
    .filter(({ r }) => inForce(r.data.establishedOn, { on: r.data.cancelledOn, status: r.data.status !== '存续' }, ctx.asOf))
    .map(({ personId, r }) => {
      const capital = r.data.registeredCapital as number | null;
      const counted =
        r.data.role === '法定代表人' ? capital : r.data.role === '股东' && capital != null && r.data.shareRatio != null ? (capital * r.data.shareRatio) / 100 : null;
      return { personId, r, counted: counted === null ? null : round2(counted), exact: counted };
    })
    .filter((x) => x.exact != null && x.exact >= threshold - 1e-9);
  if (!hits.length) return null;
  return finding(ctx, 'BUSINESS', {
    values: { enterprises: hits.map((h) => ({ personId: h.personId, role: h.r.data.role, registeredCapital: h.r.data.registeredCapital, shareRatio: h.r.data.shareRatio, countedCapital: h.counted, status: h.r.data.status })) },
    thresholds: { businessCapital: threshold, comparison: '≥' },
    records: hits.map((h) => ref(h.r)),
    explanation: hits.map((h) => `家庭成员为存续企业${h.r.data.role}，计算出资${fmt(h.counted!)}元`).join('；') + `，达到${fmt(threshold)}元标准`,
  });
};
