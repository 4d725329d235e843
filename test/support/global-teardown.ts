import { Client } from 'pg';
import { PG_BASE, TEST_DB_PREFIX } from './env';

/** Drops the per-file databases this run left behind (the template stays for inspection). */
export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: `${PG_BASE}/postgres` });
  await admin.connect();
  try {
    const like = TEST_DB_PREFIX.replace(/_/g, '\\_') + '%';
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [like]);
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`).catch(() => undefined);
  } finally {
    await admin.end();
  }
}
