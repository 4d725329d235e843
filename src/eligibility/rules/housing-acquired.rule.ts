import { ref } from '../snapshot';
import { finding, inForce, isLocal, memberRecords, Rule, startOf } from './rule';

/** HOUSING_ACQUIRED 新购住房: a local 住宅 acquired, a 购房/建房 loan or withdrawal, after the lease start. */
export const housingAcquired: Rule = (ctx) => {
  const start = startOf(ctx);
  if (!start) return null;
  const after = (d: string | null | undefined) => !!d && d > start && d <= ctx.asOf;
  const among = (values: string[], v: string | null | undefined) => v != null && values.includes(v);
  const evidence = [
    ...memberRecords(ctx, 'property', ['property'])
      .filter(
        ({ r }) =>
          r.data.usage === '住宅' &&
          isLocal(r.data.regionCode, ctx) &&
          among(['购买', '继承', '受赠', '自建'], r.data.acquisitionType) &&
          after(r.data.acquiredOn) &&
          inForce(r.data.acquiredOn, { on: r.data.cancelledOn, status: r.data.status === 'cancelled' }, ctx.asOf),
      )
      .map(({ personId, r }) => ({ personId, what: `取得住宅（${r.data.acquisitionType}，${r.data.acquiredOn}）`, r })),
    ...memberRecords(ctx, 'housing-fund', ['loan'])
      .filter(({ r }) => among(['购房', '建房'], r.data.purpose) && after(r.data.issuedOn))
      .map(({ personId, r }) => ({ personId, what: `公积金${r.data.purpose}贷款（${r.data.issuedOn}）`, r })),
    ...memberRecords(ctx, 'housing-fund', ['withdrawal'])
      .filter(({ r }) => among(['购房', '建房'], r.data.reason) && after(r.data.withdrawnOn))
      .map(({ personId, r }) => ({ personId, what: `公积金${r.data.reason}提取（${r.data.withdrawnOn}）`, r })),
  ];
  if (!evidence.length) return null;
  return finding(ctx, 'HOUSING_ACQUIRED', {
    values: { since: start, events: evidence.map((e) => ({ personId: e.personId, event: e.what, record: ref(e.r) })) },
    thresholds: { after: ctx.s.status === 'waiting' ? 'queuedOn' : 'leaseStart' },
    records: evidence.map((e) => ref(e.r)),
    explanation: `${ctx.s.status === 'waiting' ? '轮候登记' : '租赁起始'}（${start}）后：${evidence.map((e) => e.what).join('；')}`,
  });
};
