import { deathRecord } from '../evaluation-members';
import { ref } from '../snapshot';
import { finding, isLocal, newest, Rule } from './rule';

/** HUKOU_OUT 户籍迁出: the living 承租人's newest hukou event is 迁出 to a non-local region, or 注销 (not a death). */
export const hukouOut: Rule = (ctx) => {
  if (ctx.policy.p.hukouExemptCategories.includes(ctx.s.category)) return null;
  const tenant = ctx.s.members.find((m) => m.relation === 'tenant');
  if (!tenant) return null;
  const records = ctx.s.recordsByPerson.get(tenant.personId) ?? [];
  if (deathRecord(records, ctx.asOf)) return null;
  const last = newest(records.filter((r) => r.kind === 'hukou' && r.personId === tenant.personId).map((r) => ({ r })), (r) => r.data.eventDate, ctx.asOf);
  if (!last) return null;
  const { event, regionCode, eventDate } = last.r.data;
  const out = (event === '迁出' && !isLocal(regionCode, ctx)) || event === '注销';
  if (!out) return null;
  return finding(ctx, 'HUKOU_OUT', {
    values: { event, regionCode, eventDate, category: ctx.s.category },
    thresholds: { localCity: ctx.policy.city, exemptCategories: ctx.policy.p.hukouExemptCategories },
    records: [ref(last.r)],
    explanation: event === '注销' ? `承租人户籍已注销（${eventDate}）` : `承租人户籍已迁出本市至${regionCode}（${eventDate}）`,
  });
};
