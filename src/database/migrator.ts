import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { grantServiceRole, serviceRoleOf } from './service-role';
import { AdvisoryLock } from '../common/advisory-locks';

/**
 * Applies prisma/migrations/<name>/migration.sql in name order, recording each in Prisma's own
 * `_prisma_migrations` table (same columns, sha256 checksum of the file), so `prisma migrate
 * deploy` on a machine with the schema engine sees them as applied. Safe to run twice and from
 * several processes at once: one session-level advisory lock serialises runners.
 */

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export function listMigrations(dir = resolveMigrationsDir()): { name: string; sql: string; checksum: string }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

function resolveMigrationsDir(): string {
  // Compiled code runs from dist/src/database, tests from src/database.
  for (const up of [['..', '..', '..'], ['..', '..']]) {
    const dir = join(__dirname, ...up, 'prisma', 'migrations');
    if (existsSync(dir)) return dir;
  }
  throw new Error('prisma/migrations not found');
}

/** Creates the database named in the URL when it does not exist (idempotent, race-safe). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) return;
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
        if (err.code !== '42P04' && err.code !== '23505') throw err; // created meanwhile by another runner
      });
    }
  } finally {
    await admin.end();
  }
}

/**
 * Applies the migrations as the owner (`databaseUrl`). With `serviceUrl` naming another user, that
 * user's least-privilege role is created and granted afterwards (src/database/service-role.ts).
 */
export async function migrate(databaseUrl: string, dir?: string, opts: { serviceUrl?: string } = {}): Promise<MigrationResult> {
  const migrations = listMigrations(dir);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const result: MigrationResult = { applied: [], alreadyApplied: [] };
  try {
    await client.query('SELECT pg_advisory_lock($1)', [AdvisoryLock.Migrations]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations"
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    for (const m of migrations) {
      const prior = done.get(m.name);
      if (prior) {
        if (prior !== m.checksum) {
          throw new Error(`migration ${m.name} was modified after it was applied (checksum differs)`);
        }
        result.alreadyApplied.push(m.name);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      result.applied.push(m.name);
    }
    const role = opts.serviceUrl ? serviceRoleOf(databaseUrl, opts.serviceUrl) : null;
    if (role) await grantServiceRole(client, role, decodeURIComponent(new URL(databaseUrl).pathname.slice(1)));
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [AdvisoryLock.Migrations]).catch(() => undefined);
    await client.end();
  }
  return result;
}
