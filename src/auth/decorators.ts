import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Actor, Role } from './actor';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';
export const DURING_PASSWORD_CHANGE_KEY = 'duringPasswordChange';
export const CITY_WIDE_KEY = 'cityWide';

/** Roles allowed on a route (any authenticated role when absent). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/**
 * A route for city-wide accounts only (user and token management, ledger edits and imports, policy
 * changes, triggering syncs and recomputes, the audit log, department rejection reports): a town- or
 * project-scoped account gets 403 (its data is not of a town or project).
 */
export const CityWide = () => SetMetadata(CITY_WIDE_KEY, true);
/** A route without credentials (health, API docs only). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** A route a signed-in user who must change their password may still use (me, password, logout). */
export const AllowedBeforePasswordChange = () => SetMetadata(DURING_PASSWORD_CHANGE_KEY, true);

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<{ actor: Actor }>().actor;
});
