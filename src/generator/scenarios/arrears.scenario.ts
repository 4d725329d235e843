import { addDays } from '../../common/dates';
import type { HouseholdDraft } from '../draft';
import { Planting, RuleScenarios, scenario } from './scenario';

/**
 * ARREARS 欠租 (在保 only): the newest arrears record of the ledger shows 6 months or more. Clean:
 * 5 months, 8 months in an older record that a newer one (2 months) replaces.
 */
const owes = (...records: { months: number; amount: number; daysBefore: number }[]) => (p: Planting) => {
  p.d.arrears = records.map((r): HouseholdDraft['arrears'][number] => ({ months: r.months, amount: r.amount, asOf: addDays(p.asOf, -r.daysBefore) }));
};

export const arrearsScenarios: RuleScenarios = {
  rule: 'ARREARS',
  scenarios: [
    scenario('arrears_6_months', ['ARREARS'], owes({ months: 6, amount: 4800, daysBefore: 10 })),
    scenario('arrears_5_months', [], owes({ months: 5, amount: 4000, daysBefore: 10 })),
    scenario('arrears_older_record', [], owes({ months: 8, amount: 6400, daysBefore: 100 }, { months: 2, amount: 1600, daysBefore: 10 })),
  ],
};
