import { addDays } from '../../common/dates';
import { RuleScenarios, scenario } from './scenario';

/**
 * BUSINESS 工商登记: an evaluation member in an enterprise 存续 at as-of, as 法定代表人 with a
 * registered capital ≥ 100,000, or as 股东 with capital × share ≥ 100,000. Clean: a 股东 at
 * 19.99 %, a 个体工商户经营者, an enterprise cancelled before as-of.
 */
export const businessScenarios: RuleScenarios = {
  rule: 'BUSINESS',
  scenarios: [
    scenario('business_legal_rep', ['BUSINESS'], (p) => p.records.enterprise(p.tenant, { role: '法定代表人', registeredCapital: 100000 })),
    scenario('business_shareholder', ['BUSINESS'], (p) => p.records.enterprise(p.tenant, { role: '股东', registeredCapital: 500000, shareRatio: 20 })),
    scenario('business_shareholder_under', [], (p) => p.records.enterprise(p.tenant, { role: '股东', registeredCapital: 500000, shareRatio: 19.99 })),
    scenario('business_individual', [], (p) => p.records.enterprise(p.tenant, { role: '个体工商户经营者', registeredCapital: 2000000 })),
    scenario('business_cancelled', [], (p) => {
      p.records.enterprise(p.tenant, { role: '法定代表人', registeredCapital: 5000000, status: '注销', cancelledOn: addDays(p.asOf, -60) });
    }),
  ],
};
