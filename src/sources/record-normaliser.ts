import { z } from 'zod';
import { cleanText, isBlank, normaliseAddress, parseTimestamp } from '../common/values';
import { textIssue, timestampIssue } from '../common/value-limits';
import { COMMON_HEADERS, CompiledKind, CompiledSource } from './source-definition';

/**
 * Turns one delivered record (a JSON page element, or a CSV/XLSX row keyed by Chinese headers)
 * into the normalised form that is staged and merged, or a rejection with its reason. Pure.
 */

export interface NormalisedRecord {
  recordId: string;
  kind: string | null;
  op: 'upsert' | 'delete';
  updatedAt: Date;
  idNo: string | null;
  name: string | null;
  otherIdNo: string | null;
  otherName: string | null;
  addressCode: string | null;
  addressNorm: string | null;
  recordDate: string | null;
  period: string | null;
  data: Record<string, unknown>;
}

export type NormaliseResult = { ok: true; record: NormalisedRecord } | { ok: false; recordId: string | null; reason: string };

const OPS: Record<string, 'upsert' | 'delete'> = { '': 'upsert', upsert: 'upsert', delete: 'delete', 新增: 'upsert', 更新: 'upsert', 删除: 'delete' };

/** CSV/XLSX row (Chinese headers) → the JSON shape of the contract. */
export function rowToRecord(source: CompiledSource, values: Record<string, unknown>): Record<string, unknown> {
  const kind = source.kindOf(cleanText(values[COMMON_HEADERS.kind]));
  const out: Record<string, unknown> = {
    recordId: values[COMMON_HEADERS.recordId],
    op: values[COMMON_HEADERS.op],
    updatedAt: values[COMMON_HEADERS.updatedAt],
    kind: kind ?? values[COMMON_HEADERS.kind],
  };
  const compiled = kind ? source.compiled.get(kind) : undefined;
  if (compiled) for (const [header, field] of compiled.byHeader) if (header in values) out[field] = values[header];
  return out;
}

function issueText(kind: CompiledKind | undefined, err: z.ZodError): string {
  return err.issues
    .map((i) => {
      const field = String(i.path[0] ?? '');
      const header = kind?.fields[field]?.header;
      return i.message.startsWith('缺少必填字段') || !header ? i.message : `${header}: ${i.message}`;
    })
    .join('；');
}

export function normaliseRecord(source: CompiledSource, raw: unknown): NormaliseResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, recordId: null, reason: '记录不是对象' };
  const r = raw as Record<string, unknown>;
  const recordId = isBlank(r.recordId) ? null : String(r.recordId).trim();
  if (!recordId) return { ok: false, recordId: null, reason: '缺少必填字段: 记录编号' };
  if (recordId.length > 200) return { ok: false, recordId: recordId.slice(0, 40), reason: '记录编号过长' };
  const badId = textIssue(recordId);
  if (badId) return { ok: false, recordId: null, reason: `记录编号: ${badId}` };
  const opText = isBlank(r.op) ? '' : String(r.op).trim();
  const op = OPS[opText];
  if (!op) return { ok: false, recordId, reason: `操作: 取值无效「${opText.slice(0, 20)}」，应为 upsert/delete` };
  const ts = isBlank(r.updatedAt) ? null : parseTimestamp(r.updatedAt);
  if (!ts || !ts.ok || !ts.value) return { ok: false, recordId, reason: ts && !ts.ok ? `更新时间: ${ts.reason}` : '缺少必填字段: 更新时间' };
  // A version from the future would win over every later correction (the later updatedAt stands).
  const tsIssue = timestampIssue(ts.value);
  if (tsIssue) return { ok: false, recordId, reason: `更新时间: ${tsIssue}` };
  const kindText = isBlank(r.kind) ? null : String(r.kind).trim();
  const kind = source.kindOf(kindText);

  if (op === 'delete') {
    return {
      ok: true,
      record: { recordId, kind, op, updatedAt: ts.value, idNo: null, name: null, otherIdNo: null, otherName: null, addressCode: null, addressNorm: null, recordDate: null, period: null, data: {} },
    };
  }
  if (!kind) {
    return { ok: false, recordId, reason: kindText ? `类型: 取值无效「${kindText.slice(0, 20)}」` : '缺少必填字段: 类型' };
  }
  const compiled = source.compiled.get(kind)!;
  // Every field of the kind is present for the schema: an absent field is unknown (null).
  const input: Record<string, unknown> = {};
  for (const f of Object.keys(compiled.fields)) input[f] = r[f] ?? null;
  const parsed = compiled.schema.safeParse(input);
  if (!parsed.success) return { ok: false, recordId, reason: issueText(compiled, parsed.error) };
  const data = parsed.data;
  const str = (f: string | undefined) => (f ? ((data[f] as string | null) ?? null) : null);
  const nameOf = (idField: string | undefined) => {
    if (!idField) return null;
    const nameField = idField === 'spouseIdNo' ? 'spouseName' : idField === 'ownerIdNo' ? 'ownerName' : 'name';
    return (data[nameField] as string | null) ?? null;
  };
  const addressCode = compiled.address ? str(compiled.address.code) : null;
  const addressText = compiled.address ? str(compiled.address.text) : null;
  return {
    ok: true,
    record: {
      recordId,
      kind,
      op,
      updatedAt: ts.value,
      idNo: str(compiled.person),
      name: nameOf(compiled.person),
      otherIdNo: str(compiled.otherPerson),
      otherName: nameOf(compiled.otherPerson),
      addressCode,
      addressNorm: normaliseAddress(addressText),
      recordDate: str(compiled.date),
      period: str(compiled.period),
      data,
    },
  };
}
