import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Actor, Role } from '../auth/actor';
import { DomainError, notFound } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { generatePassword, hashPassword, passwordIssues } from './passwords';
import { UsersRepository, UserView } from './users.repository';

export interface NewUser {
  username: string;
  displayName?: string;
  role: Role;
  towns?: string[];
  projects?: string[];
  /** The initial password; none: one is generated and returned once. */
  password?: string;
}

export interface UserChange {
  displayName?: string;
  role?: Role;
  towns?: string[];
  projects?: string[];
  /** true re-enables a disabled user; false disables them. */
  active?: boolean;
}

/** Admin management of users: each change and its audit entry in one transaction. */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: DatabaseService,
    private readonly repo: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  /** Creates a user who must change the password at first sign-in; `initialPassword` is shown once. */
  async create(input: NewUser, actor: Actor): Promise<{ user: UserView; initialPassword?: string }> {
    const generated = input.password === undefined ? generatePassword() : undefined;
    const password = input.password ?? generated!;
    const issues = passwordIssues(password, input.username, 'password');
    if (issues.length) throw new DomainError('VALIDATION', '密码不符合要求', issues);
    const passwordHash = await hashPassword(password);
    const user = await this.db.prisma.$transaction(async (tx) => {
      const u = await this.repo.create(tx, {
        username: input.username,
        displayName: input.displayName ?? input.username,
        role: input.role,
        scopeTowns: input.towns ?? [],
        scopeProjects: input.projects ?? [],
        passwordHash,
      });
      await this.audit.recordIn(tx, actor, 'user.create', 'app_user', String(u.id), { username: u.username, role: u.role, towns: u.scopeTowns, projects: u.scopeProjects });
      return u;
    });
    return generated ? { user, initialPassword: generated } : { user };
  }

  list(q: { page: number; pageSize: number }) {
    return this.repo.list(q);
  }

  async get(id: number): Promise<UserView> {
    const u = await this.repo.byId(id);
    if (!u) throw notFound('用户', id);
    return u;
  }

  async update(id: number, change: UserChange, actor: Actor): Promise<UserView> {
    return this.db.prisma.$transaction(async (tx) => {
      const before = await this.repo.byId(id, tx);
      if (!before) throw notFound('用户', id);
      const after = await this.repo.update(tx, id, {
        displayName: change.displayName,
        role: change.role,
        scopeTowns: change.towns,
        scopeProjects: change.projects,
        active: change.active,
      });
      // Disabling ends the user's sessions; re-enabling starts them with a clean lockout count.
      const sessionsEnded = change.active === false ? await this.repo.revokeSessionsOf(tx, id) : undefined;
      if (change.active === true && !before.active) await this.repo.clearLockout(tx, id);
      const pick = (u: UserView) => ({ displayName: u.displayName, role: u.role, towns: u.scopeTowns, projects: u.scopeProjects, active: u.active });
      const action = before.active !== after.active ? (after.active ? 'user.enable' : 'user.disable') : 'user.update';
      await this.audit.recordIn(tx, actor, action, 'app_user', String(id), { before: pick(before), after: pick(after), sessionsEnded });
      return after;
    });
  }

  /** Disables a user and ends their sessions. */
  async disable(id: number, actor: Actor): Promise<UserView> {
    return this.db.prisma.$transaction(async (tx) => {
      if (!(await this.repo.byId(id, tx))) throw notFound('用户', id);
      const user = await this.repo.update(tx, id, { active: false });
      const ended = await this.repo.revokeSessionsOf(tx, id);
      await this.audit.recordIn(tx, actor, 'user.disable', 'app_user', String(id), { sessionsEnded: ended });
      return user;
    });
  }

  /** A new one-time password (given or generated); the user's sessions end and they must change it. */
  async resetPassword(id: number, password: string | undefined, actor: Actor): Promise<{ user: UserView; initialPassword?: string }> {
    const existing = await this.get(id);
    const generated = password === undefined ? generatePassword() : undefined;
    const next = password ?? generated!;
    const issues = passwordIssues(next, existing.username, 'password');
    if (issues.length) throw new DomainError('VALIDATION', '密码不符合要求', issues);
    const hash = await hashPassword(next);
    const user = await this.db.prisma.$transaction(async (tx) => {
      await this.repo.setPassword(tx, id, hash, true);
      const ended = await this.repo.revokeSessionsOf(tx, id);
      await this.audit.recordIn(tx, actor, 'user.password.reset', 'app_user', String(id), { sessionsEnded: ended });
      return (await this.repo.byId(id, tx))!;
    });
    return generated ? { user, initialPassword: generated } : { user };
  }
}
