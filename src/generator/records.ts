import { addDays, addYears, lastMonths } from '../common/dates';
import { makeIdNo } from '../common/identity';
import { GIVEN, LOCAL_REGIONS, REGION, SURNAMES } from './city';
import type { FeedRecord, Fields, Member, Person, Unit } from './draft';
import type { Rng } from './rng';

/** Record-id prefix of each source's records. */
const SOURCE_PREFIX: Record<string, string> = {
  'civil-affairs': 'MZ',
  property: 'BDC',
  vehicle: 'CG',
  'social-security': 'RS',
  'housing-fund': 'GJJ',
  'market-supervision': 'SC',
  'public-security': 'GA',
  utilities: 'SD',
};
const EMPLOYER = '石狮市某服装有限公司';

type RecordOptions = { updatedAt?: string; recordId?: string; op?: 'delete' };

/**
 * The city's people and record ids: ID numbers unique per birth date, record ids numbered per
 * source. One instance per generated city, so the same arguments give the same numbers.
 */
export class CityRecords {
  /** Persons made so far. */
  persons = 0;
  /** The 12 and the 6 months before as-of (YYYY-MM), oldest first. */
  readonly months12: string[];
  readonly months6: string[];
  private readonly idSeq = new Map<string, number>();
  private readonly recordSeq = new Map<string, number>();

  /** `written`: records written so far per source (vehicle plates are numbered from it). */
  constructor(
    readonly asOf: string,
    private readonly written: Readonly<Record<string, number>>,
  ) {
    this.months12 = lastMonths(asOf, 12);
    this.months6 = lastMonths(asOf, 6);
  }

  person(rng: Rng, birth: string): Person {
    const key = birth.replace(/-/g, '');
    const k = this.idSeq.get(key) ?? 0;
    this.idSeq.set(key, k + 1);
    const reg = LOCAL_REGIONS[Math.floor(k / 1000) % LOCAL_REGIONS.length];
    this.persons++;
    const given = rng.pick(GIVEN) + (rng.chance(0.6) ? rng.pick(GIVEN) : '');
    return { idNo: makeIdNo(reg, key, k % 1000), name: rng.pick(SURNAMES) + given, birth };
  }

  birthForAge(rng: Rng, minAge: number, maxAge: number): string {
    const age = rng.int(minAge, maxAge);
    return addDays(addYears(this.asOf, -age), -rng.int(1, 360));
  }

  /** A person aged between minAge and maxAge at as-of. */
  personAged(rng: Rng, minAge: number, maxAge: number): Person {
    return this.person(rng, this.birthForAge(rng, minAge, maxAge));
  }

  /** The record makers of one household (or of any list of records). */
  of(d: { records: FeedRecord[] }): HouseholdRecords {
    return new HouseholdRecords(this, d);
  }

  /** Records numbered so far for a source. */
  numbered(source: string): number {
    return this.recordSeq.get(source) ?? 0;
  }

  nextRecordId(source: string): string {
    const n = this.numbered(source) + 1;
    this.recordSeq.set(source, n);
    return `${SOURCE_PREFIX[source]}${String(n).padStart(9, '0')}`;
  }

  plateNo(): string {
    return `闽C${String(this.written.vehicle + this.numbered('vehicle')).padStart(5, '0')}`;
  }
}

/** Makes department records (feeds.md section 3) into one household's list. */
export class HouseholdRecords {
  constructor(
    private readonly city: CityRecords,
    private readonly d: { records: FeedRecord[] },
  ) {}

  rec(source: string, kind: string, fields: Fields, opts: RecordOptions = {}): FeedRecord {
    const recordId = opts.recordId || this.city.nextRecordId(source);
    const r: FeedRecord = { source, kind, recordId, updatedAt: opts.updatedAt ?? `${addDays(this.city.asOf, -3)}T10:00:00+08:00`, fields, op: opts.op };
    this.d.records.push(r);
    return r;
  }

  contributions(p: Person, months: string[], base: number, region = REGION): void {
    for (const m of months) {
      this.rec('social-security', 'contribution', {
        idNo: p.idNo, name: p.name, employerName: EMPLOYER, employerCreditCode: '91350581MA2XXXXX0Q', regionCode: region, period: m, contributionBase: base,
      });
    }
  }

  deposits(p: Person, months: string[], base: number, region = REGION): void {
    for (const m of months) {
      this.rec('housing-fund', 'deposit', { idNo: p.idNo, name: p.name, employerName: EMPLOYER, regionCode: region, period: m, depositBase: base });
    }
  }

  pensions(p: Person, amount: number): void {
    for (const m of this.city.months12) this.rec('social-security', 'pension', { idNo: p.idNo, name: p.name, regionCode: REGION, period: m, amount });
  }

  economicCheck(p: Person, checkDate: string, annualIncome: number | null, financialAssets: number | null): void {
    this.rec('civil-affairs', 'economic-check', { idNo: p.idNo, name: p.name, checkDate, annualIncome, financialAssets });
  }

  assistance(p: Person, assistanceType: string, validFrom: string): void {
    this.rec('civil-affairs', 'assistance', { idNo: p.idNo, name: p.name, assistanceType, validFrom, validTo: null });
  }

  vehicle(p: Person, f: Partial<Fields> & { invoicePrice: number }, opts?: RecordOptions): FeedRecord {
    const fields: Fields = {
      ownerIdNo: p.idNo, ownerName: p.name, plateNo: this.city.plateNo(), vehicleType: '小型汽车', usage: '非营运', registeredOn: addYears(this.city.asOf, -3),
      status: 'normal', deregisteredOn: null, ...f,
    };
    return this.rec('vehicle', 'vehicle', fields, opts);
  }

  property(p: Person, f: Partial<Fields> & { floorArea: number }, opts?: RecordOptions): FeedRecord {
    const fields: Fields = {
      ownerIdNo: p.idNo, ownerName: p.name, certificateNo: `闽(2021)石狮市不动产权第${String(this.city.numbered('property')).padStart(7, '0')}号`,
      address: '石狮市湖滨街道某小区1幢101室', regionCode: REGION, usage: '住宅', sharePercent: null, acquiredOn: addYears(this.city.asOf, -8),
      acquisitionType: '继承', status: 'valid', cancelledOn: null, ...f,
    };
    return this.rec('property', 'property', fields, opts);
  }

  enterprise(p: Person, f: Partial<Fields>): void {
    this.rec('market-supervision', 'enterprise', {
      idNo: p.idNo, name: p.name, enterpriseName: '石狮市某贸易有限公司', creditCode: '91350581MA3YYYYY1R', role: '法定代表人', registeredCapital: 50000,
      shareRatio: null, status: '存续', establishedOn: addYears(this.city.asOf, -4), cancelledOn: null, ...f,
    });
  }

  hukou(p: Person, event: '迁入' | '迁出' | '注销', regionCode: string, eventDate: string): void {
    this.rec('public-security', 'hukou', { idNo: p.idNo, name: p.name, regionCode, event, eventDate });
  }

  /** A residence registration at the unit; with `textOnly` (one of the unit's variants), by that address text and no code. */
  residence(p: Person, unit: Unit, registeredOn: string, validTo: string | null, textOnly?: string): void {
    this.rec('public-security', 'residence', {
      idNo: p.idNo, name: p.name, addressCode: textOnly ? null : unit.addressCode, addressText: textOnly ?? unit.addressText, registeredOn, validTo,
    });
  }

  /** A marriage record, keyed by either party. */
  marriage(a: Person, b: Person, event: 'married' | 'divorced', eventDate: string, keyedByB: boolean): void {
    const [x, y] = keyedByB ? [b, a] : [a, b];
    this.rec('civil-affairs', 'marriage', { idNo: x.idNo, name: x.name, event, spouseIdNo: y.idNo, spouseName: y.name, eventDate });
  }

  death(m: Member, on: string): void {
    m.deceasedOn = on;
    this.rec('civil-affairs', 'death', { idNo: m.idNo, name: m.name, deathDate: on });
  }
}
