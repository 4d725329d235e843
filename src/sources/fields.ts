import { z } from 'zod';
import { parseIdNo } from '../common/identity';
import { cleanText, isBlank, parseAmount, parseDate, parsePeriod, parseTimestamp, ValueResult } from '../common/values';
import { dateIssue, quantityIssue, textIssue } from '../common/value-limits';

/**
 * Field types of department records (feeds.md section 3). Each is a zod schema that accepts what
 * a JSON page or a CSV/XLSX cell may hold and yields the normalised value, or an issue whose
 * message is the Chinese reason stored with the rejected record.
 */

export type FieldType = 'id' | 'name' | 'text' | 'date' | 'period' | 'amount' | 'percent' | 'region' | 'enum' | 'timestamp';

export interface FieldSpec {
  /** Chinese CSV header. */
  header: string;
  type: FieldType;
  schema: z.ZodType;
  /** Optional fields become null when the cell is empty (unknown, never zero). */
  required: boolean;
}

function fromResult<T>(parse: (v: unknown) => { ok: true; value: T } | { ok: false; reason: string }) {
  return z.unknown().transform((v, ctx) => {
    const r = parse(v);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.reason });
      return z.NEVER;
    }
    return r.value;
  });
}

const idNo = z.unknown().transform((v, ctx) => {
  if (isBlank(v)) return null;
  const r = parseIdNo(String(v));
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.reason });
    return z.NEVER;
  }
  return r.value.idNo;
});

/** A parser whose non-null value must also pass `issue` (the plausible-value checks of value-limits). */
function checked<T>(parse: (v: unknown) => ValueResult<T | null>, issue: (v: T) => string | null) {
  return (v: unknown): ValueResult<T | null> => {
    const r = parse(v);
    if (!r.ok || r.value === null) return r;
    const why = issue(r.value);
    return why ? { ok: false, reason: why } : r;
  };
}

const text = fromResult(checked((v) => ({ ok: true, value: cleanText(v) }), (s: string) => textIssue(s)));
const date = fromResult(checked(parseDate, (d: string) => dateIssue(d)));
const period = fromResult(checked(parsePeriod, (p: string) => dateIssue(p)));
/** Every amount of feeds.md is a quantity (area, income, assets, base, amount, price, capital, usage). */
const amount = fromResult(checked(parseAmount, quantityIssue));
const timestamp = fromResult(checked(parseTimestamp, (t: Date) => dateIssue(t.toISOString().slice(0, 10))));

function oneOf(values: readonly string[]) {
  return z.unknown().transform((v, ctx) => {
    const s = cleanText(v);
    if (s === null) return null;
    if (!values.includes(s)) {
      ctx.addIssue({ code: 'custom', message: `取值无效「${s.slice(0, 20)}」，应为 ${values.join('/')}` });
      return z.NEVER;
    }
    return s;
  });
}

function range(min: number, max: number) {
  return amount.transform((v, ctx) => {
    if (v !== null && (v < min || v > max)) {
      ctx.addIssue({ code: 'custom', message: `数值超出范围 ${min}-${max}: ${v}` });
      return z.NEVER;
    }
    return v;
  });
}

const spec = (type: FieldType, header: string, schema: z.ZodType, required = false): FieldSpec => ({ header, type, schema, required });

/** Field constructors: `F.id('身份证号', true)` etc. */
export const F = {
  id: (header: string, required = false) => spec('id', header, idNo, required),
  text: (header: string, required = false) => spec('text', header, text, required),
  /** A person's name: masked wherever a record is shown (rejections). */
  name: (header: string, required = false) => spec('name', header, text, required),
  date: (header: string, required = false) => spec('date', header, date, required),
  period: (header: string, required = false) => spec('period', header, period, required),
  amount: (header: string, required = false) => spec('amount', header, amount, required),
  percent: (header: string, required = false) => spec('percent', header, range(0, 100), required),
  region: (header: string, required = false) =>
    spec(
      'region',
      header,
      text.transform((v, ctx) => {
        if (v !== null && !/^\d{6}$/.test(v)) {
          ctx.addIssue({ code: 'custom', message: `行政区划代码应为6位数字: ${v.slice(0, 12)}` });
          return z.NEVER;
        }
        return v;
      }),
      required,
    ),
  oneOf: (header: string, values: readonly string[], required = false) => spec('enum', header, oneOf(values), required),
  timestamp: (header: string, required = false) => spec('timestamp', header, timestamp, required),
};

/** Builds the zod object for a kind's fields: required ones must be present and non-empty. */
export function recordSchema(fields: Record<string, FieldSpec>): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, f] of Object.entries(fields)) {
    shape[name] = f.required
      ? z.unknown().superRefine((v, ctx) => {
          if (isBlank(v)) ctx.addIssue({ code: 'custom', message: `缺少必填字段: ${f.header}` });
        }).pipe(f.schema)
      : f.schema;
  }
  return z.object(shape);
}
