import type { RuleCode } from '../../eligibility/rules/rule';
import { arrearsScenarios } from './arrears.scenario';
import { assetsOverScenarios } from './assets-over.scenario';
import { businessScenarios } from './business.scenario';
import { duplicateScenarios } from './duplicate.scenario';
import { housingAcquiredScenarios } from './housing-acquired.scenario';
import { housingAreaScenarios } from './housing-area.scenario';
import { hukouOutScenarios } from './hukou-out.scenario';
import { incomeOverScenarios } from './income-over.scenario';
import { RuleScenarios, Scenario, scenario } from './scenario';
import { subletScenarios } from './sublet.scenario';
import { tenantDeceasedScenarios } from './tenant-deceased.scenario';
import { vacantScenarios } from './vacant.scenario';
import { vehicleScenarios } from './vehicle.scenario';

export type { Planting, RuleScenarios, Scenario } from './scenario';

/** Every rule code of policy.md with its planted scenarios, by code (as src/eligibility/rules/index.ts). */
export const RULE_SCENARIOS: Record<RuleCode, RuleScenarios> = {
  HOUSING_AREA: housingAreaScenarios,
  HOUSING_ACQUIRED: housingAcquiredScenarios,
  INCOME_OVER: incomeOverScenarios,
  ASSETS_OVER: assetsOverScenarios,
  VEHICLE: vehicleScenarios,
  BUSINESS: businessScenarios,
  HUKOU_OUT: hukouOutScenarios,
  TENANT_DECEASED: tenantDeceasedScenarios,
  DUPLICATE: duplicateScenarios,
  SUBLET: subletScenarios,
  VACANT: vacantScenarios,
  ARREARS: arrearsScenarios,
};

const ALL = Object.values(RULE_SCENARIOS).flatMap((r) => r.scenarios);
/** The scenarios of waiting and exited households, in the order they close the list. */
const TAIL = ['waiting_vehicle', 'waiting_acquired', 'waiting_works_elsewhere', 'exited_vehicle'];
const named = (name: string): Scenario => {
  const found = ALL.find((s) => s.name === name);
  if (!found) throw new Error(`no scenario named ${name}`);
  return found;
};

/**
 * Every planted scenario, in the order households take them: household i < SCENARIOS.length
 * plants SCENARIOS[i], later ones pick from this list (seeded). The order is part of the city
 * (the same arguments write the same files): the 在保 scenarios rule by rule, then TAIL.
 */
export const SCENARIOS: Scenario[] = [...ALL.filter((s) => !s.status), ...TAIL.map(named)];
if (SCENARIOS.length !== ALL.length) throw new Error('every scenario of a waiting or exited household must be listed in TAIL');

/** A household with nothing planted (most of the city): it must stay clean. */
export const CLEAN: Scenario = scenario('clean', [], () => undefined);
