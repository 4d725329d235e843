import type { RuleCode } from '../../eligibility/rules/rule';
import type { UtilitiesPattern } from '../draft';
import { RuleScenarios, scenario } from './scenario';

/**
 * VACANT 空置 (在保 only): electricity below 10 kWh and water below 1 m³ in each of the last 6
 * months. The scenario names the unit's meter pattern (the readings are written last, in
 * meters.ts). Variants: one account, two electricity accounts adding up; clean: one month at
 * exactly 10 kWh, a month with no electricity reading.
 */
const readings = (pattern: UtilitiesPattern, expect: RuleCode[]) =>
  scenario(pattern, expect, (p) => {
    p.d.utilities = pattern;
  });

export const vacantScenarios: RuleScenarios = {
  rule: 'VACANT',
  scenarios: [
    readings('vacant', ['VACANT']),
    readings('vacant_two_accounts', ['VACANT']),
    readings('vacant_one_month_at_10', []),
    readings('vacant_missing_month', []),
  ],
};
