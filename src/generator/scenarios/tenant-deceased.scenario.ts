import { addDays } from '../../common/dates';
import { Planting, RuleScenarios, scenario } from './scenario';

/**
 * TENANT_DECEASED 承租人死亡: the tenant died and no other evaluation member is an adult. Variants:
 * alone, with a child of 17; clean: a child who is 18 on as-of (a 承租人变更 task, not a finding).
 */
const died = (p: Planting) => p.records.death(p.tenant, addDays(p.asOf, -60));

export const tenantDeceasedScenarios: RuleScenarios = {
  rule: 'TENANT_DECEASED',
  scenarios: [
    scenario('tenant_deceased_alone', ['TENANT_DECEASED'], died, { shape: { size: 1 } }),
    scenario('tenant_deceased_minor_child', ['TENANT_DECEASED'], died, { shape: { size: 2, minorChild: 17 } }),
    scenario('tenant_deceased_child_turns_18', [], died, { shape: { size: 2, minorChild: 18 } }),
  ],
};
