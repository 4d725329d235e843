import { parseIdNo } from '../common/identity';
import type { ShownColumn } from '../common/masking';
import { cleanText, isBlank, normaliseAddress, parseAmount, parseDate } from '../common/values';
import { dateIssue, quantityIssue, textIssue, valueLimits } from '../common/value-limits';
import {
  DECLARATION_MATTER,
  HOUSEHOLD_CATEGORY,
  HOUSEHOLD_STATUS,
  MANAGEMENT,
  RELATION,
  codeOf,
} from './vocabulary';

/**
 * The bureau's ledger files (registry.md): their Chinese headers and the parsing of one row into
 * the values staged for the set-based upsert. Pure: no I/O. A row either parses or gets reasons.
 */

export type LedgerKind = 'projects' | 'units' | 'households' | 'members' | 'declarations' | 'arrears' | 'handovers';

/** Load order: a file may refer to the keys of the files before it. */
export const LEDGER_ORDER: LedgerKind[] = ['projects', 'units', 'households', 'members', 'declarations', 'arrears', 'handovers'];

export type Staged = Record<string, string | number | null>;
export type RowResult = { ok: true; row: Staged; key: string } | { ok: false; reasons: string[] };

interface Column {
  header: string;
  field: string;
  required: boolean;
  /** Personal data, masked wherever a row is shown: an ID number or a person's name. */
  personal?: 'id' | 'name';
}

export interface LedgerDefinition {
  kind: LedgerKind;
  label: string;
  columns: Column[];
  /** Staging columns, in COPY order (after `line` and `raw`), typed as their target columns. */
  stage: { name: string; type: string }[];
  /** The column whose rows replace, as one set, what is stored for each of its values (members by household). */
  replacesBy?: string;
  parse(values: Record<string, unknown>): RowResult;
}

const col = (header: string, field: string, required = false, personal?: Column['personal']): Column => ({ header, field, required, personal });

/** Collects reasons while reading a row's cells. */
class RowReader {
  readonly reasons: string[] = [];
  constructor(private readonly values: Record<string, unknown>, private readonly columns: Column[]) {}

  private header(field: string): string {
    return this.columns.find((c) => c.field === field)?.header ?? field;
  }
  private raw(field: string): unknown {
    return this.values[this.header(field)];
  }
  private missing(field: string): null {
    this.reasons.push(`缺少必填字段: ${this.header(field)}`);
    return null;
  }

  private invalid(field: string, reason: string): null {
    this.reasons.push(`${this.header(field)}: ${reason}`);
    return null;
  }

  text(field: string, required = false): string | null {
    const v = cleanText(this.raw(field));
    if (v === null) return required ? this.missing(field) : null;
    const why = textIssue(v);
    return why ? this.invalid(field, why) : v;
  }
  date(field: string, required = false): string | null {
    const raw = this.raw(field);
    if (isBlank(raw)) return required ? this.missing(field) : null;
    const r = parseDate(raw);
    if (!r.ok) return this.invalid(field, r.reason);
    const why = r.value === null ? null : dateIssue(r.value);
    return why ? this.invalid(field, why) : r.value;
  }
  /** Every number of the ledger is a quantity (area, rooms, rent, months, amount): finite, not negative. */
  amount(field: string, required = false, { integer = false } = {}): number | null {
    const raw = this.raw(field);
    if (isBlank(raw)) return required ? this.missing(field) : null;
    const r = parseAmount(raw);
    if (!r.ok) return this.invalid(field, r.reason);
    if (r.value === null) return null;
    const why = quantityIssue(r.value) ?? (integer && !Number.isInteger(r.value) ? `应为整数: ${r.value}` : null);
    return why ? this.invalid(field, why) : r.value;
  }
  oneOf<T extends Record<string, string>>(field: string, map: T, required = false): T[keyof T] | null {
    const v = this.text(field, required);
    if (v === null) return null;
    const code = codeOf(map, v);
    if (code === null) this.reasons.push(`${this.header(field)}: 取值无效「${v.slice(0, 20)}」，应为 ${Object.keys(map).join('/')}`);
    return code;
  }
  idNo(field: string, required = true): { idNo: string; birthDate: string; sex: string } | null {
    const raw = this.raw(field);
    if (isBlank(raw)) return required ? this.missing(field) : null;
    const r = parseIdNo(String(raw));
    return r.ok ? r.value : this.invalid(field, r.reason);
  }
}

/**
 * Why a staged value would not fit its target column (so the database never sees it and a row
 * error stays a row rejection): numeric precision, integer range, text length.
 */
export function columnIssue(type: string, v: string | number | null): string | null {
  if (v === null) return null;
  const numeric = /^numeric\((\d+),\s*(\d+)\)$/.exec(type);
  if (numeric && typeof v === 'number') {
    const [p, sc] = [Number(numeric[1]), Number(numeric[2])];
    const limit = 10 ** (p - sc);
    const rounded = Math.round(Math.abs(v) * 10 ** sc) / 10 ** sc;
    return Number.isFinite(v) && rounded < limit ? null : `数值超出可存储范围（绝对值须小于 ${limit}）: ${v}`;
  }
  if (type === 'int' && typeof v === 'number') {
    return Number.isInteger(v) && Math.abs(v) <= 2_147_483_647 ? null : `数值超出可存储范围: ${v}`;
  }
  if (type === 'text' && typeof v === 'string') return textIssue(v, valueLimits());
  return null;
}

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function define(
  kind: LedgerKind,
  label: string,
  columns: Column[],
  stage: [string, string][],
  parse: (r: RowReader) => { row: Staged; key: string } | null,
  extra: Pick<LedgerDefinition, 'replacesBy'> = {},
): LedgerDefinition {
  const staged = stage.map(([name, type]) => ({ name, type, header: columns.find((c) => c.field === camel(name))?.header ?? name }));
  return {
    kind,
    label,
    columns,
    stage: staged.map(({ name, type }) => ({ name, type })),
    ...extra,
    parse(values) {
      const reader = new RowReader(values, columns);
      const out = parse(reader);
      if (out && !reader.reasons.length) {
        for (const s of staged) {
          const why = columnIssue(s.type, out.row[s.name] ?? null);
          if (why) reader.reasons.push(`${s.header}: ${why}`);
        }
      }
      if (reader.reasons.length || !out) return { ok: false, reasons: reader.reasons.length ? reader.reasons : ['行无效'] };
      return { ok: true, ...out };
    },
  };
}

export const LEDGER_FILES: Record<LedgerKind, LedgerDefinition> = {
  projects: define(
    'projects',
    '项目',
    [col('项目编号', 'projectCode', true), col('项目名称', 'name', true), col('行政区划代码', 'regionCode', true), col('所属镇街', 'town'), col('管理方式', 'management'), col('项目业主', 'owner')],
    [['project_code', 'text'], ['name', 'text'], ['region_code', 'text'], ['town', 'text'], ['management', 'text'], ['owner', 'text']],
    (r) => {
      const projectCode = r.text('projectCode', true);
      const regionCode = r.text('regionCode', true);
      if (regionCode && !/^\d{6}$/.test(regionCode)) r.reasons.push(`行政区划代码应为6位数字: ${regionCode}`);
      const row = { project_code: projectCode, name: r.text('name', true), region_code: regionCode, town: r.text('town'), management: r.oneOf('management', MANAGEMENT), owner: r.text('owner') };
      return { row, key: String(projectCode) };
    },
  ),
  units: define(
    'units',
    '房源',
    [col('房源编号', 'unitCode', true), col('项目编号', 'projectCode', true), col('楼栋', 'building'), col('房号', 'roomNo'), col('标准地址编码', 'addressCode'), col('房屋坐落', 'addressText'), col('建筑面积', 'floorArea'), col('居室数', 'rooms'), col('月租金', 'monthlyRent')],
    [['unit_code', 'text'], ['project_code', 'text'], ['building', 'text'], ['room_no', 'text'], ['address_code', 'text'], ['address_text', 'text'], ['address_norm', 'text'], ['floor_area', 'numeric(10,2)'], ['rooms', 'int'], ['monthly_rent', 'numeric(12,2)']],
    (r) => {
      const unitCode = r.text('unitCode', true);
      const addressText = r.text('addressText');
      const row = {
        unit_code: unitCode,
        project_code: r.text('projectCode', true),
        building: r.text('building'),
        room_no: r.text('roomNo'),
        address_code: r.text('addressCode'),
        address_text: addressText,
        address_norm: normaliseAddress(addressText),
        floor_area: r.amount('floorArea'),
        rooms: r.amount('rooms', false, { integer: true }),
        monthly_rent: r.amount('monthlyRent'),
      };
      return { row, key: String(unitCode) };
    },
  ),
  households: define(
    'households',
    '家庭',
    [col('家庭编号', 'householdCode', true), col('保障状态', 'status', true), col('保障类别', 'category', true), col('房源编号', 'unitCode'), col('租赁起始', 'leaseStart'), col('租赁截止', 'leaseEnd'), col('轮候登记日期', 'queuedOn')],
    [['household_code', 'text'], ['status', 'text'], ['category', 'text'], ['unit_code', 'text'], ['lease_start', 'date'], ['lease_end', 'date'], ['queued_on', 'date']],
    (r) => {
      const householdCode = r.text('householdCode', true);
      const status = r.oneOf('status', HOUSEHOLD_STATUS, true);
      const row = {
        household_code: householdCode,
        status,
        category: r.oneOf('category', HOUSEHOLD_CATEGORY, true),
        unit_code: r.text('unitCode'),
        lease_start: r.date('leaseStart'),
        lease_end: r.date('leaseEnd'),
        queued_on: r.date('queuedOn'),
      };
      if (status === 'active') {
        if (!row.unit_code) r.reasons.push('在保家庭缺少房源编号');
        if (!row.lease_start) r.reasons.push('在保家庭缺少租赁起始日期');
      }
      if (status === 'waiting' && !row.queued_on) r.reasons.push('轮候家庭缺少轮候登记日期');
      if (row.lease_start && row.lease_end && row.lease_end < row.lease_start) r.reasons.push('租赁截止早于租赁起始');
      return { row, key: String(householdCode) };
    },
  ),
  members: define(
    'members',
    '家庭成员',
    [col('家庭编号', 'householdCode', true), col('身份证号', 'idNo', true, 'id'), col('姓名', 'name', true, 'name'), col('与承租人关系', 'relation', true)],
    [['household_code', 'text'], ['id_no', 'text'], ['name', 'text'], ['relation', 'text'], ['birth_date', 'date'], ['sex', 'text']],
    (r) => {
      const householdCode = r.text('householdCode', true);
      const id = r.idNo('idNo');
      const row = { household_code: householdCode, id_no: id?.idNo ?? null, name: r.text('name', true), relation: r.oneOf('relation', RELATION, true), birth_date: id?.birthDate ?? null, sex: id?.sex ?? null };
      return { row, key: `${householdCode}|${id?.idNo}` };
    },
    { replacesBy: '家庭编号' },
  ),
  declarations: define(
    'declarations',
    '主动申报',
    [col('家庭编号', 'householdCode', true), col('身份证号', 'idNo', true, 'id'), col('申报事项', 'matter', true), col('申报日期', 'declaredOn', true), col('说明', 'note')],
    [['household_code', 'text'], ['id_no', 'text'], ['matter', 'text'], ['declared_on', 'date'], ['note', 'text']],
    (r) => {
      const householdCode = r.text('householdCode', true);
      const id = r.idNo('idNo');
      const row = { household_code: householdCode, id_no: id?.idNo ?? null, matter: r.oneOf('matter', DECLARATION_MATTER, true), declared_on: r.date('declaredOn', true), note: r.text('note') ?? '' };
      return { row, key: `${householdCode}|${row.id_no}|${row.matter}|${row.declared_on}` };
    },
  ),
  arrears: define(
    'arrears',
    '欠租',
    [col('家庭编号', 'householdCode', true), col('欠租月数', 'monthsInArrears', true), col('欠租金额', 'amount'), col('统计日期', 'asOf', true)],
    [['household_code', 'text'], ['months_in_arrears', 'int'], ['amount', 'numeric(12,2)'], ['as_of', 'date']],
    (r) => {
      const householdCode = r.text('householdCode', true);
      const row = { household_code: householdCode, months_in_arrears: r.amount('monthsInArrears', true, { integer: true }), amount: r.amount('amount'), as_of: r.date('asOf', true) };
      return { row, key: `${householdCode}|${row.as_of}` };
    },
  ),
  handovers: define(
    'handovers',
    '腾退交房',
    [col('家庭编号', 'householdCode', true), col('房源编号', 'unitCode', true), col('交房日期', 'handedOverOn', true)],
    [['household_code', 'text'], ['unit_code', 'text'], ['handed_over_on', 'date']],
    (r) => {
      const householdCode = r.text('householdCode', true);
      const row = { household_code: householdCode, unit_code: r.text('unitCode', true), handed_over_on: r.date('handedOverOn', true) };
      return { row, key: `${householdCode}|${row.unit_code}|${row.handed_over_on}` };
    },
  ),
};

/** Which ledger a file is, by its base name (projects.csv, units.xlsx ...). */
export function ledgerKindOf(fileName: string): LedgerKind | null {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(csv|xlsx)$/i, '').toLowerCase();
  return (LEDGER_ORDER as string[]).includes(base) ? (base as LedgerKind) : null;
}

/** The columns a rejected row of this ledger is shown with (anything else the file carried is dropped). */
export function shownColumns(def: LedgerDefinition): ShownColumn[] {
  return def.columns.map((c) => ({ key: c.header, personal: c.personal }));
}

export function missingColumns(def: LedgerDefinition, headers: string[]): string[] {
  return def.columns.filter((c) => c.required && !headers.includes(c.header)).map((c) => c.header);
}
