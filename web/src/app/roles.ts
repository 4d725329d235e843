export const ROLES = ['admin', 'reviewer', 'inspector', 'auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABEL: Record<Role, string> = {
  admin: '管理员',
  reviewer: '复核员',
  inspector: '核查员',
  auditor: '审计员',
  viewer: '只读',
};

/** Every role reads (README's role table). */
export const ALL_ROLES: readonly Role[] = ROLES;

/** Roles that may see ID numbers in clear, with a purpose (src/auth/actor.ts ROLES_SEEING_ID). */
export const ROLES_SEEING_ID: readonly Role[] = ['admin', 'reviewer'];

export function roleLabel(role: string): string {
  return (ROLE_LABEL as Record<string, string>)[role] ?? role;
}
