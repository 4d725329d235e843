import { z } from 'zod';
import { ROLES } from '../auth/actor';
import { pageOf, timestamp } from '../common/responses';

/** A user as the admin sees it (never the password hash). */
export const userView = z.strictObject({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  scopeTowns: z.array(z.string()),
  scopeProjects: z.array(z.string()),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: timestamp.nullable(),
  lastLoginAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const userPage = pageOf(userView);
/** A created user or a reset password: a generated password is shown once, here. */
export const userWithPassword = z.strictObject({ user: userView, initialPassword: z.string().optional() });

export const loginResponse = z.strictObject({ expiresAt: timestamp, mustChangePassword: z.boolean() });
const scopeView = z.strictObject({ towns: z.array(z.string()), projects: z.array(z.string()), city: z.boolean() });
/** Who is calling: a signed-in user, or a bearer token; each with its scope. */
export const meResponse = z.union([
  z.strictObject({
    user: z.strictObject({ id: z.number().int(), username: z.string(), displayName: z.string() }),
    role: z.enum(ROLES),
    scope: scopeView,
    mustChangePassword: z.boolean(),
  }),
  z.strictObject({ user: z.null(), name: z.string(), role: z.enum(ROLES), tokenId: z.number().int().optional(), scope: scopeView }),
]);
export const loggedOut = z.strictObject({ loggedOut: z.literal(true) });
export const passwordChanged = z.strictObject({ changed: z.literal(true) });
