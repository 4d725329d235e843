export const ROLES = ['admin', 'reviewer', 'auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: an API token's holder, or the operator of a CLI command. */
export interface Actor {
  name: string;
  role: Role;
  tokenId?: number;
}

/** Roles that may see ID numbers in clear (on request, with a stated purpose). */
export const ROLES_SEEING_ID: readonly Role[] = ['admin', 'reviewer'];

export function cliActor(): Actor {
  return { name: `cli:${process.env.USER ?? 'operator'}`, role: 'admin' };
}

export const SYSTEM_ACTOR: Actor = { name: 'system', role: 'admin' };
