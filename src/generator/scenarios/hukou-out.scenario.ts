import { addDays } from '../../common/dates';
import { ELSEWHERE, NEARBY, REGION } from '../city';
import { Planting, RuleScenarios, scenario, Scenario } from './scenario';

/**
 * HUKOU_OUT 户籍迁出: the living tenant's newest hukou event is 迁出 to a non-local region (other
 * first 4 digits), or 注销. Households are 低收入 (the rule exempts 新就业职工 and 外来务工人员) unless
 * the scenario is about the exemption. Clean: moved to another county of the city, an exempt
 * 外来务工人员, moved out and back, 注销 after a recorded death.
 */
const lowIncome = (name: string, expect: Scenario['expect'], plant: Scenario['plant'], shape: Scenario['shape'] = {}) =>
  scenario(name, expect, plant, { shape: { category: 'low_income', ...shape } });
const movedAway = (p: Planting) => p.records.hukou(p.tenant, '迁出', ELSEWHERE, addDays(p.asOf, -90));

export const hukouOutScenarios: RuleScenarios = {
  rule: 'HUKOU_OUT',
  scenarios: [
    lowIncome('hukou_out_non_local', ['HUKOU_OUT'], movedAway),
    lowIncome('hukou_cancelled', ['HUKOU_OUT'], (p) => p.records.hukou(p.tenant, '注销', REGION, addDays(p.asOf, -90))),
    lowIncome('hukou_out_local', [], (p) => p.records.hukou(p.tenant, '迁出', NEARBY, addDays(p.asOf, -90))),
    scenario('hukou_out_migrant_worker', [], movedAway, { shape: { category: 'migrant_worker' } }),
    lowIncome('hukou_out_then_back', [], (p) => {
      p.records.hukou(p.tenant, '迁出', ELSEWHERE, addDays(p.asOf, -300));
      p.records.hukou(p.tenant, '迁入', REGION, addDays(p.asOf, -100));
    }),
    lowIncome(
      'hukou_cancelled_deceased',
      [],
      (p) => {
        p.records.death(p.tenant, addDays(p.asOf, -50));
        p.records.hukou(p.tenant, '注销', REGION, addDays(p.asOf, -45));
      },
      { spouse: true },
    ),
  ],
};
