import { Client } from 'pg';
import { migrate } from '../../src/database/migrator';
import { dbUrl, PG_BASE, TEMPLATE_DB } from './env';

/** Migrates once into a template database; every test file clones it. */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  const admin = new Client({ connectionString: `${PG_BASE}/postgres` });
  await admin.connect();
  try {
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [TEMPLATE_DB]);
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}"`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  await migrate(dbUrl(TEMPLATE_DB));
}
