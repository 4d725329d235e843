import { addDays } from '../../common/dates';
import { dropResidence } from '../draft';
import { at, Planting, RuleScenarios, scenario } from './scenario';

/**
 * VEHICLE 车辆超标: an evaluation member's normal, 非营运, non-motorcycle vehicle bought for over
 * 100,000. Variants: 0.01 over, declared by the household, a spouse married but not registered,
 * a waiting household; clean: exactly 100,000, a motorcycle, 营运, deregistered, a newer
 * (deregistered) version sent before the older one, a divorced spouse's car, a marriage after
 * as-of, an exited household.
 */
const boughtFor = (invoicePrice: number) => (p: Planting) => {
  p.records.vehicle(p.tenant, { invoicePrice });
};

export const vehicleScenarios: RuleScenarios = {
  rule: 'VEHICLE',
  scenarios: [
    scenario('vehicle_over', ['VEHICLE'], boughtFor(100000.01)),
    scenario(
      'vehicle_over_declared',
      ['VEHICLE'],
      (p) => {
        boughtFor(150000)(p);
        p.d.declarations.push({ idNo: p.tenant.idNo, matter: 'vehicle', on: addDays(p.asOf, -40), note: '家庭新购车辆，主动申报' });
      },
      { declares: 'vehicle' },
    ),
    scenario('vehicle_at_threshold', [], boughtFor(100000)),
    scenario('vehicle_motorcycle', [], (p) => {
      p.records.vehicle(p.tenant, { vehicleType: '摩托车', invoicePrice: 150000 });
    }),
    scenario('vehicle_commercial', [], (p) => {
      p.records.vehicle(p.tenant, { usage: '营运', vehicleType: '货车', invoicePrice: 250000 });
    }),
    scenario('vehicle_deregistered', [], (p) => {
      p.records.vehicle(p.tenant, { invoicePrice: 300000, status: 'deregistered', deregisteredOn: addDays(p.asOf, -90) });
    }),
    scenario('vehicle_superseded_version', [], (p) => {
      // The newer version (deregistered) arrives before the older one: the newer must stand.
      const newer = p.records.vehicle(p.tenant, { invoicePrice: 200000, status: 'deregistered', deregisteredOn: addDays(p.asOf, -30) }, { updatedAt: at(addDays(p.asOf, -10), '12:00:00') });
      p.records.vehicle(p.tenant, { invoicePrice: 200000 }, { recordId: newer.recordId, updatedAt: at(addDays(p.asOf, -200), '12:00:00') });
    }),
    scenario(
      'vehicle_unregistered_spouse',
      ['VEHICLE'],
      (p) => {
        const x = p.stranger();
        p.records.marriage(p.tenant, x, 'married', addDays(p.start, 60), p.rng.chance(0.5));
        p.d.extraEvaluationMembers.push(x);
        p.records.vehicle(x, { invoicePrice: 180000 });
      },
      { shape: { spouse: false } },
    ),
    scenario(
      'vehicle_divorced_spouse',
      [],
      (p) => {
        const spouse = p.spouse!;
        // The ex-spouse has moved out: no residence registration at the unit.
        dropResidence(p.d, spouse);
        p.records.marriage(p.tenant, spouse, 'divorced', addDays(p.asOf, -100), p.rng.chance(0.5));
        p.d.excluded.add(spouse.idNo);
        p.records.vehicle(spouse, { invoicePrice: 200000 });
      },
      { shape: { spouse: true } },
    ),
    scenario(
      'vehicle_marriage_after_asof',
      [],
      (p) => {
        const x = p.stranger();
        p.records.marriage(p.tenant, x, 'married', addDays(p.asOf, 10), false);
        p.records.vehicle(x, { invoicePrice: 180000 });
      },
      { shape: { spouse: false } },
    ),
    // Waiting list and exited households.
    scenario('waiting_vehicle', ['VEHICLE'], boughtFor(150000), { status: 'waiting' }),
    scenario('exited_vehicle', [], boughtFor(150000), { status: 'exited' }),
  ],
};
