import { ref } from '../snapshot';
import { finding, fmt, inForce, memberRecords, Rule } from './rule';

/** VEHICLE 车辆超标: a normal, 非营运, non-motorcycle vehicle with invoicePrice > threshold. */
export const vehicle: Rule = (ctx) => {
  const threshold = ctx.policy.p.vehiclePrice;
  const cars = memberRecords(ctx, 'vehicle', ['vehicle']).filter(
    ({ r }) =>
      r.data.usage === '非营运' &&
      r.data.vehicleType !== '摩托车' &&
      r.data.invoicePrice != null &&
      r.data.invoicePrice > threshold &&
      inForce(r.data.registeredOn, { on: r.data.deregisteredOn, status: r.data.status === 'deregistered' }, ctx.asOf),
  );
  if (!cars.length) return null;
  const spouseNote = cars.some(({ personId }) => ctx.ev.members.find((m) => m.personId === personId)?.relation === 'unregistered_spouse')
    ? '（车主为婚姻登记显示的未登记配偶）'
    : '';
  return finding(ctx, 'VEHICLE', {
    values: { vehicles: cars.map(({ personId, r }) => ({ personId, vehicleType: r.data.vehicleType, usage: r.data.usage, invoicePrice: r.data.invoicePrice, registeredOn: r.data.registeredOn })) },
    thresholds: { vehiclePrice: threshold, comparison: '>' },
    records: cars.map(({ r }) => ref(r)),
    explanation: `家庭成员名下有购置价格${cars.map(({ r }) => fmt(r.data.invoicePrice!)).join('、')}元的非营运车辆，超过${fmt(threshold)}元标准${spouseNote}`,
  });
};
