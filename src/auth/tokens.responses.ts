import { z } from 'zod';
import { ROLES } from './actor';
import { timestamp } from '../common/responses';

/** A token as listed (never its secret). */
export const tokenView = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  role: z.enum(ROLES),
  scopeTowns: z.array(z.string()),
  scopeProjects: z.array(z.string()),
  createdAt: timestamp,
  createdBy: z.string(),
  revokedAt: timestamp.nullable(),
  expiresAt: timestamp.nullable(),
});
export const tokenList = z.array(tokenView);
/** A created token: the secret is shown once, here. */
export const createdToken = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  role: z.enum(ROLES),
  scopeTowns: z.array(z.string()),
  scopeProjects: z.array(z.string()),
  expiresAt: timestamp.nullable(),
  token: z.string(),
});
export const revokedToken = z.strictObject({ id: z.number().int(), revoked: z.literal(true) });
