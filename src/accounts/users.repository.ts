import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { pageClause } from '../common/pagination';
import { DatabaseService } from '../database/database.service';
import { Prisma } from '../generated/prisma/client';
import type { Role } from '../auth/actor';

/** A user as the API shows it (never the password hash). */
export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  scopeTowns: string[];
  scopeProjects: string[];
  active: boolean;
  mustChangePassword: boolean;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What sign-in reads of a user. */
export interface UserCredentials {
  id: number;
  username: string;
  role: Role;
  active: boolean;
  password_hash: string;
  locked: boolean;
}

/** What a request's session resolves to. */
export interface SessionUser {
  user_id: number;
  username: string;
  role: Role;
  must_change_password: boolean;
  scope_towns: string[];
  scope_projects: string[];
}

const VIEW = {
  id: true,
  username: true,
  displayName: true,
  role: true,
  scopeTowns: true,
  scopeProjects: true,
  active: true,
  mustChangePassword: true,
  lockedUntil: true,
  lastLoginAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

const VIEW_SQL = `id, username, display_name AS "displayName", role, coalesce(scope_towns, '{}') AS "scopeTowns",
  coalesce(scope_projects, '{}') AS "scopeProjects", active, must_change_password AS "mustChangePassword",
  locked_until AS "lockedUntil", last_login_at AS "lastLoginAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** A session's last_seen_at is written at most this often (seconds): not on every request. */
export const TOUCH_EVERY_SECONDS = 60;

/** app_user and user_session: Prisma for single-row CRUD, SQL for sign-in, lockout and sessions. */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: DatabaseService) {}

  async create(
    tx: Prisma.TransactionClient,
    data: { username: string; displayName: string; role: Role; scopeTowns: string[]; scopeProjects: string[]; passwordHash: string },
  ): Promise<UserView> {
    return (await tx.appUser.create({ data: { ...data, mustChangePassword: true }, select: VIEW })) as UserView;
  }

  async byId(id: number, tx: Prisma.TransactionClient = this.db.prisma): Promise<UserView | null> {
    return (await tx.appUser.findUnique({ where: { id }, select: VIEW })) as UserView | null;
  }

  async update(tx: Prisma.TransactionClient, id: number, data: { displayName?: string; role?: Role; scopeTowns?: string[]; scopeProjects?: string[]; active?: boolean }): Promise<UserView> {
    return (await tx.appUser.update({ where: { id }, data: { ...data, updatedAt: new Date() }, select: VIEW })) as UserView;
  }

  async clearLockout(tx: Prisma.TransactionClient, id: number): Promise<void> {
    await tx.appUser.update({ where: { id }, data: { failedAttempts: 0, lockedUntil: null } });
  }

  async setPassword(tx: Prisma.TransactionClient, id: number, passwordHash: string, mustChangePassword: boolean): Promise<void> {
    await tx.appUser.update({ where: { id }, data: { passwordHash, mustChangePassword, failedAttempts: 0, lockedUntil: null, updatedAt: new Date() } });
  }

  /** A signed-in user's hash and whether a lockout holds now (the database's clock), for a password change. */
  async passwordOf(id: number): Promise<{ password_hash: string; locked: boolean } | undefined> {
    const { rows } = await this.db.pool.query<{ password_hash: string; locked: boolean }>(
      `SELECT password_hash, coalesce(locked_until > now(), false) AS locked FROM app_user WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  /** A page of users by id, and the total. */
  async list(q: { page: number; pageSize: number }): Promise<{ items: UserView[]; total: number; page: number; pageSize: number }> {
    const page = pageClause([], q);
    const [count, items] = await Promise.all([
      this.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM app_user`),
      this.db.pool.query<UserView>(`SELECT ${VIEW_SQL} FROM app_user ORDER BY id ${page.sql}`, page.params),
    ]);
    return { items: items.rows, total: Number(count.rows[0].n), page: q.page, pageSize: q.pageSize };
  }

  /** Sign-in's read: the user and whether a lockout holds now (the database's clock). */
  async credentials(username: string): Promise<UserCredentials | undefined> {
    const { rows } = await this.db.pool.query<UserCredentials>(
      `SELECT id, username, role, active, password_hash, coalesce(locked_until > now(), false) AS locked FROM app_user WHERE username = $1`,
      [username],
    );
    return rows[0];
  }

  /** Counts a failed sign-in; the `lockAfter`th in a row locks the user for `lockMinutes`. */
  async recordFailure(c: PoolClient, id: number, lockAfter: number, lockMinutes: number): Promise<{ failedAttempts: number; lockedNow: boolean }> {
    const { rows } = await c.query<{ failed_attempts: number; locked_now: boolean }>(
      `UPDATE app_user SET failed_attempts = failed_attempts + 1,
         locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
       WHERE id = $1 RETURNING failed_attempts, failed_attempts >= $2 AS locked_now`,
      [id, lockAfter, lockMinutes],
    );
    const r = rows[0];
    if (r?.locked_now) await c.query(`UPDATE app_user SET failed_attempts = 0 WHERE id = $1`, [id]);
    return { failedAttempts: r?.failed_attempts ?? 0, lockedNow: !!r?.locked_now };
  }

  /**
   * A successful sign-in, unless a lockout began meanwhile (a burst of guesses all read "not locked"
   * before their hashes were checked): then undefined, and the lock stays.
   */
  async recordLogin(c: PoolClient, id: number): Promise<{ must_change_password: boolean } | undefined> {
    const { rows } = await c.query<{ must_change_password: boolean }>(
      `UPDATE app_user SET failed_attempts = 0, locked_until = NULL, last_login_at = now()
        WHERE id = $1 AND active AND (locked_until IS NULL OR locked_until <= now()) RETURNING must_change_password`,
      [id],
    );
    return rows[0];
  }

  // ------------------------------------------------------------------ sessions

  async insertSession(c: PoolClient, id: string, userId: number, maxHours: number): Promise<Date> {
    const { rows } = await c.query<{ expires_at: Date }>(
      `INSERT INTO user_session (id, user_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3)) RETURNING expires_at`,
      [id, userId, maxHours],
    );
    return rows[0].expires_at;
  }

  /**
   * A live session (not revoked, before its absolute expiry, seen within the idle timeout, its
   * user active) is returned with its user; anything else is undefined. One statement, which writes
   * `last_seen_at` only when it is over `TOUCH_EVERY_SECONDS` old: every request reads, about one a
   * minute per session writes (the idle timeout is kept to within that minute).
   */
  async touchSession(id: string, idleMinutes: number): Promise<SessionUser | undefined> {
    const { rows } = await this.db.pool.query<SessionUser>(
      `WITH live AS (
         SELECT s.id, s.user_id, u.username, u.role, u.must_change_password, s.last_seen_at,
                coalesce(u.scope_towns, '{}') AS scope_towns, coalesce(u.scope_projects, '{}') AS scope_projects
           FROM user_session s JOIN app_user u ON u.id = s.user_id
          WHERE s.id = $1 AND u.active AND s.revoked_at IS NULL AND s.expires_at > now()
            AND s.last_seen_at > now() - make_interval(mins => $2)
       ), touched AS (
         UPDATE user_session s SET last_seen_at = now() FROM live
          WHERE s.id = live.id AND live.last_seen_at < now() - make_interval(secs => $3)
       )
       SELECT user_id, username, role, must_change_password, scope_towns, scope_projects FROM live`,
      [id, idleMinutes, TOUCH_EVERY_SECONDS],
    );
    return rows[0];
  }

  async revokeSession(c: PoolClient | Prisma.TransactionClient, id: string): Promise<void> {
    if ('$executeRaw' in c) await c.$executeRaw`UPDATE user_session SET revoked_at = now() WHERE id = ${id} AND revoked_at IS NULL`;
    else await c.query(`UPDATE user_session SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
  }

  /** Ends every open session of a user but `except` (the caller's own, on a password change). */
  async revokeSessionsOf(tx: Prisma.TransactionClient, userId: number, except: string | null = null): Promise<number> {
    return tx.$executeRaw`UPDATE user_session SET revoked_at = now() WHERE user_id = ${userId} AND revoked_at IS NULL AND id IS DISTINCT FROM ${except}`;
  }
}
