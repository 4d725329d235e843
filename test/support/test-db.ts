import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { dbUrl, PG_BASE, TEMPLATE_DB, TEST_DB_PREFIX } from './env';

/** A fresh database cloned from the migrated template, for one test file. */
export async function createTestDatabase(label: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `${TEST_DB_PREFIX}${label.replace(/\W/g, '_').toLowerCase().slice(0, 30)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: `${PG_BASE}/postgres` });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DB}"`);
        break;
      } catch (err) {
        // Another file may be cloning the template at this very moment.
        if (attempt > 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 200 + attempt * 100));
      }
    }
  } finally {
    await admin.end();
  }
  return {
    name,
    url: dbUrl(name),
    async drop() {
      const c = new Client({ connectionString: `${PG_BASE}/postgres` });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
      await c.end();
    },
  };
}

export function pool(url: string): Pool {
  return new Pool({ connectionString: url, max: 4 });
}
