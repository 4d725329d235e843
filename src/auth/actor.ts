import type { Scope } from './scope';

export const ROLES = ['admin', 'reviewer', 'inspector', 'auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: an API token's holder, a signed-in user, or the operator of a CLI command. */
export interface Actor {
  name: string;
  role: Role;
  tokenId?: number;
  /** A signed-in user (app_user.id), and the SHA-256 id of their session. */
  userId?: number;
  sessionId?: string;
  /** The towns and projects the actor may see; absent or empty: the whole city. */
  scope?: Scope;
}

/** Roles that may see ID numbers in clear (on request, with a stated purpose). */
export const ROLES_SEEING_ID: readonly Role[] = ['admin', 'reviewer'];

export function cliActor(): Actor {
  return { name: `cli:${process.env.USER ?? 'operator'}`, role: 'admin' };
}

export const SYSTEM_ACTOR: Actor = { name: 'system', role: 'admin' };
