import { addDays, addYears } from '../../common/dates';
import { RuleScenarios, Scenario, scenario, ScenarioOptions } from './scenario';

/**
 * INCOME_OVER 收入超标: household income per evaluation member over 48,000 a year (a month's
 * contribution or deposit base × 12, or an economic check within a year). Only the tenant earns,
 * so the per-capita figure is the planted one. Variants: contributions, a check, deposits above a
 * lower contribution base, a member's death lowering n; clean: exactly 4,000 a month per member,
 * a check just over a year old.
 */
const alone = (name: string, expect: Scenario['expect'], plant: Scenario['plant'], extra: ScenarioOptions = {}) =>
  scenario(name, expect, plant, { tenantOnlyIncome: true, ...extra });

export const incomeOverScenarios: RuleScenarios = {
  rule: 'INCOME_OVER',
  scenarios: [
    alone('income_over_contribution', ['INCOME_OVER'], (p) => p.records.contributions(p.tenant, p.months12, 4000 * p.n() + 1)),
    alone('income_at_threshold', [], (p) => p.records.contributions(p.tenant, p.months12, 4000 * p.n())),
    alone('income_over_economic_check', ['INCOME_OVER'], (p) => p.records.economicCheck(p.tenant, addDays(p.asOf, -200), 48000 * p.n() + 120, 10000)),
    alone('income_economic_check_stale', [], (p) => p.records.economicCheck(p.tenant, addDays(addYears(p.asOf, -1), -5), 48000 * p.n() + 120, 10000)),
    alone('income_over_deposit_base', ['INCOME_OVER'], (p) => {
      p.records.contributions(p.tenant, p.months12, 3000);
      p.records.deposits(p.tenant, p.months12, 4000 * p.n() + 1);
    }),
    alone(
      'income_over_member_died',
      ['INCOME_OVER'],
      (p) => {
        p.records.death(p.spouse!, addDays(p.asOf, -120));
        p.records.contributions(p.tenant, p.months12, 4001);
      },
      { shape: { spouse: true, size: 2 } },
    ),
  ],
};
