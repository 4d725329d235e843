import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { hashToken } from '../auth/token.service';
import type { Actor } from '../auth/actor';
import { DomainError, TooManyRequests } from '../common/errors';
import { AuthFailureLimiter } from '../http/auth-failure.limiter';
import { AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { dummyHash, hashPassword, passwordIssues, verifyPassword } from './passwords';
import { UsersRepository } from './users.repository';

export const SESSION_COOKIE = 'phr_session';
/** Failed sign-ins in a row that lock a user, and for how long. */
export const LOCK_AFTER = 5;
export const LOCK_MINUTES = 15;
const BAD_LOGIN = '用户名或密码错误，或账号已锁定或停用';

/** A session's stored id: the SHA-256 of the cookie's secret, as an API token's stored hash. */
const sessionIdOf = hashToken;

/** Who a sign-in attempt is audited as before anyone is known. */
const anonymous = (username: string): Actor => ({ name: `login:${username.slice(0, 64)}`, role: 'viewer' });

/** Sign-in, sessions (cookie secret → SHA-256 id), sign-out and password changes. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly repo: UsersRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly failures: AuthFailureLimiter,
  ) {}

  /** A failed sign-in also counts against the client IP's failed-authentication limit (429 past it). */
  private async refuse(ip: string, locked = false): Promise<never> {
    const wait = await this.failures.recordFailure(ip);
    if (wait) throw new TooManyRequests('认证失败次数过多，请稍后重试', wait);
    if (locked) throw new DomainError('LOCKED', `账号因连续${LOCK_AFTER}次密码错误已锁定，请${LOCK_MINUTES}分钟后再试或联系管理员解锁`);
    throw new DomainError('UNAUTHENTICATED', BAD_LOGIN);
  }

  /**
   * Checks a username and password. Unknown users, wrong passwords, locked and disabled users all
   * get the same 401 after one scrypt (a dummy hash for unknown users). Every outcome is audited.
   */
  async login(username: string, password: string, ip: string): Promise<{ secret: string; expiresAt: Date; mustChangePassword: boolean }> {
    const wait = await this.failures.blockedFor(ip);
    if (wait) throw new TooManyRequests('认证失败次数过多，请稍后重试', wait);
    const user = await this.repo.credentials(username);
    const ok = await verifyPassword(password, user?.password_hash ?? (await dummyHash()));
    if (!user) {
      await this.audit.record(anonymous(username), 'auth.login.fail', 'app_user', null, { username, ip, reason: 'unknown_user' });
      return this.refuse(ip);
    }
    const actor: Actor = { name: user.username, role: user.role, userId: user.id };
    if (!user.active || user.locked) {
      await this.audit.record(actor, 'auth.login.fail', 'app_user', String(user.id), { ip, reason: user.active ? 'locked' : 'disabled' });
      // Locked: 423 with its reason, even for the right password; disabled: like a wrong password.
      return this.refuse(ip, user.active);
    }
    if (!ok) {
      await this.db.tx(async (c) => {
        const r = await this.repo.recordFailure(c, user.id, LOCK_AFTER, LOCK_MINUTES);
        await this.audit.recordIn(c, actor, 'auth.login.fail', 'app_user', String(user.id), { ip, reason: 'bad_password', failedAttempts: r.failedAttempts });
        if (r.lockedNow) await this.audit.recordIn(c, actor, 'auth.lockout', 'app_user', String(user.id), { ip, minutes: LOCK_MINUTES });
      });
      return this.refuse(ip);
    }
    const secret = randomBytes(32).toString('base64url');
    const id = sessionIdOf(secret);
    const session = await this.db.tx(async (c) => {
      const login = await this.repo.recordLogin(c, user.id);
      if (!login) {
        // Locked or disabled since the read above: the right password in a burst of guesses gets no session.
        await this.audit.recordIn(c, actor, 'auth.login.fail', 'app_user', String(user.id), { ip, reason: 'locked' });
        return null;
      }
      const expiresAt = await this.repo.insertSession(c, id, user.id, this.config.sessionMaxHours);
      await this.audit.recordIn(c, { ...actor, sessionId: id }, 'auth.login', 'app_user', String(user.id), { ip, mustChangePassword: login.must_change_password });
      return { secret, expiresAt, mustChangePassword: login.must_change_password };
    });
    return session ?? this.refuse(ip, true);
  }

  /** The actor of a live session cookie (touched: the idle timeout restarts), or null. */
  async verify(secret: string): Promise<(Actor & { mustChangePassword: boolean }) | null> {
    if (!secret || secret.length > 200) return null;
    const id = sessionIdOf(secret);
    const s = await this.repo.touchSession(id, this.config.sessionIdleMinutes);
    if (!s) return null;
    return {
      name: s.username,
      role: s.role,
      userId: s.user_id,
      sessionId: id,
      scope: { towns: s.scope_towns, projects: s.scope_projects },
      mustChangePassword: s.must_change_password,
    };
  }

  async logout(actor: Actor): Promise<void> {
    if (!actor.sessionId) throw new DomainError('VALIDATION', '此凭证不是登录会话');
    await this.db.tx(async (c) => {
      await this.repo.revokeSession(c, actor.sessionId!);
      await this.audit.recordIn(c, actor, 'auth.logout', 'app_user', String(actor.userId));
    });
  }

  /**
   * Changes the signed-in user's password; their other sessions end. A wrong current password counts
   * like a failed sign-in (the user's lockout and the IP's limit), so a session cannot be used to
   * guess it without limit; while locked, the change is refused.
   */
  async changePassword(actor: Actor, current: string, next: string, ip: string): Promise<void> {
    if (actor.userId === undefined) throw new DomainError('VALIDATION', '此凭证不是登录用户');
    const userId = actor.userId;
    const stored = await this.repo.passwordOf(userId);
    const ok = await verifyPassword(current, stored?.password_hash ?? (await dummyHash()));
    if (!stored || stored.locked || !ok) {
      await this.db.tx(async (c) => {
        const r = stored && !stored.locked ? await this.repo.recordFailure(c, userId, LOCK_AFTER, LOCK_MINUTES) : undefined;
        const reason = stored?.locked ? 'locked' : 'bad_current';
        await this.audit.recordIn(c, actor, 'auth.password.change.fail', 'app_user', String(userId), { ip, reason, failedAttempts: r?.failedAttempts });
        if (r?.lockedNow) await this.audit.recordIn(c, actor, 'auth.lockout', 'app_user', String(userId), { ip, minutes: LOCK_MINUTES });
      });
      const wait = await this.failures.recordFailure(ip);
      if (wait) throw new TooManyRequests('认证失败次数过多，请稍后重试', wait);
      const reason = stored?.locked ? '账号已锁定，请稍后重试' : '当前密码不正确';
      throw new DomainError('VALIDATION', reason, [{ field: 'current', reason }]);
    }
    const issues = passwordIssues(next, actor.name, 'next');
    if (!issues.length && next === current) issues.push({ field: 'next', reason: '新密码不能与当前密码相同' });
    if (issues.length) throw new DomainError('VALIDATION', '密码不符合要求', issues);
    const nextHash = await hashPassword(next);
    await this.db.prisma.$transaction(async (tx) => {
      await this.repo.setPassword(tx, actor.userId!, nextHash, false);
      const ended = await this.repo.revokeSessionsOf(tx, actor.userId!, actor.sessionId ?? null);
      await this.audit.recordIn(tx, actor, 'auth.password.change', 'app_user', String(actor.userId), { otherSessionsEnded: ended });
    });
  }
}
