import { z } from 'zod';
import { idText, timestamp } from '../common/responses';
import { DOCUMENT_KINDS } from './document-kinds';

const kind = z.enum(DOCUMENT_KINDS);

export const templateView = z.strictObject({
  id: z.number().int(),
  kind,
  kindLabel: z.string(),
  version: z.number().int(),
  fileName: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  tags: z.array(z.string()),
  active: z.boolean(),
  uploadedBy: z.string(),
  createdAt: timestamp,
});

const tag = z.strictObject({ tag: z.string(), label: z.string() });

export const templateList = z.strictObject({
  items: z.array(templateView.extend({ inUse: z.boolean() })),
  defaults: z.array(z.strictObject({ kind, kindLabel: z.string(), version: z.literal(0), inUse: z.boolean() })),
  placeholders: z.array(tag),
  findingPlaceholders: z.array(tag),
});

export const caseDocumentList = z.strictObject({
  items: z.array(
    z.strictObject({
      id: idText,
      kind,
      kindLabel: z.string(),
      number: z.string(),
      templateVersion: z.number().int(),
      sha256: z.string(),
      size: z.number().int(),
      createdAt: timestamp,
    }),
  ),
});

export const batchView = z.strictObject({
  id: idText,
  kind,
  kindLabel: z.string(),
  filter: z.strictObject({ status: z.string().optional(), town: z.string().optional(), project: z.string().optional() }),
  status: z.enum(['queued', 'running', 'completed', 'failed']),
  total: z.number().int().nullable(),
  done: z.number().int(),
  size: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: timestamp,
  finishedAt: timestamp.nullable(),
  file: z.string().nullable(),
});
