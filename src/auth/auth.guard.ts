import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, TooManyRequests } from '../common/errors';
import { AuthFailureLimiter } from '../http/auth-failure.limiter';
import type { Request } from 'express';
import type { Actor, Role } from './actor';
import { CITY_WIDE_KEY, DURING_PASSWORD_CHANGE_KEY, PUBLIC_KEY, ROLES_KEY } from './decorators';
import { describeScope, isCityWide } from './scope';
import { SESSION_COOKIE, SessionsService } from '../accounts/sessions.service';
import { TokenService } from './token.service';
import { checkCsrf, XSRF_COOKIE } from '../accounts/csrf';
import { AppConfig } from '../config/config';

/** The value of one cookie of a Cookie header. */
export function cookieOf(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/**
 * Global guard: a bearer token or a signed-in session's cookie on every route but the public ones;
 * 401 without, 403 CSRF for a cookie session's state-changing request without the XSRF token
 * (src/accounts/csrf.ts), 403 wrong role, 403 PASSWORD_CHANGE_REQUIRED for a user who must change theirs.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly failures: AuthFailureLimiter,
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const ip = req.ip ?? 'unknown';
    const wait = await this.failures.blockedFor(ip);
    if (wait) throw new TooManyRequests('认证失败次数过多，请稍后重试', wait);
    const header = req.headers?.authorization;
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const cookie = m ? undefined : cookieOf(req.headers?.cookie, SESSION_COOKIE);
    if (!m && !cookie) return this.refuse(ip, '缺少访问凭证（Authorization: Bearer <token> 或登录会话）');
    let actor: Actor | null;
    if (m) {
      actor = await this.tokens.verify(m[1]);
      if (!actor) return this.refuse(ip, '访问凭证无效、已过期或已吊销');
    } else {
      const session = await this.sessions.verify(cookie!);
      if (!session) return this.refuse(ip, '登录会话无效、已过期或已结束，请重新登录');
      checkCsrf(req, cookieOf(req.headers.cookie, XSRF_COOKIE), this.config.publicOrigin);
      const { mustChangePassword, ...user } = session;
      actor = user;
      if (mustChangePassword && !this.reflector.getAllAndOverride<boolean>(DURING_PASSWORD_CHANGE_KEY, targets)) {
        req.actor = actor;
        throw new DomainError('PASSWORD_CHANGE_REQUIRED', '请先修改初始密码（POST /api/auth/password）');
      }
    }
    req.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new DomainError('FORBIDDEN', `角色 ${actor.role} 无权执行此操作（需要 ${roles.join('/')}）`);
    }
    if (this.reflector.getAllAndOverride<boolean>(CITY_WIDE_KEY, targets) && !isCityWide(actor.scope)) {
      throw new DomainError('FORBIDDEN', `此操作仅限全市范围的账号（当前范围：${describeScope(actor.scope)}）`);
    }
    return true;
  }

  /** A failed authentication: 401, or 429 once the IP is past its limit (counted atomically). */
  private async refuse(ip: string, message: string): Promise<never> {
    const wait = await this.failures.recordFailure(ip);
    if (wait) throw new TooManyRequests('认证失败次数过多，请稍后重试', wait);
    throw new DomainError('UNAUTHENTICATED', message);
  }
}
