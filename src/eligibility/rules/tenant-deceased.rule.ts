import { ageAt } from '../../common/identity';
import { deathRecord } from '../evaluation-members';
import { ref } from '../snapshot';
import { finding, Rule } from './rule';

/** TENANT_DECEASED 承租人死亡: the 承租人 died and no other evaluation member is an adult. */
export const tenantDeceased: Rule = (ctx) => {
  const tenant = ctx.s.members.find((m) => m.relation === 'tenant');
  if (!tenant) return null;
  const death = deathRecord(ctx.s.recordsByPerson.get(tenant.personId), ctx.asOf);
  if (!death) return null;
  const adults = ctx.ev.members.filter((m) => ageAt(m.birthDate, ctx.asOf) >= ctx.policy.p.adultAge);
  if (adults.length) return null; // a 承租人变更 task, not an exit (see tenantChangeTask)
  return finding(ctx, 'TENANT_DECEASED', {
    values: { deathDate: death.data.deathDate, survivingMembers: ctx.ev.members.map((m) => ({ personId: m.personId, age: ageAt(m.birthDate, ctx.asOf) })) },
    thresholds: { adultAge: ctx.policy.p.adultAge },
    records: [ref(death)],
    explanation: `承租人已死亡（${death.data.deathDate}），家庭无其他成年成员`,
  });
};

/** The 承租人 died and another adult lives: a 承租人变更 task. */
export function tenantChangeTask(ctx: Parameters<typeof tenantDeceased>[0]) {
  const tenant = ctx.s.members.find((m) => m.relation === 'tenant');
  if (!tenant) return null;
  const death = deathRecord(ctx.s.recordsByPerson.get(tenant.personId), ctx.asOf);
  if (!death) return null;
  const adults = ctx.ev.members.filter((m) => ageAt(m.birthDate, ctx.asOf) >= ctx.policy.p.adultAge);
  if (!adults.length) return null;
  return { code: 'TENANT_CHANGE', name: '承租人变更', records: [ref(death)], candidates: adults.map((a) => a.personId), explanation: `承租人已死亡（${death.data.deathDate}），由成年家庭成员办理承租人变更` };
}
