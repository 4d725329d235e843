import { z } from 'zod';
import { pageShape } from '../common/pagination';
import { isoDate } from '../common/schemas';
import { sweepableParameters } from './simulate';

/** A sweep: one parameter over a range (at most 41 points). */
export const sweepSpec = z
  .object({
    parameter: z.string().refine((p) => sweepableParameters().includes(p), { message: `可扫描的参数: ${sweepableParameters().join(', ')}` }),
    from: z.number(),
    to: z.number(),
    step: z.number().positive(),
  })
  .strict()
  .refine((s) => s.to >= s.from, { message: 'to 须不小于 from', path: ['to'] })
  .refine((s) => Math.floor((s.to - s.from) / s.step + 1e-9) + 1 <= 41, { message: '最多 41 个取值点', path: ['step'] });

/** A simulation: a draft over today's data (as of a date), compared with the policy in force; or a sweep. */
export const simulationBody = z
  .object({
    draft: z.number().int().positive(),
    asOf: isoDate.optional(),
    sweep: sweepSpec.optional(),
  })
  .strict();

export const changesQuery = z
  .object({
    change: z.enum(['newly_failing', 'newly_passing', 'changed']).optional(),
    rule: z.string().regex(/^[A-Z_]{3,30}$/).optional(),
    ...pageShape(),
  })
  .strict();

export const simulationListQuery = z.object(pageShape()).strict();

/** The changed households as a table (XLSX as the printed forms, or CSV), with the list's filters. */
export const changesExportQuery = z
  .object({
    format: z.enum(['xlsx', 'csv']).default('xlsx'),
    change: z.enum(['newly_failing', 'newly_passing', 'changed']).optional(),
    rule: z.string().regex(/^[A-Z_]{3,30}$/).optional(),
  })
  .strict();
