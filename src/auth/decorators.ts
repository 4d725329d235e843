import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Actor, Role } from './actor';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';
export const DURING_PASSWORD_CHANGE_KEY = 'duringPasswordChange';

/** Roles allowed on a route (any authenticated role when absent). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** A route without credentials (health, API docs only). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** A route a signed-in user who must change their password may still use (me, password, logout). */
export const AllowedBeforePasswordChange = () => SetMetadata(DURING_PASSWORD_CHANGE_KEY, true);

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<{ actor: Actor }>().actor;
});
