import { z } from 'zod';
import { isoDate } from '../common/schemas';
import { parametersSchema } from './policy.schema';

const { sublet, vacant, exit } = parametersSchema.shape;

/** Some of a policy's parameters: any top-level one, or some of a group's (sublet, vacant, exit). */
export const parametersPatch = parametersSchema
  .extend({ sublet: sublet.partial().strict(), vacant: vacant.partial().strict(), exit: exit.partial().strict() })
  .partial()
  .strict();

const draftName = z.string().trim().min(1).max(100);

/** A new draft: a copy of a version (default: the one in force today) with some parameters changed. */
export const createDraftBody = z
  .object({
    name: draftName,
    /** The version to copy; none: the one in force today. */
    from: z.string().regex(/^[\w.-]{1,60}$/).optional(),
    parameters: parametersPatch.default({}),
  })
  .strict();

/** Changes to a draft (until it is adopted). */
export const updateDraftBody = z.object({ name: draftName.optional(), parameters: parametersPatch.optional() }).strict();

/** Adopting a draft: it becomes an immutable policy version in force from `effectiveFrom`. */
export const adoptDraftBody = z.object({ version: z.string().regex(/^[\w.-]{1,60}$/, '只能含字母、数字、_ . -'), effectiveFrom: isoDate }).strict();

export type ParametersPatch = z.infer<typeof parametersPatch>;
