import { addDays } from '../../common/dates';
import { ELSEWHERE } from '../city';
import { at, Planting, RuleScenarios, scenario } from './scenario';

/**
 * HOUSING_AREA 住房超标: local 住宅 in force at as-of, Σ floor area × share per evaluation member
 * ≥ 15 m². Every home here was owned 400 days before the lease (not a HOUSING_ACQUIRED case).
 * Variants: exactly at the threshold, a 20 % share of the spouse's, cancelled only after as-of;
 * clean: 0.01 m² short, cancelled, outside the city, a record withdrawn by a later delete.
 */
const beforeLease = (p: Planting) => addDays(p.start, -400);

export const housingAreaScenarios: RuleScenarios = {
  rule: 'HOUSING_AREA',
  scenarios: [
    scenario('housing_area_at_threshold', ['HOUSING_AREA'], (p) => {
      p.records.property(p.tenant, { floorArea: 15 * p.n(), sharePercent: p.rng.chance(0.5) ? 100 : null, acquiredOn: beforeLease(p) });
    }),
    scenario(
      'housing_area_shared',
      ['HOUSING_AREA'],
      (p) => {
        p.records.property(p.spouse!, { floorArea: 75 * p.n(), sharePercent: 20, acquiredOn: beforeLease(p) });
      },
      { shape: { spouse: true } },
    ),
    scenario('housing_area_cancel_after_asof', ['HOUSING_AREA'], (p) => {
      p.records.property(p.tenant, { floorArea: 100 * p.n(), status: 'cancelled', cancelledOn: addDays(p.asOf, 20), acquiredOn: beforeLease(p) });
    }),
    scenario('housing_area_just_under', [], (p) => {
      p.records.property(p.tenant, { floorArea: Math.round((15 * p.n() - 0.01) * 100) / 100, acquiredOn: beforeLease(p) });
    }),
    scenario('housing_area_cancelled', [], (p) => {
      p.records.property(p.tenant, { floorArea: 120, status: 'cancelled', cancelledOn: addDays(p.asOf, -30), acquiredOn: beforeLease(p) });
    }),
    scenario('housing_area_non_local', [], (p) => {
      p.records.property(p.tenant, { floorArea: 200, regionCode: ELSEWHERE, address: '上海市徐汇区某路8号', acquiredOn: beforeLease(p) });
    }),
    scenario('housing_area_withdrawn_record', [], (p) => {
      const r = p.records.property(p.tenant, { floorArea: 200, acquiredOn: beforeLease(p) }, { updatedAt: at(addDays(p.asOf, -60)) });
      p.records.rec('property', 'property', {}, { recordId: r.recordId, op: 'delete', updatedAt: at(addDays(p.asOf, -20)) });
    }),
  ],
};
