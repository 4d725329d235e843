import { addDays, addYears } from '../common/dates';
import { ageAt } from '../common/identity';
import type { HouseholdCategory, HouseholdStatus } from '../registry/vocabulary';
import { ELSEWHERE, REGION, unitFor } from './city';
import type { HouseholdDraft, Member } from './draft';
import type { CityRecords } from './records';
import type { Rng } from './rng';
import { CLEAN, Scenario } from './scenarios/index';

const CATEGORIES: HouseholdCategory[] = ['dibao', 'low_income', 'low_income', 'lower_middle_income', 'lower_middle_income', 'new_employee', 'migrant_worker'];

/**
 * Household i as a clean household of the scenario's shape and status: members, a marriage
 * record, incomes under the thresholds, the odd small car, parking space, home elsewhere, shop,
 * residence registrations and small arrears. The scenario plants its case into it afterwards.
 * A suffix makes a second household of the same index (the twin of a DUPLICATE scenario).
 */
export function cleanHousehold(city: CityRecords, i: number, rng: Rng, sc: Scenario, suffix = '', statusOverride?: HouseholdStatus): HouseholdDraft {
  const asOf = city.asOf;
  const status = statusOverride ?? sc.status ?? (sc === CLEAN ? (rng.chance(0.8) ? 'active' : rng.chance(0.75) ? 'waiting' : 'exited') : 'active');
  let category = rng.pick(CATEGORIES);
  if (sc.shape?.category) category = sc.shape.category;
  const leaseStart = status === 'waiting' ? null : addDays(asOf, -rng.int(400, 2000));
  const d: HouseholdDraft = {
    code: `HH${String(i).padStart(7, '0')}${suffix}`,
    status,
    category,
    unit: status === 'waiting' ? null : unitFor(i, suffix),
    leaseStart,
    leaseEnd: leaseStart ? (status === 'exited' ? addDays(asOf, -rng.int(30, 300)) : addYears(leaseStart, 3)) : null,
    queuedOn: status === 'waiting' ? addDays(asOf, -rng.int(200, 900)) : leaseStart ? addDays(leaseStart, -rng.int(100, 400)) : null,
    members: [],
    extraEvaluationMembers: [],
    excluded: new Set(),
    records: [],
    declarations: [],
    arrears: [],
    handover: null,
    expect: [...sc.expect],
    sublet: sc.sublet ?? { score: 0, level: 'low' },
    scenario: sc.name,
    utilities: status === 'active' ? 'normal' : 'none',
  };
  if (status === 'exited') d.handover = addDays(d.leaseEnd!, rng.int(1, 20));
  const records = city.of(d);

  // Members
  const size = Math.max(sc.shape?.size ?? rng.pick([1, 2, 2, 3, 3, 3, 4, 4]), sc.shape?.spouse ? 2 : 1);
  const tenant: Member = { ...city.personAged(rng, 28, 58), relation: 'tenant' };
  d.members.push(tenant);
  const wantsSpouse = sc.shape?.spouse ?? (size >= 2 && rng.chance(0.7));
  if (sc.shape?.minorChild) {
    const birth = sc.shape.minorChild === 18 ? addYears(asOf, -18) : addDays(addYears(asOf, -18), 30);
    d.members.push({ ...city.person(rng, birth), relation: 'child' });
  } else {
    if (wantsSpouse && size >= 2) d.members.push({ ...city.personAged(rng, 28, 58), relation: 'spouse' });
    while (d.members.length < size) {
      const parent = rng.chance(0.25);
      d.members.push(parent ? { ...city.personAged(rng, 62, 85), relation: 'parent' } : { ...city.personAged(rng, 1, 24), relation: 'child' });
    }
  }
  const spouse = d.members.find((m) => m.relation === 'spouse');
  if (spouse) records.marriage(tenant, spouse, 'married', addDays(d.queuedOn ?? asOf, -rng.int(400, 4000)), rng.chance(0.3));

  // Clean incomes: every adult's monthly base stays ≤ 3,900 (per capita < 48,000).
  if (!sc.tenantOnlyIncome) {
    for (const m of d.members) {
      const age = ageAt(m.birth, asOf);
      if (m.relation === 'parent' || age >= 62) {
        if (rng.chance(0.8)) records.pensions(m, rng.money(1200, 2500));
      } else if (age >= 18 && rng.chance(m.relation === 'tenant' ? 0.7 : 0.5)) {
        const base = rng.money(1800, 3900);
        records.contributions(m, city.months12, base);
        if (rng.chance(0.3)) records.deposits(m, city.months12, Math.min(base, rng.money(1500, 3900)));
      }
    }
    if (rng.chance(0.4)) records.economicCheck(tenant, addDays(asOf, -rng.int(30, 330)), rng.money(15000, 38000), rng.money(0, 60000));
  }
  // Clean assets and registrations.
  if (rng.chance(0.15)) records.vehicle(tenant, { invoicePrice: rng.money(30000, 95000) });
  else if (rng.chance(0.06)) records.vehicle(tenant, { vehicleType: '摩托车', invoicePrice: rng.money(4000, 20000) });
  if (rng.chance(0.05)) records.property(tenant, { usage: '车位', floorArea: rng.money(12, 30), acquisitionType: '购买' });
  if (rng.chance(0.03)) records.property(tenant, { regionCode: ELSEWHERE, floorArea: rng.money(60, 120), address: '上海市浦东新区某路1号' });
  if (rng.chance(0.05)) records.enterprise(tenant, { role: '个体工商户经营者', enterpriseName: '石狮市某服装店', registeredCapital: rng.money(20000, 500000) });
  if (rng.chance(0.3)) records.hukou(tenant, '迁入', REGION, addDays(d.queuedOn ?? asOf, -rng.int(300, 3000)));
  if (category === 'dibao') records.assistance(tenant, '低保', addDays(asOf, -rng.int(200, 1500)));
  if (d.status === 'active' && d.unit) {
    for (const m of d.members) {
      if (rng.chance(0.6)) records.residence(m, d.unit, addDays(d.leaseStart!, rng.int(1, 60)), null, rng.chance(0.2) ? rng.pick(d.unit.variants) : undefined);
    }
  }
  if (rng.chance(0.05) && d.status === 'active') d.arrears.push({ months: rng.int(1, 3), amount: rng.money(300, 1500), asOf: addDays(asOf, -rng.int(5, 60)) });
  return d;
}
