import { parseIdNo } from '../common/identity';
import { cleanText, isBlank, normaliseAddress, parseAmount, parseDate } from '../common/values';
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
}

export interface LedgerDefinition {
  kind: LedgerKind;
  label: string;
  columns: Column[];
  /** Staging columns, in COPY order (after `line` and `raw`). */
  stage: { name: string; type: string }[];
  parse(values: Record<string, unknown>): RowResult;
}

const col = (header: string, field: string, required = false): Column => ({ header, field, required });

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

  text(field: string, required = false): string | null {
    const v = cleanText(this.raw(field));
    return v === null && required ? this.missing(field) : v;
  }
  date(field: string, required = false): string | null {
    const raw = this.raw(field);
    if (isBlank(raw)) return required ? this.missing(field) : null;
    const r = parseDate(raw);
    if (!r.ok) {
      this.reasons.push(`${this.header(field)}: ${r.reason}`);
      return null;
    }
    return r.value;
  }
  amount(field: string, required = false, { integer = false, min = 0 } = {}): number | null {
    const raw = this.raw(field);
    if (isBlank(raw)) return required ? this.missing(field) : null;
    const r = parseAmount(raw);
    if (!r.ok) {
      this.reasons.push(`${this.header(field)}: ${r.reason}`);
      return null;
    }
    if (r.value !== null && (r.value < min || (integer && !Number.isInteger(r.value)))) {
      this.reasons.push(`${this.header(field)}: 数值超出范围 (${r.value})`);
      return null;
    }
    return r.value;
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
    if (!r.ok) {
      this.reasons.push(`${this.header(field)}: ${r.reason}`);
      return null;
    }
    return r.value;
  }
}

function define(
  kind: LedgerKind,
  label: string,
  columns: Column[],
  stage: [string, string][],
  parse: (r: RowReader) => { row: Staged; key: string } | null,
): LedgerDefinition {
  return {
    kind,
    label,
    columns,
    stage: stage.map(([name, type]) => ({ name, type })),
    parse(values) {
      const reader = new RowReader(values, columns);
      const out = parse(reader);
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
    [['unit_code', 'text'], ['project_code', 'text'], ['building', 'text'], ['room_no', 'text'], ['address_code', 'text'], ['address_text', 'text'], ['address_norm', 'text'], ['floor_area', 'numeric'], ['rooms', 'int'], ['monthly_rent', 'numeric']],
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
    [col('家庭编号', 'householdCode', true), col('身份证号', 'idNo', true), col('姓名', 'name', true), col('与承租人关系', 'relation', true)],
    [['household_code', 'text'], ['id_no', 'text'], ['name', 'text'], ['relation', 'text'], ['birth_date', 'date'], ['sex', 'text']],
    (r) => {
      const householdCode = r.text('householdCode', true);
      const id = r.idNo('idNo');
      const row = { household_code: householdCode, id_no: id?.idNo ?? null, name: r.text('name', true), relation: r.oneOf('relation', RELATION, true), birth_date: id?.birthDate ?? null, sex: id?.sex ?? null };
      return { row, key: `${householdCode}|${id?.idNo}` };
    },
  ),
  declarations: define(
    'declarations',
    '主动申报',
    [col('家庭编号', 'householdCode', true), col('身份证号', 'idNo', true), col('申报事项', 'matter', true), col('申报日期', 'declaredOn', true), col('说明', 'note')],
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
    [['household_code', 'text'], ['months_in_arrears', 'int'], ['amount', 'numeric'], ['as_of', 'date']],
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

export function missingColumns(def: LedgerDefinition, headers: string[]): string[] {
  return def.columns.filter((c) => c.required && !headers.includes(c.header)).map((c) => c.header);
}
