import { addDays, addYears } from '../../common/dates';
import { RuleScenarios, scenario } from './scenario';

/**
 * ASSETS_OVER 资产超标: Σ of each member's newest economic check (within two years) over 150,000
 * in financial assets. The planted checks are the newest (a clean household's own check is 30+
 * days old). Variants: one check, split between tenant and spouse; clean: exactly 150,000, a
 * check over two years old.
 */
export const assetsOverScenarios: RuleScenarios = {
  rule: 'ASSETS_OVER',
  scenarios: [
    scenario('assets_over', ['ASSETS_OVER'], (p) => p.records.economicCheck(p.tenant, addDays(p.asOf, -10), 20000, 150000.01)),
    scenario(
      'assets_over_split',
      ['ASSETS_OVER'],
      (p) => {
        p.records.economicCheck(p.tenant, addDays(p.asOf, -10), 20000, 100000);
        p.records.economicCheck(p.spouse!, addDays(p.asOf, -500), 10000, 50000.01);
      },
      { shape: { spouse: true } },
    ),
    scenario('assets_at_threshold', [], (p) => p.records.economicCheck(p.tenant, addDays(p.asOf, -10), 20000, 150000)),
    scenario('assets_stale_check', [], (p) => p.records.economicCheck(p.tenant, addDays(addYears(p.asOf, -2), -10), 20000, 400000)),
  ],
};
