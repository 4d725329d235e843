import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, addYears, lastMonths } from '../common/dates';
import { ageAt, makeIdNo } from '../common/identity';
import { SOURCES } from '../sources/sources.catalog';
import { Rng } from './rng';
import { CLEAN, RuleCode, Scenario, SCENARIOS } from './scenarios';
import { csvWriter, CsvEncoding, JsonLinesWriter, JsonPagesWriter, RowWriter, xlsxWriter } from './writers';

/**
 * Synthetic city in the contract formats: the bureau's ledger files, every department's records
 * as feed files (CSV in UTF-8/GBK, XLSX) and as JSON pages, and the findings the engine must
 * produce. Deterministic for (households, seed, asOf); streamed, so 1,000,000 households need no
 * more memory than 1,000.
 */

export interface GenerateOptions {
  households: number;
  seed: number;
  outDir: string;
  /** Evaluation date the planted cases are built around (default 2026-11-01). */
  asOf?: string;
  /** Records per JSON page (default 500). */
  pageSize?: number;
  /** Also write JSON pages (default true). */
  json?: boolean;
}

export interface GenerateSummary {
  outDir: string;
  seed: number;
  asOf: string;
  households: number;
  persons: number;
  records: Record<string, number>;
  malformed: Record<string, number>;
  expectedHouseholdsWithFindings: number;
  byRule: Record<string, number>;
}

export const DEFAULT_AS_OF = '2026-11-01';
const REGION = '350581';
const LOCAL_REGIONS = ['350581', '350582', '350583', '350521', '350524', '350525', '350526', '350502', '350503', '350504', '350505'];
const TOWNS = ['湖滨街道', '凤里街道', '灵秀镇', '宝盖镇', '蚶江镇', '祥芝镇', '鸿山镇', '锦尚镇', '永宁镇'];
const STREETS = ['宝盖路', '八七路', '振兴路', '石狮大道', '长福路', '大仑路', '湖东路', '新湖路'];
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蔡蒋余杜叶程苏魏吕丁任沈姚卢'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玲萍斌辉宇浩晨欣怡佳琪鑫雪梅兰春燕丹波'];
const HOUSEHOLDS_PER_PROJECT = 200;
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
const FILE_FORMAT: Record<string, CsvEncoding | 'xlsx'> = {
  'civil-affairs': 'gbk',
  property: 'utf8-bom',
  vehicle: 'gbk',
  'social-security': 'utf8',
  'housing-fund': 'utf8-bom',
  'market-supervision': 'xlsx',
  'public-security': 'gbk',
  utilities: 'utf8',
};

interface Person {
  idNo: string;
  name: string;
  birth: string;
}

interface Member extends Person {
  relation: '承租人' | '配偶' | '子女' | '父母' | '其他';
  deceasedOn?: string;
}

interface Unit {
  code: string;
  addressCode: string;
  addressText: string;
  variants: string[];
}

type Fields = Record<string, string | number | null>;

interface FeedRecord {
  source: string;
  kind: string;
  recordId: string;
  updatedAt: string;
  op?: 'delete';
  fields: Fields;
}

interface HouseholdDraft {
  code: string;
  status: 'active' | 'waiting' | 'exited';
  category: string;
  unit: Unit | null;
  leaseStart: string | null;
  leaseEnd: string | null;
  queuedOn: string | null;
  members: Member[];
  /** Non-registered spouse by a recorded marriage (evaluation member). */
  extraEvaluationMembers: Person[];
  /** Registered members excluded from evaluation (divorced spouse). */
  excluded: Set<string>;
  records: FeedRecord[];
  declarations: { idNo: string; matter: string; on: string; note: string }[];
  arrears: { months: number; amount: number; asOf: string }[];
  handover: string | null;
  expect: RuleCode[];
  sublet: { score: number; level: string };
  scenario: string;
  /** Utilities are written after the scenario, from the evaluation-member count. */
  utilities: 'normal' | 'power' | 'vacant' | 'vacant_two_accounts' | 'vacant_one_month_at_10' | 'vacant_missing_month' | 'none';
}

const CATEGORY_LABEL: Record<string, string> = {
  dibao: '低保',
  low_income: '低收入',
  lower_middle_income: '中等偏下收入',
  new_employee: '新就业职工',
  migrant_worker: '外来务工人员',
};
const STATUS_LABEL = { active: '在保', waiting: '轮候', exited: '已退出' } as const;
const MATTER_LABEL: Record<string, string> = { housing: '购房', vehicle: '车辆', income: '收入变化' };

export async function generateCity(opts: GenerateOptions): Promise<GenerateSummary> {
  const gen = new CityGenerator(opts);
  return gen.run();
}

class CityGenerator {
  private readonly asOf: string;
  private readonly months12: string[];
  private readonly months6: string[];
  private readonly idSeq = new Map<string, number>();
  private readonly recordSeq = new Map<string, number>();
  private readonly counts: Record<string, number> = {};
  private readonly malformed: Record<string, number> = {};
  private readonly byRule: Record<string, number> = {};
  private persons = 0;
  private householdsWritten = 0;
  private withFindings = 0;
  private readonly projectsWritten = new Set<number>();

  private registry!: Record<'projects' | 'units' | 'households' | 'members' | 'declarations' | 'arrears' | 'handovers', RowWriter>;
  private feedFiles = new Map<string, RowWriter>();
  private pages = new Map<string, JsonPagesWriter>();
  private expected!: JsonLinesWriter;
  private scenarios!: JsonLinesWriter;

  constructor(private readonly opts: GenerateOptions) {
    this.asOf = opts.asOf ?? DEFAULT_AS_OF;
    this.months12 = lastMonths(this.asOf, 12);
    this.months6 = lastMonths(this.asOf, 6);
  }

  async run(): Promise<GenerateSummary> {
    const out = this.opts.outDir;
    mkdirSync(out, { recursive: true });
    const reg = (name: string, headers: string[], enc: CsvEncoding) => csvWriter(join(out, 'registry', `${name}.csv`), headers, enc);
    this.registry = {
      projects: reg('projects', ['项目编号', '项目名称', '行政区划代码', '所属镇街', '管理方式', '项目业主'], 'utf8-bom'),
      units: reg('units', ['房源编号', '项目编号', '楼栋', '房号', '标准地址编码', '房屋坐落', '建筑面积', '居室数', '月租金'], 'utf8'),
      households: reg('households', ['家庭编号', '保障状态', '保障类别', '房源编号', '租赁起始', '租赁截止', '轮候登记日期'], 'utf8-bom'),
      members: reg('members', ['家庭编号', '身份证号', '姓名', '与承租人关系'], 'gbk'),
      declarations: reg('declarations', ['家庭编号', '身份证号', '申报事项', '申报日期', '说明'], 'utf8'),
      arrears: reg('arrears', ['家庭编号', '欠租月数', '欠租金额', '统计日期'], 'utf8'),
      handovers: reg('handovers', ['家庭编号', '房源编号', '交房日期'], 'utf8'),
    };
    for (const s of SOURCES) {
      const fmt = FILE_FORMAT[s.name];
      const base = join(out, 'feeds', s.name, `${s.name}-s${this.opts.seed}`);
      this.feedFiles.set(s.name, fmt === 'xlsx' ? xlsxWriter(`${base}.xlsx`, s.headers) : csvWriter(`${base}.csv`, s.headers, fmt));
      if (this.opts.json !== false) {
        this.pages.set(s.name, new JsonPagesWriter(join(out, 'pages', `${s.name}.jsonl`), s.name, this.opts.pageSize ?? 500, `${this.asOf}T02:00:00+08:00`));
      }
      this.counts[s.name] = 0;
      this.malformed[s.name] = 0;
    }
    this.expected = new JsonLinesWriter(join(out, 'expected', 'findings.jsonl'));
    this.scenarios = new JsonLinesWriter(join(out, 'expected', 'scenarios.jsonl'));

    const n = this.opts.households;
    for (let i = 0; i < n; i++) {
      const rng = Rng.for(this.opts.seed, i);
      // The first households cover every scenario; the rest are mostly clean.
      const scenario = i < SCENARIOS.length ? SCENARIOS[i] : rng.chance(0.2) ? rng.pick(SCENARIOS) : CLEAN;
      const drafts = this.household(i, rng, scenario);
      for (const d of drafts) await this.write(d);
      if (i % 13 === 0) await this.noise(rng, i / 13);
    }

    await Promise.all([...Object.values(this.registry).map((w) => w.close()), ...[...this.feedFiles.values()].map((w) => w.close())]);
    await Promise.all([...this.pages.values()].map((p) => p.close()));
    await this.expected.close();
    await this.scenarios.close();
    const summary: GenerateSummary = {
      outDir: out,
      seed: this.opts.seed,
      asOf: this.asOf,
      households: this.householdsWritten,
      persons: this.persons,
      records: this.counts,
      malformed: this.malformed,
      expectedHouseholdsWithFindings: this.withFindings,
      byRule: this.byRule,
    };
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(summary, null, 2));
    return summary;
  }

  // ------------------------------------------------------------------ people and records

  private person(rng: Rng, birth: string, region?: string): Person {
    const key = birth.replace(/-/g, '');
    const k = this.idSeq.get(key) ?? 0;
    this.idSeq.set(key, k + 1);
    const reg = region ?? LOCAL_REGIONS[Math.floor(k / 1000) % LOCAL_REGIONS.length];
    this.persons++;
    const given = rng.pick(GIVEN) + (rng.chance(0.6) ? rng.pick(GIVEN) : '');
    return { idNo: makeIdNo(reg, key, k % 1000), name: rng.pick(SURNAMES) + given, birth };
  }

  private birthForAge(rng: Rng, minAge: number, maxAge: number): string {
    const age = rng.int(minAge, maxAge);
    return addDays(addYears(this.asOf, -age), -rng.int(1, 360));
  }

  private rec(d: HouseholdDraft, source: string, kind: string, fields: Fields, opts: { updatedAt?: string; recordId?: string; op?: 'delete' } = {}): FeedRecord {
    const prefix = SOURCE_PREFIX[source];
    let recordId = opts.recordId;
    if (!recordId) {
      const n = (this.recordSeq.get(source) ?? 0) + 1;
      this.recordSeq.set(source, n);
      recordId = `${prefix}${String(n).padStart(9, '0')}`;
    }
    const r: FeedRecord = { source, kind, recordId, updatedAt: opts.updatedAt ?? `${addDays(this.asOf, -3)}T10:00:00+08:00`, fields, op: opts.op };
    d.records.push(r);
    return r;
  }

  private contributions(d: HouseholdDraft, p: Person, months: string[], base: number, region = REGION) {
    for (const m of months) {
      this.rec(d, 'social-security', 'contribution', {
        idNo: p.idNo, name: p.name, employerName: '石狮市某服装有限公司', employerCreditCode: '91350581MA2XXXXX0Q', regionCode: region, period: m, contributionBase: base,
      });
    }
  }

  private deposits(d: HouseholdDraft, p: Person, months: string[], base: number, region = REGION) {
    for (const m of months) {
      this.rec(d, 'housing-fund', 'deposit', { idNo: p.idNo, name: p.name, employerName: '石狮市某服装有限公司', regionCode: region, period: m, depositBase: base });
    }
  }

  private economicCheck(d: HouseholdDraft, p: Person, checkDate: string, annualIncome: number | null, financialAssets: number | null) {
    this.rec(d, 'civil-affairs', 'economic-check', { idNo: p.idNo, name: p.name, checkDate, annualIncome, financialAssets });
  }

  private vehicle(d: HouseholdDraft, p: Person, f: Partial<Fields> & { invoicePrice: number }, opts?: { updatedAt?: string; recordId?: string }) {
    return this.rec(
      d,
      'vehicle',
      'vehicle',
      {
        ownerIdNo: p.idNo, ownerName: p.name, plateNo: `闽C${String(this.counts.vehicle + (this.recordSeq.get('vehicle') ?? 0)).padStart(5, '0')}`,
        vehicleType: '小型汽车', usage: '非营运', registeredOn: addYears(this.asOf, -3), status: 'normal', deregisteredOn: null, ...f,
      },
      opts,
    );
  }

  private propertyRec(d: HouseholdDraft, p: Person, f: Partial<Fields> & { floorArea: number }, opts?: { updatedAt?: string; recordId?: string; op?: 'delete' }) {
    return this.rec(
      d,
      'property',
      'property',
      {
        ownerIdNo: p.idNo, ownerName: p.name, certificateNo: `闽(2021)石狮市不动产权第${String(this.recordSeq.get('property') ?? 0).padStart(7, '0')}号`,
        address: '石狮市湖滨街道某小区1幢101室', regionCode: REGION, usage: '住宅', sharePercent: null, acquiredOn: addYears(this.asOf, -8),
        acquisitionType: '继承', status: 'valid', cancelledOn: null, ...f,
      },
      opts,
    );
  }

  private enterprise(d: HouseholdDraft, p: Person, f: Partial<Fields>) {
    this.rec(d, 'market-supervision', 'enterprise', {
      idNo: p.idNo, name: p.name, enterpriseName: '石狮市某贸易有限公司', creditCode: '91350581MA3YYYYY1R', role: '法定代表人', registeredCapital: 50000,
      shareRatio: null, status: '存续', establishedOn: addYears(this.asOf, -4), cancelledOn: null, ...f,
    });
  }

  private hukou(d: HouseholdDraft, p: Person, event: '迁入' | '迁出' | '注销', regionCode: string, eventDate: string) {
    this.rec(d, 'public-security', 'hukou', { idNo: p.idNo, name: p.name, regionCode, event, eventDate });
  }

  private residence(d: HouseholdDraft, p: Person, unit: Unit, registeredOn: string, validTo: string | null, textOnly = false, rng?: Rng) {
    this.rec(d, 'public-security', 'residence', {
      idNo: p.idNo, name: p.name, addressCode: textOnly ? null : unit.addressCode,
      addressText: textOnly && rng ? rng.pick(unit.variants) : unit.addressText, registeredOn, validTo,
    });
  }

  private marriage(d: HouseholdDraft, a: Person, b: Person, event: 'married' | 'divorced', eventDate: string, keyedByB: boolean) {
    const [x, y] = keyedByB ? [b, a] : [a, b];
    this.rec(d, 'civil-affairs', 'marriage', { idNo: x.idNo, name: x.name, event, spouseIdNo: y.idNo, spouseName: y.name, eventDate });
  }

  private death(d: HouseholdDraft, m: Member, on: string) {
    m.deceasedOn = on;
    this.rec(d, 'civil-affairs', 'death', { idNo: m.idNo, name: m.name, deathDate: on });
  }

  // ------------------------------------------------------------------ households

  private unitFor(i: number, suffix = ''): Unit {
    const project = Math.floor(i / HOUSEHOLDS_PER_PROJECT);
    const town = TOWNS[project % TOWNS.length];
    const street = STREETS[project % STREETS.length];
    const no = 10 + project; // unique per project: address texts never collide across projects
    const slot = i % HOUSEHOLDS_PER_PROJECT;
    const building = 1 + Math.floor(slot / 20) + (suffix ? 20 : 0);
    const room = (2 + Math.floor((slot % 20) / 4)) * 100 + (slot % 4) + 1;
    const base = `石狮市${town}${street}${no}号`;
    const fw = (s: string | number) => String(s).replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    return {
      code: `U${String(i).padStart(7, '0')}${suffix}`,
      addressCode: `35058100${String(project).padStart(4, '0')}${String(building).padStart(2, '0')}${String(room).padStart(4, '0')}`,
      addressText: `${base}${building}幢${room}室`,
      variants: [`${base}${building}栋${room}`, `${base}${fw(building)}号楼${fw(room)}房`, `${base} ${building}幢 ${room}号`],
    };
  }

  private household(i: number, rng: Rng, sc: Scenario): HouseholdDraft[] {
    const d = this.baseHousehold(i, rng, sc, '');
    const out = [d];
    this.plant(d, rng, sc, i, out);
    return out;
  }

  private baseHousehold(i: number, rng: Rng, sc: Scenario, suffix: string, statusOverride?: HouseholdDraft['status']): HouseholdDraft {
    const status = statusOverride ?? sc.status ?? (sc === CLEAN ? (rng.chance(0.8) ? 'active' : rng.chance(0.75) ? 'waiting' : 'exited') : 'active');
    let category = rng.pick(['dibao', 'low_income', 'low_income', 'lower_middle_income', 'lower_middle_income', 'new_employee', 'migrant_worker']);
    if (sc.shape?.category) category = sc.shape.category;
    else if (sc.name.startsWith('hukou_')) category = 'low_income';
    const leaseStart = status === 'waiting' ? null : addDays(this.asOf, -rng.int(400, 2000));
    const d: HouseholdDraft = {
      code: `HH${String(i).padStart(7, '0')}${suffix}`,
      status,
      category,
      unit: status === 'waiting' ? null : this.unitFor(i, suffix),
      leaseStart,
      leaseEnd: leaseStart ? (status === 'exited' ? addDays(this.asOf, -rng.int(30, 300)) : addYears(leaseStart, 3)) : null,
      queuedOn: status === 'waiting' ? addDays(this.asOf, -rng.int(200, 900)) : leaseStart ? addDays(leaseStart, -rng.int(100, 400)) : null,
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

    // Members
    const size = Math.max(sc.shape?.size ?? rng.pick([1, 2, 2, 3, 3, 3, 4, 4]), sc.shape?.spouse ? 2 : 1);
    const tenant: Member = { ...this.person(rng, this.birthForAge(rng, 28, 58)), relation: '承租人' };
    d.members.push(tenant);
    const wantsSpouse = sc.shape?.spouse ?? (size >= 2 && rng.chance(0.7));
    if (sc.shape?.minorChild) {
      const birth = sc.shape.minorChild === 18 ? addYears(this.asOf, -18) : addDays(addYears(this.asOf, -18), 30);
      d.members.push({ ...this.person(rng, birth), relation: '子女' });
    } else {
      if (wantsSpouse && size >= 2) d.members.push({ ...this.person(rng, this.birthForAge(rng, 28, 58)), relation: '配偶' });
      while (d.members.length < size) {
        const parent = rng.chance(0.25);
        d.members.push(
          parent
            ? { ...this.person(rng, this.birthForAge(rng, 62, 85)), relation: '父母' }
            : { ...this.person(rng, this.birthForAge(rng, 1, 24)), relation: '子女' },
        );
      }
    }
    const spouse = d.members.find((m) => m.relation === '配偶');
    if (spouse) this.marriage(d, tenant, spouse, 'married', addDays(d.queuedOn ?? this.asOf, -rng.int(400, 4000)), rng.chance(0.3));

    // Clean incomes: every adult's monthly base stays ≤ 3,900 (per capita < 48,000).
    if (!sc.tenantOnlyIncome) {
      for (const m of d.members) {
        const age = ageAt(m.birth, this.asOf);
        if (m.relation === '父母' || age >= 62) {
          if (rng.chance(0.8)) this.pensions(d, m, rng.money(1200, 2500));
        } else if (age >= 18 && rng.chance(m.relation === '承租人' ? 0.7 : 0.5)) {
          const base = rng.money(1800, 3900);
          this.contributions(d, m, this.months12, base);
          if (rng.chance(0.3)) this.deposits(d, m, this.months12, Math.min(base, rng.money(1500, 3900)));
        }
      }
      if (rng.chance(0.4)) this.economicCheck(d, tenant, addDays(this.asOf, -rng.int(30, 330)), rng.money(15000, 38000), rng.money(0, 60000));
    }
    // Clean assets and registrations.
    if (rng.chance(0.15)) this.vehicle(d, tenant, { invoicePrice: rng.money(30000, 95000) });
    else if (rng.chance(0.06)) this.vehicle(d, tenant, { vehicleType: '摩托车', invoicePrice: rng.money(4000, 20000) });
    if (rng.chance(0.05)) this.propertyRec(d, tenant, { usage: '车位', floorArea: rng.money(12, 30), acquisitionType: '购买' });
    if (rng.chance(0.03)) this.propertyRec(d, tenant, { regionCode: '310000', floorArea: rng.money(60, 120), address: '上海市浦东新区某路1号' });
    if (rng.chance(0.05)) this.enterprise(d, tenant, { role: '个体工商户经营者', enterpriseName: '石狮市某服装店', registeredCapital: rng.money(20000, 500000) });
    if (rng.chance(0.3)) this.hukou(d, tenant, '迁入', REGION, addDays(d.queuedOn ?? this.asOf, -rng.int(300, 3000)));
    if (category === 'dibao') {
      this.rec(d, 'civil-affairs', 'assistance', { idNo: tenant.idNo, name: tenant.name, assistanceType: '低保', validFrom: addDays(this.asOf, -rng.int(200, 1500)), validTo: null });
    }
    if (d.status === 'active' && d.unit) {
      for (const m of d.members) {
        if (rng.chance(0.6)) this.residence(d, m, d.unit, addDays(d.leaseStart!, rng.int(1, 60)), null, rng.chance(0.2), rng);
      }
    }
    if (rng.chance(0.05) && d.status === 'active') d.arrears.push({ months: rng.int(1, 3), amount: rng.money(300, 1500), asOf: addDays(this.asOf, -rng.int(5, 60)) });
    return d;
  }

  private pensions(d: HouseholdDraft, p: Person, amount: number) {
    for (const m of this.months12) this.rec(d, 'social-security', 'pension', { idNo: p.idNo, name: p.name, regionCode: REGION, period: m, amount });
  }

  /** Shapes a household into its scenario. */
  private plant(d: HouseholdDraft, rng: Rng, sc: Scenario, i: number, out: HouseholdDraft[]): void {
    const tenant = d.members[0];
    const spouse = d.members.find((m) => m.relation === '配偶');
    const start = d.leaseStart ?? d.queuedOn!;
    const n = () => this.evaluationCount(d);
    const stranger = () => this.person(rng, this.birthForAge(rng, 25, 50));
    const lastYear = addDays(this.asOf, -rng.int(20, 300));

    switch (sc.name) {
      case 'housing_area_at_threshold':
        this.propertyRec(d, tenant, { floorArea: 15 * n(), sharePercent: rng.chance(0.5) ? 100 : null, acquiredOn: addDays(start, -400) });
        break;
      case 'housing_area_shared':
        this.propertyRec(d, spouse!, { floorArea: 75 * n(), sharePercent: 20, acquiredOn: addDays(start, -400) });
        break;
      case 'housing_area_cancel_after_asof':
        this.propertyRec(d, tenant, { floorArea: 100 * n(), status: 'cancelled', cancelledOn: addDays(this.asOf, 20), acquiredOn: addDays(start, -400) });
        break;
      case 'housing_area_just_under':
        this.propertyRec(d, tenant, { floorArea: Math.round((15 * n() - 0.01) * 100) / 100, acquiredOn: addDays(start, -400) });
        break;
      case 'housing_area_cancelled':
        this.propertyRec(d, tenant, { floorArea: 120, status: 'cancelled', cancelledOn: addDays(this.asOf, -30), acquiredOn: addDays(start, -400) });
        break;
      case 'housing_area_non_local':
        this.propertyRec(d, tenant, { floorArea: 200, regionCode: '310000', address: '上海市徐汇区某路8号', acquiredOn: addDays(start, -400) });
        break;
      case 'housing_area_withdrawn_record': {
        const r = this.propertyRec(d, tenant, { floorArea: 200, acquiredOn: addDays(start, -400) }, { updatedAt: `${addDays(this.asOf, -60)}T09:00:00+08:00` });
        this.rec(d, 'property', 'property', {}, { recordId: r.recordId, op: 'delete', updatedAt: `${addDays(this.asOf, -20)}T09:00:00+08:00` });
        break;
      }
      case 'acquired_purchase':
        this.propertyRec(d, tenant, { floorArea: 40, sharePercent: 25, acquiredOn: addDays(start, 200), acquisitionType: '购买' });
        break;
      case 'acquired_fund_loan':
        this.rec(d, 'housing-fund', 'loan', { idNo: tenant.idNo, name: tenant.name, contractNo: `JK${i}`, purpose: '购房', amount: 300000, propertyAddress: '泉州市丰泽区某小区', issuedOn: addDays(start, 100), status: 'active' });
        break;
      case 'acquired_fund_withdrawal':
        this.rec(d, 'housing-fund', 'withdrawal', { idNo: tenant.idNo, name: tenant.name, reason: '建房', amount: 50000, withdrawnOn: addDays(start, 150) });
        break;
      case 'acquired_loan_after_asof':
        this.rec(d, 'housing-fund', 'loan', { idNo: tenant.idNo, name: tenant.name, contractNo: `JK${i}`, purpose: '购房', amount: 300000, propertyAddress: '泉州市某小区', issuedOn: addDays(this.asOf, 15), status: 'active' });
        break;
      case 'acquired_loan_renovation':
        this.rec(d, 'housing-fund', 'loan', { idNo: tenant.idNo, name: tenant.name, contractNo: `JK${i}`, purpose: '翻修', amount: 80000, propertyAddress: '石狮市某村', issuedOn: addDays(start, 100), status: 'active' });
        break;
      case 'acquired_before_lease':
        this.rec(d, 'housing-fund', 'loan', { idNo: tenant.idNo, name: tenant.name, contractNo: `JK${i}`, purpose: '购房', amount: 200000, propertyAddress: '石狮市某小区', issuedOn: addDays(start, -30), status: 'settled' });
        this.propertyRec(d, tenant, { floorArea: 40, sharePercent: 25, acquiredOn: addDays(start, -60), acquisitionType: '购买' });
        break;
      case 'income_over_contribution':
        this.contributions(d, tenant, this.months12, 4000 * n() + 1);
        break;
      case 'income_at_threshold':
        this.contributions(d, tenant, this.months12, 4000 * n());
        break;
      case 'income_over_economic_check':
        this.economicCheck(d, tenant, addDays(this.asOf, -200), 48000 * n() + 120, 10000);
        break;
      case 'income_economic_check_stale':
        this.economicCheck(d, tenant, addDays(addYears(this.asOf, -1), -5), 48000 * n() + 120, 10000);
        break;
      case 'income_over_deposit_base':
        this.contributions(d, tenant, this.months12, 3000);
        this.deposits(d, tenant, this.months12, 4000 * n() + 1);
        break;
      case 'income_over_member_died':
        this.death(d, spouse!, addDays(this.asOf, -120));
        this.contributions(d, tenant, this.months12, 4001);
        break;
      // Planted checks are the newest (a clean household's own check is 30+ days old).
      case 'assets_over':
        this.economicCheck(d, tenant, addDays(this.asOf, -10), 20000, 150000.01);
        break;
      case 'assets_over_split':
        this.economicCheck(d, tenant, addDays(this.asOf, -10), 20000, 100000);
        this.economicCheck(d, spouse!, addDays(this.asOf, -500), 10000, 50000.01);
        break;
      case 'assets_at_threshold':
        this.economicCheck(d, tenant, addDays(this.asOf, -10), 20000, 150000);
        break;
      case 'assets_stale_check':
        this.economicCheck(d, tenant, addDays(addYears(this.asOf, -2), -10), 20000, 400000);
        break;
      case 'vehicle_over':
      case 'vehicle_over_declared':
      case 'waiting_vehicle':
      case 'exited_vehicle':
        this.vehicle(d, tenant, { invoicePrice: sc.name === 'vehicle_over' ? 100000.01 : 150000 });
        if (sc.declares) d.declarations.push({ idNo: tenant.idNo, matter: sc.declares, on: addDays(this.asOf, -40), note: '家庭新购车辆，主动申报' });
        break;
      case 'vehicle_at_threshold':
        this.vehicle(d, tenant, { invoicePrice: 100000 });
        break;
      case 'vehicle_motorcycle':
        this.vehicle(d, tenant, { vehicleType: '摩托车', invoicePrice: 150000 });
        break;
      case 'vehicle_commercial':
        this.vehicle(d, tenant, { usage: '营运', vehicleType: '货车', invoicePrice: 250000 });
        break;
      case 'vehicle_deregistered':
        this.vehicle(d, tenant, { invoicePrice: 300000, status: 'deregistered', deregisteredOn: addDays(this.asOf, -90) });
        break;
      case 'vehicle_superseded_version': {
        // The newer version (deregistered) arrives before the older one: the newer must stand.
        const newer = this.vehicle(d, tenant, { invoicePrice: 200000, status: 'deregistered', deregisteredOn: addDays(this.asOf, -30) }, { updatedAt: `${addDays(this.asOf, -10)}T12:00:00+08:00` });
        this.vehicle(d, tenant, { invoicePrice: 200000 }, { recordId: newer.recordId, updatedAt: `${addDays(this.asOf, -200)}T12:00:00+08:00` });
        break;
      }
      case 'vehicle_unregistered_spouse': {
        const x = stranger();
        this.marriage(d, tenant, x, 'married', addDays(start, 60), rng.chance(0.5));
        d.extraEvaluationMembers.push(x);
        this.vehicle(d, x, { invoicePrice: 180000 });
        break;
      }
      case 'vehicle_divorced_spouse':
        // The ex-spouse has moved out: no residence registration at the unit.
        d.records = d.records.filter((r) => !(r.kind === 'residence' && r.fields.idNo === spouse!.idNo));
        this.marriage(d, tenant, spouse!, 'divorced', addDays(this.asOf, -100), rng.chance(0.5));
        d.excluded.add(spouse!.idNo);
        this.vehicle(d, spouse!, { invoicePrice: 200000 });
        break;
      case 'vehicle_marriage_after_asof': {
        const x = stranger();
        this.marriage(d, tenant, x, 'married', addDays(this.asOf, 10), false);
        this.vehicle(d, x, { invoicePrice: 180000 });
        break;
      }
      case 'business_legal_rep':
        this.enterprise(d, tenant, { role: '法定代表人', registeredCapital: 100000 });
        break;
      case 'business_shareholder':
        this.enterprise(d, tenant, { role: '股东', registeredCapital: 500000, shareRatio: 20 });
        break;
      case 'business_shareholder_under':
        this.enterprise(d, tenant, { role: '股东', registeredCapital: 500000, shareRatio: 19.99 });
        break;
      case 'business_individual':
        this.enterprise(d, tenant, { role: '个体工商户经营者', registeredCapital: 2000000 });
        break;
      case 'business_cancelled':
        this.enterprise(d, tenant, { role: '法定代表人', registeredCapital: 5000000, status: '注销', cancelledOn: addDays(this.asOf, -60) });
        break;
      case 'hukou_out_non_local':
      case 'hukou_out_migrant_worker':
        this.hukou(d, tenant, '迁出', '310000', addDays(this.asOf, -90));
        break;
      case 'hukou_cancelled':
        this.hukou(d, tenant, '注销', REGION, addDays(this.asOf, -90));
        break;
      case 'hukou_out_local':
        this.hukou(d, tenant, '迁出', '350582', addDays(this.asOf, -90));
        break;
      case 'hukou_out_then_back':
        this.hukou(d, tenant, '迁出', '310000', addDays(this.asOf, -300));
        this.hukou(d, tenant, '迁入', REGION, addDays(this.asOf, -100));
        break;
      case 'hukou_cancelled_deceased':
        this.death(d, tenant, addDays(this.asOf, -50));
        this.hukou(d, tenant, '注销', REGION, addDays(this.asOf, -45));
        break;
      case 'tenant_deceased_alone':
      case 'tenant_deceased_minor_child':
      case 'tenant_deceased_child_turns_18':
        this.death(d, tenant, addDays(this.asOf, -60));
        break;
      case 'duplicate_membership':
      case 'duplicate_with_exited': {
        const shared: Member = { ...this.person(rng, this.birthForAge(rng, 20, 30)), relation: '子女' };
        d.members.push(shared);
        const twin = this.baseHousehold(i, Rng.for(this.opts.seed, i, 7), CLEAN, 'D', sc.name === 'duplicate_membership' ? 'active' : 'exited');
        twin.members.push({ ...shared, relation: '其他' });
        twin.scenario = `${sc.name}_twin`;
        twin.expect = sc.name === 'duplicate_membership' ? ['DUPLICATE'] : [];
        out.push(twin);
        break;
      }
      case 'sublet_two_strangers':
        for (let k = 0; k < 2; k++) this.residence(d, stranger(), d.unit!, lastYear, null);
        break;
      case 'sublet_stranger_and_power':
        this.residence(d, stranger(), d.unit!, lastYear, null, true, rng);
        d.utilities = 'power';
        break;
      case 'sublet_one_stranger':
        this.residence(d, stranger(), d.unit!, lastYear, rng.chance(0.5) ? addDays(this.asOf, 200) : null);
        break;
      case 'sublet_works_elsewhere':
      case 'sublet_works_elsewhere_and_power':
      case 'sublet_elsewhere_five_months':
      case 'waiting_works_elsewhere': {
        this.dropIncome(d, tenant);
        const away = sc.name === 'sublet_elsewhere_five_months' ? 5 : sc.name === 'waiting_works_elsewhere' ? 12 : 6;
        this.contributions(d, tenant, this.months12.slice(0, away), 3000, '310000');
        this.contributions(d, tenant, this.months12.slice(away), 3000);
        if (sc.name === 'sublet_works_elsewhere_and_power') d.utilities = 'power';
        break;
      }
      case 'sublet_elsewhere_with_local':
        this.dropIncome(d, tenant);
        this.contributions(d, tenant, this.months12.slice(0, 8), 3000, '310000');
        this.deposits(d, tenant, this.months12.slice(0, 8), 2000);
        this.contributions(d, tenant, this.months12.slice(8), 3000);
        break;
      case 'sublet_power_only':
        d.utilities = 'power';
        break;
      case 'sublet_expired_registration':
        this.residence(d, stranger(), d.unit!, addDays(this.asOf, -400), addDays(this.asOf, -30));
        break;
      case 'vacant':
      case 'vacant_two_accounts':
      case 'vacant_one_month_at_10':
      case 'vacant_missing_month':
        d.utilities = sc.name;
        break;
      case 'arrears_6_months':
        d.arrears = [{ months: 6, amount: 4800, asOf: addDays(this.asOf, -10) }];
        break;
      case 'arrears_5_months':
        d.arrears = [{ months: 5, amount: 4000, asOf: addDays(this.asOf, -10) }];
        break;
      case 'arrears_older_record':
        d.arrears = [
          { months: 8, amount: 6400, asOf: addDays(this.asOf, -100) },
          { months: 2, amount: 1600, asOf: addDays(this.asOf, -10) },
        ];
        break;
      case 'waiting_acquired':
        this.propertyRec(d, tenant, { floorArea: 40, sharePercent: 25, acquiredOn: addDays(d.queuedOn!, 60), acquisitionType: '购买' });
        break;
      case 'clean':
        break;
      default:
        throw new Error(`scenario without a plant: ${sc.name}`);
    }
    if (sc.declares && !d.declarations.length) d.declarations.push({ idNo: tenant.idNo, matter: sc.declares, on: addDays(this.asOf, -40), note: '主动申报' });
  }

  /** Removes a person's income records (scenarios that control the tenant's work history). */
  private dropIncome(d: HouseholdDraft, p: Person) {
    d.records = d.records.filter((r) => !((r.kind === 'contribution' || r.kind === 'deposit') && r.fields.idNo === p.idNo));
  }

  private evaluationCount(d: HouseholdDraft): number {
    return d.members.filter((m) => !m.deceasedOn && !d.excluded.has(m.idNo)).length + d.extraEvaluationMembers.length;
  }

  private meters(d: HouseholdDraft, rng: Rng) {
    const unit = d.unit!;
    const n = this.evaluationCount(d);
    const reading = (utility: string, account: string, period: string, usage: number, textOnly: boolean) =>
      this.rec(d, 'utilities', 'meter', {
        accountNo: account, addressCode: textOnly ? null : unit.addressCode, addressText: textOnly ? rng.pick(unit.variants) : unit.addressText,
        utility, period, usage,
      });
    const textOnly = rng.chance(0.1);
    const split = rng.chance(0.2);
    this.months6.forEach((m, idx) => {
      let elec: number;
      let water: number;
      switch (d.utilities) {
        case 'vacant':
        case 'vacant_two_accounts':
        case 'vacant_missing_month':
          elec = rng.int(2, 8);
          water = rng.int(1, 8) / 10;
          break;
        case 'vacant_one_month_at_10':
          elec = idx === 2 ? 10 : rng.int(2, 8);
          water = rng.int(1, 8) / 10;
          break;
        case 'power':
          elec = 300 * Math.max(n, 1);
          water = 3 * Math.max(n, 1);
          break;
        default:
          elec = Math.max(n, 1) * rng.int(60, 200);
          water = Math.max(n, 1) * rng.int(15, 40) / 10;
      }
      if (d.utilities === 'vacant_missing_month' && idx === 4) {
        reading('water', `W${unit.code}`, m, water, textOnly);
        return;
      }
      if (d.utilities === 'vacant_two_accounts' || (split && d.utilities === 'normal')) {
        const a = Math.floor(elec / 2);
        reading('electricity', `E${unit.code}-1`, m, a, textOnly);
        reading('electricity', `E${unit.code}-2`, m, elec - a, textOnly);
      } else reading('electricity', `E${unit.code}`, m, elec, textOnly);
      reading('water', `W${unit.code}`, m, water, textOnly);
    });
  }

  // ------------------------------------------------------------------ output

  private async write(d: HouseholdDraft): Promise<void> {
    const rng = Rng.for(this.opts.seed, this.householdsWritten, 13);
    if (d.utilities !== 'none' && d.unit) this.meters(d, rng);
    const projectIdx = Math.floor(Number(d.code.slice(2, 9)) / HOUSEHOLDS_PER_PROJECT);
    const projectCode = `P${String(projectIdx).padStart(4, '0')}`;
    if (!this.projectsWritten.has(projectIdx)) {
      this.projectsWritten.add(projectIdx);
      const town = TOWNS[projectIdx % TOWNS.length];
      const city = projectIdx % 5 !== 4;
      await this.registry.projects.write([projectCode, `${town}${STREETS[projectIdx % STREETS.length]}公租房${projectIdx + 1}期`, REGION, town, city ? '市直管' : '非市直管', city ? '' : '石狮市某置业有限公司']);
    }
    if (d.unit) {
      const room = d.unit.addressText.match(/(\d+)幢(\d+)室$/)!;
      await this.registry.units.write([d.unit.code, projectCode, `${room[1]}幢`, room[2], d.unit.addressCode, d.unit.addressText, rng.money(40, 60), rng.int(1, 2), rng.money(300, 600)]);
    }
    await this.registry.households.write([d.code, STATUS_LABEL[d.status], CATEGORY_LABEL[d.category], d.unit?.code ?? '', this.fmtDate(d.leaseStart, rng), this.fmtDate(d.leaseEnd, rng), this.fmtDate(d.queuedOn, rng)]);
    for (const m of d.members) await this.registry.members.write([d.code, this.fmtId(m.idNo, rng), m.name, m.relation]);
    for (const x of d.declarations) await this.registry.declarations.write([d.code, x.idNo, MATTER_LABEL[x.matter] ?? '其他', x.on, x.note]);
    for (const a of d.arrears) await this.registry.arrears.write([d.code, a.months, this.fmtAmount(a.amount, rng), this.fmtDate(a.asOf, rng)]);
    if (d.handover && d.unit) await this.registry.handovers.write([d.code, d.unit.code, d.handover]);

    for (const r of d.records) await this.writeRecord(r, rng);
    this.householdsWritten++;
    const rules = [...new Set(d.expect)].sort();
    await this.scenarios.write({ householdCode: d.code, scenario: d.scenario, status: d.status, rules, subletScore: d.sublet.score, subletLevel: d.sublet.level });
    if (rules.length) {
      this.withFindings++;
      for (const r of rules) this.byRule[r] = (this.byRule[r] ?? 0) + 1;
      await this.expected.write({ householdCode: d.code, rules, subletScore: d.sublet.score, subletLevel: d.sublet.level });
    }
  }

  private async writeRecord(r: FeedRecord, rng: Rng, countAs: 'ok' | 'malformed' = 'ok'): Promise<void> {
    const src = SOURCES.find((s) => s.name === r.source)!;
    const kind = src.compiled.get(r.kind)!;
    const multiKind = src.kinds.length > 1 || src.name === 'utilities';
    // JSON page: contract field names, numbers as numbers.
    const json: Record<string, unknown> = { recordId: r.recordId, updatedAt: r.updatedAt };
    if (r.op) json.op = r.op;
    else if (rng.chance(0.3)) json.op = 'upsert';
    if (multiKind) json.kind = r.kind;
    for (const [f, v] of Object.entries(r.fields)) {
      const spec = kind.fields[f];
      json[f] = spec?.type === 'id' && typeof v === 'string' ? this.jsonId(v, rng) : v;
    }
    await this.pages.get(r.source)?.write(json);
    // CSV/XLSX row: Chinese headers, every allowed cell form.
    const row = src.headers.map((h) => {
      if (h === '记录编号') return r.recordId;
      if (h === '操作') return r.op ?? (rng.chance(0.2) ? 'upsert' : '');
      if (h === '更新时间') return r.updatedAt;
      if (h === '类型') return kind.label;
      const field = kind.byHeader.get(h);
      if (!field) return '';
      const v = r.fields[field];
      const spec = kind.fields[field];
      if (v === null || v === undefined) return '';
      if (spec.type === 'date' && typeof v === 'string') return this.fmtDate(v, rng);
      if (spec.type === 'amount' && typeof v === 'number') return this.fmtAmount(v, rng);
      // A malformed record keeps its ID as is (its 15-digit form would recompute a valid check character).
      if (spec.type === 'id' && typeof v === 'string') return countAs === 'ok' ? this.fmtId(v, rng) : v;
      return v;
    });
    await this.feedFiles.get(r.source)!.write(row);
    if (countAs === 'ok') this.counts[r.source]++;
    else this.malformed[r.source]++;
  }

  /** A few malformed records per source: each must be rejected with a reason, the rest kept. */
  private async noise(rng: Rng, i: number): Promise<void> {
    const d = { records: [] as FeedRecord[] } as unknown as HouseholdDraft;
    const bad = this.person(rng, this.birthForAge(rng, 30, 50));
    const badId = bad.idNo.slice(0, 17) + (bad.idNo[17] === '1' ? '2' : '1');
    const src = SOURCES[i % SOURCES.length].name;
    switch (src) {
      case 'civil-affairs':
        this.rec(d, src, 'death', { idNo: badId, name: bad.name, deathDate: addDays(this.asOf, -5) });
        break;
      case 'property':
        this.rec(d, src, 'property', { ownerIdNo: bad.idNo, ownerName: bad.name, regionCode: REGION, usage: '住宅', floorArea: 80, acquiredOn: '2020-13-45', status: 'valid' });
        break;
      case 'vehicle':
        this.rec(d, src, 'vehicle', { ownerIdNo: badId, ownerName: bad.name, vehicleType: '小型汽车', usage: '非营运', registeredOn: '2020-01-01', invoicePrice: 90000, status: 'normal' });
        break;
      case 'social-security':
        this.rec(d, src, 'contribution', { idNo: bad.idNo, name: bad.name, regionCode: REGION, period: this.months12[0], contributionBase: 'abc' as unknown as number });
        break;
      case 'housing-fund':
        this.rec(d, src, 'loan', { idNo: badId, name: bad.name, purpose: '购房', issuedOn: '2024-01-01', amount: 1 });
        break;
      case 'market-supervision':
        this.rec(d, src, 'enterprise', { idNo: bad.idNo, name: bad.name, role: '监事', status: '存续', registeredCapital: 10 });
        break;
      case 'public-security':
        this.rec(d, src, 'hukou', { idNo: badId, name: bad.name, regionCode: REGION, event: '迁出', eventDate: '2025-01-01' });
        break;
      case 'utilities':
        this.rec(d, src, 'meter', { accountNo: `X${i}`, addressCode: null, addressText: '石狮市某地', utility: 'steam', period: this.months6[0], usage: 5 });
        break;
    }
    for (const r of d.records) await this.writeRecord(r, rng, 'malformed');
  }

  private fmtDate(iso: string | null, rng: Rng): string {
    if (!iso) return '';
    const [y, m, d] = iso.split('-');
    const r = rng.next();
    if (r < 0.5) return iso;
    if (r < 0.8) return `${y}/${Number(m)}/${Number(d)}`;
    return `${y}${m}${d}`;
  }

  private fmtAmount(v: number, rng: Rng): string {
    if (v >= 1000 && rng.chance(0.3)) return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
    return String(v);
  }

  /** ID numbers as departments send them: padded, full-width, lower-case x, legacy 15 digits. */
  private fmtId(id: string, rng: Rng): string {
    const r = rng.next();
    if (r < 0.03) return ` ${id} `;
    if (r < 0.05) return id.replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    if (r < 0.07) return id.toLowerCase();
    if (r < 0.09 && id.slice(6, 8) === '19') return id.slice(0, 6) + id.slice(8, 17);
    return id;
  }

  private jsonId(id: string, rng: Rng): string {
    const r = rng.next();
    if (r < 0.03) return id.toLowerCase();
    if (r < 0.05) return ` ${id}`;
    return id;
  }
}

