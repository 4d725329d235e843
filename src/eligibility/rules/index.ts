import { arrears } from './arrears.rule';
import { assetsOver } from './assets-over.rule';
import { business } from './business.rule';
import { duplicate } from './duplicate.rule';
import { housingAcquired } from './housing-acquired.rule';
import { housingArea } from './housing-area.rule';
import { hukouOut } from './hukou-out.rule';
import { incomeOver } from './income-over.rule';
import type { Rule, RuleCode } from './rule';
import { sublet } from './sublet.rule';
import { tenantDeceased } from './tenant-deceased.rule';
import { vacant } from './vacant.rule';
import { vehicle } from './vehicle.rule';

/** Every rule of policy.md, by code. */
export const RULES: Record<RuleCode, Rule> = {
  HOUSING_AREA: housingArea,
  HOUSING_ACQUIRED: housingAcquired,
  INCOME_OVER: incomeOver,
  ASSETS_OVER: assetsOver,
  VEHICLE: vehicle,
  BUSINESS: business,
  HUKOU_OUT: hukouOut,
  TENANT_DECEASED: tenantDeceased,
  DUPLICATE: duplicate,
  SUBLET: sublet,
  VACANT: vacant,
  ARREARS: arrears,
};
