import { z } from 'zod';
import type { ShownColumn } from '../common/masking';
import { FieldSpec, recordSchema } from './fields';

/** One kind of record of a source (feeds.md section 3). */
export interface KindDefinition {
  kind: string;
  /** The Chinese label written in the CSV 类型 column. */
  label: string;
  fields: Record<string, FieldSpec>;
  /** Field with the subject's ID number. */
  person?: string;
  /** Field with a second party's ID number (the spouse of a marriage record). */
  otherPerson?: string;
  /** Address fields, matched to units by code, else by normalised text. */
  address?: { code: string; text: string };
  /** The record's own date: "the newest record of a kind" orders by it. */
  date?: string;
  /** The month a record belongs to (YYYY-MM). */
  period?: string;
}

export interface SourceDefinition {
  name: string;
  label: string;
  /** Default sync schedule (cron, Asia/Shanghai); SOURCE_<NAME>_CRON overrides. */
  defaultCron: string;
  kinds: KindDefinition[];
}

/** Fields every record has. */
export const COMMON_HEADERS = { recordId: '记录编号', op: '操作', updatedAt: '更新时间', kind: '类型' } as const;

/** SOURCE_<NAME>_... environment prefix: housing-fund → HOUSING_FUND. */
export const envNameOf = (source: string) => source.toUpperCase().replace(/-/g, '_');

export interface CompiledKind extends KindDefinition {
  schema: z.ZodType<Record<string, unknown>>;
  /** Chinese header → field name. */
  byHeader: Map<string, string>;
}

export interface CompiledSource extends SourceDefinition {
  compiled: Map<string, CompiledKind>;
  /** Chinese kind label (or the kind itself) → kind. */
  kindOf(labelOrKind: string | null | undefined): string | null;
  /** The union of the kinds' columns, in declaration order (for CSV files). */
  headers: string[];
}

/**
 * The keys a rejected record of this source is shown with, JSON field names and Chinese headers
 * alike (anything else a page or file carried is dropped); ID numbers and names are marked personal.
 */
export function shownColumns(def: SourceDefinition): ShownColumn[] {
  const out = new Map<string, ShownColumn>();
  const add = (key: string, personal?: ShownColumn['personal']) => {
    if (!out.get(key)?.personal) out.set(key, { key, personal });
  };
  for (const [field, header] of Object.entries(COMMON_HEADERS)) [field, header].forEach((k) => add(k));
  add('file');
  for (const k of def.kinds) {
    for (const [field, spec] of Object.entries(k.fields)) {
      const personal = spec.type === 'id' ? 'id' : spec.type === 'name' ? 'name' : undefined;
      add(field, personal);
      add(spec.header, personal);
    }
  }
  return [...out.values()];
}

export function compileSource(def: SourceDefinition): CompiledSource {
  const compiled = new Map<string, CompiledKind>();
  const headers: string[] = [COMMON_HEADERS.recordId, COMMON_HEADERS.op, COMMON_HEADERS.updatedAt];
  if (def.kinds.length > 1 || def.name === 'utilities') headers.push(COMMON_HEADERS.kind);
  for (const k of def.kinds) {
    const byHeader = new Map<string, string>();
    for (const [field, spec] of Object.entries(k.fields)) {
      byHeader.set(spec.header, field);
      if (!headers.includes(spec.header)) headers.push(spec.header);
    }
    compiled.set(k.kind, { ...k, schema: recordSchema(k.fields), byHeader });
  }
  return {
    ...def,
    compiled,
    headers,
    kindOf(v) {
      if (v == null || String(v).trim() === '') return def.kinds.length === 1 ? def.kinds[0].kind : null;
      const s = String(v).trim();
      return def.kinds.find((k) => k.kind === s || k.label === s)?.kind ?? null;
    },
  };
}
