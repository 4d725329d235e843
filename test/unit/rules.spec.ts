import { evaluateHousehold } from '../../src/eligibility/evaluate';
import { evaluationMembers } from '../../src/eligibility/evaluation-members';
import type { DeptRecord, HouseholdSnapshot, SnapshotMember, SnapshotPerson } from '../../src/eligibility/snapshot';
import { lastMonths } from '../../src/common/dates';
import { REFERENCE_POLICY } from '../../src/policy/reference-policy';

const AS_OF = '2026-11-01';
let seq = 0;

function rec(source: string, kind: string, personId: number | null, data: Record<string, unknown>, extra: Partial<DeptRecord> = {}): DeptRecord {
  return { source, kind, recordId: `R${++seq}`, updatedAt: '2026-10-01T00:00:00.000Z', personId, otherPersonId: null, recordDate: null, period: (data.period as string) ?? null, data, ...extra };
}

function household(opts: { members?: Partial<SnapshotMember>[]; records?: DeptRecord[]; unitRecords?: DeptRecord[]; status?: 'active' | 'waiting'; category?: string; extraPersons?: number[] } = {}): HouseholdSnapshot {
  const members: SnapshotMember[] = (opts.members ?? [{}]).map((m, i) => ({
    personId: i + 1,
    idNo: `ID${i + 1}`,
    name: `P${i + 1}`,
    birthDate: '1980-01-01',
    relation: i === 0 ? 'tenant' : 'child',
    ...m,
  }));
  const persons = new Map<number, SnapshotPerson>(members.map((m) => [m.personId, m]));
  for (const id of opts.extraPersons ?? []) persons.set(id, { personId: id, idNo: `ID${id}`, name: `X${id}`, birthDate: '1985-01-01' });
  const byPerson = new Map<number, DeptRecord[]>();
  for (const r of opts.records ?? []) {
    for (const p of [r.personId, r.otherPersonId]) if (p !== null) byPerson.set(p, [...(byPerson.get(p) ?? []), r]);
  }
  return {
    householdId: 1,
    householdCode: 'HH1',
    status: opts.status ?? 'active',
    category: opts.category ?? 'low_income',
    leaseStart: '2023-01-01',
    queuedOn: '2022-06-01',
    unitId: 10,
    members,
    persons,
    recordsByPerson: byPerson,
    unitRecords: opts.unitRecords ?? [],
    residentDeaths: new Map(),
    arrears: [],
    otherActiveHouseholds: new Map(),
  };
}

const rules = (s: HouseholdSnapshot) => evaluateHousehold(s, AS_OF, REFERENCE_POLICY).findings.map((f) => f.code);
const months12 = lastMonths(AS_OF, 12);
const months6 = lastMonths(AS_OF, 6);
const house = (personId: number, floorArea: number, extra: Record<string, unknown> = {}) =>
  rec('property', 'property', personId, { usage: '住宅', regionCode: '350581', floorArea, sharePercent: null, acquiredOn: '2020-01-01', acquisitionType: '继承', status: 'valid', cancelledOn: null, ...extra });

describe('evaluation members', () => {
  it('drops the dead and a divorced spouse, adds an unregistered spouse married after the lease start', () => {
    const s = household({
      members: [{}, { relation: 'spouse' }, { relation: 'child' }],
      extraPersons: [9],
      records: [
        rec('civil-affairs', 'marriage', 1, { event: 'married', eventDate: '2010-01-01' }, { otherPersonId: 2 }),
        rec('civil-affairs', 'marriage', 2, { event: 'divorced', eventDate: '2025-05-01' }, { otherPersonId: 1 }),
        rec('civil-affairs', 'marriage', 9, { event: 'married', eventDate: '2025-09-01' }, { otherPersonId: 1 }),
        rec('civil-affairs', 'death', 3, { deathDate: '2026-01-01' }),
      ],
    });
    const ev = evaluationMembers(s, AS_OF);
    expect(ev.members.map((m) => [m.personId, m.relation])).toEqual([[1, 'tenant'], [9, 'unregistered_spouse']]);
    expect(ev.excluded.map((e) => [e.personId, e.reason])).toEqual([[2, 'divorced'], [3, 'deceased']]);
    expect(ev.members[1].addedBy).toMatchObject({ source: 'civil-affairs' });
  });

  it('ignores a marriage before the lease start, after asOf, or followed by a divorce', () => {
    for (const events of [
      [{ event: 'married', eventDate: '2022-01-01' }],
      [{ event: 'married', eventDate: '2026-11-02' }],
      [{ event: 'married', eventDate: '2024-01-01' }, { event: 'divorced', eventDate: '2025-01-01' }],
    ]) {
      const s = household({ extraPersons: [9], records: events.map((e) => rec('civil-affairs', 'marriage', 1, e, { otherPersonId: 9 })) });
      expect(evaluationMembers(s, AS_OF).n).toBe(1);
    }
  });

  it('a death after asOf has not happened yet', () => {
    const s = household({ records: [rec('civil-affairs', 'death', 1, { deathDate: '2026-11-02' })] });
    expect(evaluationMembers(s, AS_OF).n).toBe(1);
  });
});

describe('rules at their thresholds (reference policy)', () => {
  it('HOUSING_AREA fires at exactly 15 m² per capita, not at 14.995', () => {
    expect(rules(household({ members: [{}, {}], records: [house(1, 30)] }))).toEqual(['HOUSING_AREA']);
    expect(rules(household({ members: [{}, {}], records: [house(1, 29.99)] }))).toEqual([]);
    expect(rules(household({ records: [house(1, 75, { sharePercent: 20 })] }))).toEqual(['HOUSING_AREA']);
    expect(rules(household({ records: [house(1, 200, { regionCode: '310000' })] }))).toEqual([]);
    expect(rules(household({ records: [house(1, 200, { status: 'cancelled', cancelledOn: '2026-10-31' })] }))).toEqual([]);
    expect(rules(household({ records: [house(1, 200, { status: 'cancelled', cancelledOn: '2026-11-02' })] }))).toEqual(['HOUSING_AREA']);
    expect(rules(household({ records: [house(1, 200, { usage: '车位' })] }))).toEqual([]);
  });

  it('HOUSING_ACQUIRED: after the lease start (queue date while waiting), on or before asOf', () => {
    const loan = (issuedOn: string, purpose = '购房') => rec('housing-fund', 'loan', 1, { purpose, issuedOn });
    expect(rules(household({ records: [loan('2024-01-01')] }))).toEqual(['HOUSING_ACQUIRED']);
    expect(rules(household({ records: [loan('2022-12-31')] }))).toEqual([]);
    expect(rules(household({ records: [loan('2026-11-02')] }))).toEqual([]);
    expect(rules(household({ records: [loan('2024-01-01', '翻修')] }))).toEqual([]);
    expect(rules(household({ records: [rec('housing-fund', 'withdrawal', 1, { reason: '建房', withdrawnOn: '2024-05-01' })] }))).toEqual(['HOUSING_ACQUIRED']);
    expect(rules(household({ status: 'waiting', records: [loan('2022-07-01')] }))).toEqual(['HOUSING_ACQUIRED']);
    expect(rules(household({ records: [house(1, 10, { acquiredOn: '2024-01-01', acquisitionType: '购买' })] }))).toEqual(['HOUSING_ACQUIRED']);
  });

  it('INCOME_OVER: per-capita income above 48,000 (not at it); monthly max of bases; recent economic check', () => {
    const wage = (base: number, kind = 'contribution', field = 'contributionBase') => months12.map((period) => rec(kind === 'deposit' ? 'housing-fund' : 'social-security', kind, 1, { period, regionCode: '350581', [field]: base }));
    expect(rules(household({ members: [{}, {}], records: wage(8000) }))).toEqual([]);
    expect(rules(household({ members: [{}, {}], records: wage(8000.01) }))).toEqual(['INCOME_OVER']);
    expect(rules(household({ records: [...wage(3000), ...wage(4000.01, 'deposit', 'depositBase')] }))).toEqual(['INCOME_OVER']);
    const check = (checkDate: string) => rec('civil-affairs', 'economic-check', 1, { checkDate, annualIncome: 50000, financialAssets: 0 });
    expect(rules(household({ records: [check('2025-11-01')] }))).toEqual(['INCOME_OVER']);
    expect(rules(household({ records: [check('2025-10-31')] }))).toEqual([]);
  });

  it('ASSETS_OVER: the newest check per member within two years, summed, above 150,000', () => {
    const check = (personId: number, checkDate: string, financialAssets: number) => rec('civil-affairs', 'economic-check', personId, { checkDate, annualIncome: 0, financialAssets });
    expect(rules(household({ records: [check(1, '2026-01-01', 150000)] }))).toEqual([]);
    expect(rules(household({ records: [check(1, '2026-01-01', 150000.01)] }))).toEqual(['ASSETS_OVER']);
    expect(rules(household({ records: [check(1, '2025-01-01', 900000), check(1, '2026-01-01', 10)] }))).toEqual([]);
    expect(rules(household({ members: [{}, {}], records: [check(1, '2026-01-01', 100000), check(2, '2025-06-01', 50000.01)] }))).toEqual(['ASSETS_OVER']);
    expect(rules(household({ records: [check(1, '2024-10-31', 900000)] }))).toEqual([]);
  });

  it('VEHICLE: normal, 非营运, not a motorcycle, price above 100,000', () => {
    const car = (extra: Record<string, unknown>) => rec('vehicle', 'vehicle', 1, { vehicleType: '小型汽车', usage: '非营运', registeredOn: '2024-01-01', invoicePrice: 100000.01, status: 'normal', deregisteredOn: null, ...extra });
    expect(rules(household({ records: [car({})] }))).toEqual(['VEHICLE']);
    expect(rules(household({ records: [car({ invoicePrice: 100000 })] }))).toEqual([]);
    expect(rules(household({ records: [car({ vehicleType: '摩托车' })] }))).toEqual([]);
    expect(rules(household({ records: [car({ usage: '营运' })] }))).toEqual([]);
    expect(rules(household({ records: [car({ status: 'deregistered', deregisteredOn: '2026-10-01' })] }))).toEqual([]);
    expect(rules(household({ records: [car({ registeredOn: '2026-11-02' })] }))).toEqual([]);
  });

  it('BUSINESS: legal representative ≥ 100,000, shareholder capital × ratio ≥ 100,000, not 个体工商户', () => {
    const ent = (extra: Record<string, unknown>) => rec('market-supervision', 'enterprise', 1, { role: '法定代表人', registeredCapital: 100000, shareRatio: null, status: '存续', establishedOn: '2020-01-01', cancelledOn: null, ...extra });
    expect(rules(household({ records: [ent({})] }))).toEqual(['BUSINESS']);
    expect(rules(household({ records: [ent({ registeredCapital: 99999.99 })] }))).toEqual([]);
    expect(rules(household({ records: [ent({ role: '股东', registeredCapital: 500000, shareRatio: 20 })] }))).toEqual(['BUSINESS']);
    expect(rules(household({ records: [ent({ role: '股东', registeredCapital: 500000, shareRatio: 19.99 })] }))).toEqual([]);
    expect(rules(household({ records: [ent({ role: '个体工商户经营者', registeredCapital: 5000000 })] }))).toEqual([]);
    expect(rules(household({ records: [ent({ status: '注销', cancelledOn: '2026-01-01' })] }))).toEqual([]);
  });

  it('HUKOU_OUT: the living tenant\'s newest event is 迁出 out of the city, or 注销 without a death', () => {
    const hk = (event: string, regionCode: string, eventDate: string) => rec('public-security', 'hukou', 1, { event, regionCode, eventDate });
    expect(rules(household({ records: [hk('迁出', '310000', '2026-05-01')] }))).toEqual(['HUKOU_OUT']);
    expect(rules(household({ records: [hk('迁出', '350582', '2026-05-01')] }))).toEqual([]);
    expect(rules(household({ records: [hk('迁出', '310000', '2026-05-01'), hk('迁入', '350581', '2026-07-01')] }))).toEqual([]);
    expect(rules(household({ category: 'migrant_worker', records: [hk('迁出', '310000', '2026-05-01')] }))).toEqual([]);
    expect(rules(household({ records: [hk('注销', '350581', '2026-05-01')] }))).toEqual(['HUKOU_OUT']);
  });

  it('TENANT_DECEASED only without another adult (an adult turning 18 on asOf makes it a 承租人变更 task)', () => {
    const death = rec('civil-affairs', 'death', 1, { deathDate: '2026-09-01' });
    expect(rules(household({ records: [death] }))).toEqual(['TENANT_DECEASED']);
    expect(rules(household({ members: [{}, { birthDate: '2008-11-02' }], records: [death] }))).toEqual(['TENANT_DECEASED']);
    const adult = evaluateHousehold(household({ members: [{}, { birthDate: '2008-11-01' }], records: [death] }), AS_OF, REFERENCE_POLICY);
    expect(adult.findings).toEqual([]);
    expect(adult.tasks.map((t) => t.code)).toEqual(['TENANT_CHANGE']);
  });

  it('DUPLICATE flags a 在保 household sharing a member with another', () => {
    const s = household();
    s.otherActiveHouseholds.set(1, ['HH2']);
    expect(rules(s)).toEqual(['DUPLICATE']);
  });

  it('SUBLET: 50 per stranger (max 60), 30 for work elsewhere in ≥ 6 months, 20 for ≥ 300 kWh per person', () => {
    const stranger = (personId: number, validTo: string | null = null) => rec('public-security', 'residence', personId, { registeredOn: '2026-01-01', validTo });
    const elec = (usage: number) => months6.map((period) => rec('utilities', 'meter', null, { utility: 'electricity', period, usage }));
    const work = (away: number) => months12.map((period, i) => rec('social-security', 'contribution', 1, { period, regionCode: i < away ? '310000' : '350581', contributionBase: 3000 }));
    const score = (s: HouseholdSnapshot) => evaluateHousehold(s, AS_OF, REFERENCE_POLICY);
    expect(score(household({ unitRecords: [stranger(50), stranger(51)] }))).toMatchObject({ subletScore: 60, subletLevel: 'high' });
    expect(score(household({ unitRecords: [stranger(50)] }))).toMatchObject({ subletScore: 50, subletLevel: 'medium' });
    expect(score(household({ unitRecords: [stranger(50, '2026-11-01')] }))).toMatchObject({ subletScore: 0 });
    expect(score(household({ unitRecords: [stranger(1)] }))).toMatchObject({ subletScore: 0 });
    expect(score(household({ records: work(6) }))).toMatchObject({ subletScore: 30, subletLevel: 'medium' });
    expect(score(household({ records: work(5) }))).toMatchObject({ subletScore: 0 });
    expect(score(household({ members: [{}, {}], unitRecords: elec(600) }))).toMatchObject({ subletScore: 20, subletLevel: 'low' });
    expect(score(household({ members: [{}, {}], unitRecords: elec(599.99) }))).toMatchObject({ subletScore: 0 });
    expect(rules(household({ unitRecords: [stranger(50), ...elec(300)] }))).toEqual(['SUBLET']);
    expect(rules(household({ status: 'waiting', records: work(12) }))).toEqual([]);
  });

  it('VACANT: every one of the last 6 months below 10 kWh and 1 m³ (readings summed over accounts)', () => {
    const readings = (elec: number[], water: number[]) => [
      ...elec.map((u, i) => rec('utilities', 'meter', null, { utility: 'electricity', period: months6[i], usage: u })),
      ...water.map((u, i) => rec('utilities', 'meter', null, { utility: 'water', period: months6[i], usage: u })),
    ];
    const six = (v: number) => Array<number>(6).fill(v);
    expect(rules(household({ unitRecords: readings(six(9.99), six(0.99)) }))).toEqual(['VACANT']);
    expect(rules(household({ unitRecords: readings([9, 9, 10, 9, 9, 9], six(0.5)) }))).toEqual([]);
    expect(rules(household({ unitRecords: readings(six(5), [0.5, 0.5, 0.5, 0.5, 0.5]) }))).toEqual([]);
    expect(rules(household({ unitRecords: [...readings(six(5), six(0.5)), ...readings(six(5), [])] }))).toEqual([]);
  });

  it('ARREARS: the newest record (as of the date) with ≥ 6 months', () => {
    const s = household();
    s.arrears = [{ monthsInArrears: 6, amount: 100, asOf: '2026-10-01' }];
    expect(rules(s)).toEqual(['ARREARS']);
    s.arrears = [{ monthsInArrears: 8, amount: 100, asOf: '2026-06-01' }, { monthsInArrears: 5, amount: 100, asOf: '2026-10-01' }];
    expect(rules(s)).toEqual([]);
  });

  it('every finding carries its values, threshold, policy version and records', () => {
    const f = evaluateHousehold(household({ members: [{}, {}], records: [house(1, 30)] }), AS_OF, REFERENCE_POLICY).findings[0];
    expect(f).toMatchObject({
      code: 'HOUSING_AREA',
      name: '住房超标',
      nature: 'eligibility',
      policyVersion: 'shishi-2026.1',
      values: { totalArea: 30, evaluationMembers: 2, areaPerCapita: 15 },
      thresholds: { housingAreaPerCapita: 15, comparison: '≥' },
    });
    expect(f.records).toHaveLength(1);
    expect(f.explanation).toContain('人均15㎡');
  });

  it('uses the parameters of the policy it is given (another city, another year)', () => {
    const strict = { ...REFERENCE_POLICY, version: 'x-2027', parameters: { ...REFERENCE_POLICY.parameters, vehiclePrice: 50000 } };
    const car = rec('vehicle', 'vehicle', 1, { vehicleType: '小型汽车', usage: '非营运', registeredOn: '2024-01-01', invoicePrice: 60000, status: 'normal' });
    expect(evaluateHousehold(household({ records: [car] }), AS_OF, strict).findings.map((x) => [x.code, x.policyVersion])).toEqual([['VEHICLE', 'x-2027']]);
    expect(rules(household({ records: [car] }))).toEqual([]);
  });
});
