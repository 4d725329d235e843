import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';

/** What a request's authentication reads of its token. */
export interface TokenRow {
  id: number;
  name: string;
  role: string;
  revoked_at: Date | null;
  expires_at: Date | null;
  scope_towns: string[];
  scope_projects: string[];
}

/**
 * api_token's reads and writes on the pool, without Prisma: the per-request look-up and the
 * bootstrap token. Creation, revocation and the list (in the caller's Prisma transaction) stay Prisma.
 */
@Injectable()
export class TokenRepository {
  constructor(private readonly db: DatabaseService) {}

  /** One indexed read by the token's hash. */
  async byHash(tokenHash: string): Promise<TokenRow | undefined> {
    const { rows } = await this.db.pool.query<TokenRow>(`SELECT id, name, role, revoked_at, expires_at, coalesce(scope_towns, '{}') AS scope_towns, coalesce(scope_projects, '{}') AS scope_projects FROM api_token WHERE token_hash = $1`, [tokenHash]);
    return rows[0];
  }

  /** Registers the bootstrap admin token; false when that hash is already registered. */
  async insertBootstrap(tokenHash: string): Promise<boolean> {
    const { rowCount } = await this.db.pool.query(
      `INSERT INTO api_token (name, role, token_hash, created_by) VALUES ('bootstrap-admin', 'admin', $1, 'env:BOOTSTRAP_ADMIN_TOKEN')
       ON CONFLICT (token_hash) DO NOTHING`,
      [tokenHash],
    );
    return !!rowCount;
  }
}
