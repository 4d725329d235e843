import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DatabaseService } from '../database/database.service';
import { DomainError } from '../common/errors';
import { Prisma } from '../generated/prisma/client';
import { Actor, Role, ROLES } from './actor';
import { TokenRepository } from './token.repository';
import { CITY, type Scope } from './scope';

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** API tokens: random secrets shown once, stored only as SHA-256 hashes. */
@Injectable()
export class TokenService {
  private readonly log = new Logger('auth');

  constructor(
    private readonly db: DatabaseService,
    private readonly repo: TokenRepository,
  ) {}

  /** A new token; `expiresAt` (optional) ends it like a revocation. `tx`: the caller's transaction. */
  async create(
    name: string,
    role: Role,
    createdBy: string,
    expiresAt: Date | null = null,
    tx: Prisma.TransactionClient = this.db.prisma,
    scope: Scope = CITY,
  ): Promise<{ id: number; token: string; expiresAt: Date | null }> {
    if (!ROLES.includes(role)) throw new DomainError('VALIDATION', `未知角色: ${role}`);
    const token = `phr_${randomBytes(32).toString('base64url')}`;
    const row = await tx.apiToken.create({
      data: { name, role, tokenHash: hashToken(token), createdBy, expiresAt, scopeTowns: scope.towns, scopeProjects: scope.projects },
    });
    return { id: row.id, token, expiresAt: row.expiresAt };
  }

  /**
   * Every authenticated request asks: one indexed read on the pool, without Prisma's per-query
   * work (under the load bench, a good share of the event loop went to it). No cache, so that a
   * revocation or an expiry holds from the next request.
   */
  async verify(token: string): Promise<Actor | null> {
    const row = await this.repo.byHash(hashToken(token));
    if (!row || row.revoked_at || (row.expires_at && row.expires_at.getTime() <= Date.now())) return null;
    return { name: row.name, role: row.role as Role, tokenId: row.id, scope: { towns: row.scope_towns, projects: row.scope_projects } };
  }

  async revoke(id: number, tx: Prisma.TransactionClient = this.db.prisma): Promise<void> {
    await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  }

  list() {
    return this.db.prisma.apiToken.findMany({
      select: { id: true, name: true, role: true, scopeTowns: true, scopeProjects: true, createdAt: true, createdBy: true, revokedAt: true, expiresAt: true },
      orderBy: { id: 'asc' },
    });
  }

  /** At first start: registers BOOTSTRAP_ADMIN_TOKEN as an admin token (idempotent). */
  async bootstrap(token: string | undefined): Promise<void> {
    if (!token) return;
    if (await this.repo.insertBootstrap(hashToken(token))) this.log.log('bootstrap admin token registered from BOOTSTRAP_ADMIN_TOKEN');
  }
}
