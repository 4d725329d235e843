import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, TooManyRequests } from '../common/errors';
import { AuthFailureLimiter } from '../http/auth-failure.limiter';
import type { Request } from 'express';
import type { Actor, Role } from './actor';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';
import { TokenService } from './token.service';

/** Global guard: a bearer token on every route but the public ones; 401 without, 403 wrong role. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly failures: AuthFailureLimiter,
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
    if (!m) return this.refuse(ip, '缺少访问凭证（Authorization: Bearer <token>）');
    const actor = await this.tokens.verify(m[1]);
    if (!actor) return this.refuse(ip, '访问凭证无效、已过期或已吊销');
    req.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(actor.role)) {
      throw new DomainError('FORBIDDEN', `角色 ${actor.role} 无权执行此操作（需要 ${roles.join('/')}）`);
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
