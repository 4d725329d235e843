import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, PoolClient, QueryResultRow } from 'pg';
import { copyOutRows } from './copy';
import { isSuperuser } from './service-role';
import { AppConfig } from '../config/config';
import { PrismaClient } from '../generated/prisma/client';

/**
 * The one owner of PostgreSQL: a pg pool, and the Prisma client built on it.
 * Set-based work (COPY, bulk SQL) takes a raw client from the same pool via `withClient`/`tx`.
 */
@Injectable()
export class DatabaseService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly pool: Pool;
  readonly prisma: PrismaClient;
  /** /health's own connection: it answers while the main pool is busy with exports or syncs. */
  private readonly healthPool: Pool;

  constructor(config: AppConfig) {
    this.pool = new Pool({ connectionString: config.databaseUrl, max: 10, options: config.databaseSessionOptions });
    // A pool error (server restart) must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.prisma = new PrismaClient({ adapter: new PrismaPg(this.pool) });
    this.healthPool = new Pool({ connectionString: config.databaseUrl, max: 1, statement_timeout: 2_000, connectionTimeoutMillis: 2_000 });
    this.healthPool.on('error', () => undefined);
  }

  async withClient<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }

  /** Runs fn in one transaction on one raw connection. */
  async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (c) => {
      await c.query('BEGIN');
      try {
        const result = await fn(c);
        await c.query('COMMIT');
        return result;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** Reads that must agree with each other: one connection, one REPEATABLE READ snapshot. */
  async snapshot<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (c) => {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        return await fn(c);
      } finally {
        await c.query('COMMIT').catch(() => undefined);
      }
    });
  }

  /** Independent reads on pooled connections; large ones as COPY text. */
  readonly reader = {
    query: <R extends QueryResultRow>(sql: string, params?: unknown[]) => this.pool.query<R>(sql, params),
    copyOut: (sql: string) => this.withClient((c) => copyOutRows(c, sql)),
  };

  /** A superuser can disable the append-only triggers: said loudly, not refused (dev and tests). */
  async onApplicationBootstrap(): Promise<void> {
    if (await isSuperuser(this.pool).catch(() => false)) {
      new Logger('database').warn(
        'connected as a PostgreSQL superuser: run the service as its least-privilege role (DATABASE_URL with its own user, MIGRATION_DATABASE_URL for the owner; see README "Database roles")',
      );
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.healthPool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Closed last, once the workers have drained (their shutdown runs before this hook). A job still
   * holding a connection after the grace period (handed back to the queue) would keep `end()`
   * waiting for ever: the wait is bounded, and the process exits with that connection.
   */
  async onApplicationShutdown(): Promise<void> {
    const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, 2_000).unref())]);
    await bounded(this.prisma.$disconnect());
    await bounded(this.pool.end());
    await bounded(this.healthPool.end());
  }
}
