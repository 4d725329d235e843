import { addDays } from '../../common/dates';
import { ELSEWHERE } from '../city';
import { dropIncome } from '../draft';
import { Planting, RuleScenarios, scenario } from './scenario';

/**
 * SUBLET 转租转借 (在保 only): a suspicion score from non-members registered at the unit (50 each,
 * at most 60), the tenant working only outside the city in 6 of the last 12 months (30), and
 * electricity of 300 kWh a month per evaluation member (20); medium from 30, high from 60.
 * Variants: two strangers, a stranger registered by address text without code and heavy use, one
 * stranger, work elsewhere (with heavy use); clean: heavy use alone, 5 months elsewhere, months
 * elsewhere with a local deposit, an expired registration, a waiting household working elsewhere.
 */
const worksElsewhere = (monthsAway: number, heavyUse = false) => (p: Planting) => {
  dropIncome(p.d, p.tenant);
  p.records.contributions(p.tenant, p.months12.slice(0, monthsAway), 3000, ELSEWHERE);
  p.records.contributions(p.tenant, p.months12.slice(monthsAway), 3000);
  if (heavyUse) p.d.utilities = 'power';
};

export const subletScenarios: RuleScenarios = {
  rule: 'SUBLET',
  scenarios: [
    scenario(
      'sublet_two_strangers',
      ['SUBLET'],
      (p) => {
        for (let k = 0; k < 2; k++) p.records.residence(p.stranger(), p.d.unit!, p.lastYear, null);
      },
      { sublet: { score: 60, level: 'high' } },
    ),
    scenario(
      'sublet_stranger_and_power',
      ['SUBLET'],
      (p) => {
        p.records.residence(p.stranger(), p.d.unit!, p.lastYear, null, p.rng.pick(p.d.unit!.variants));
        p.d.utilities = 'power';
      },
      { sublet: { score: 70, level: 'high' } },
    ),
    scenario(
      'sublet_one_stranger',
      ['SUBLET'],
      (p) => p.records.residence(p.stranger(), p.d.unit!, p.lastYear, p.rng.chance(0.5) ? addDays(p.asOf, 200) : null),
      { sublet: { score: 50, level: 'medium' } },
    ),
    scenario('sublet_works_elsewhere', ['SUBLET'], worksElsewhere(6), { sublet: { score: 30, level: 'medium' } }),
    scenario('sublet_works_elsewhere_and_power', ['SUBLET'], worksElsewhere(6, true), { sublet: { score: 50, level: 'medium' } }),
    scenario(
      'sublet_power_only',
      [],
      (p) => {
        p.d.utilities = 'power';
      },
      { sublet: { score: 20, level: 'low' } },
    ),
    scenario('sublet_elsewhere_five_months', [], worksElsewhere(5)),
    scenario('sublet_elsewhere_with_local', [], (p) => {
      dropIncome(p.d, p.tenant);
      p.records.contributions(p.tenant, p.months12.slice(0, 8), 3000, ELSEWHERE);
      p.records.deposits(p.tenant, p.months12.slice(0, 8), 2000);
      p.records.contributions(p.tenant, p.months12.slice(8), 3000);
    }),
    scenario('sublet_expired_registration', [], (p) => p.records.residence(p.stranger(), p.d.unit!, addDays(p.asOf, -400), addDays(p.asOf, -30))),
    // Waiting list: no unit to sublet.
    scenario('waiting_works_elsewhere', [], worksElsewhere(12), { status: 'waiting' }),
  ],
};
