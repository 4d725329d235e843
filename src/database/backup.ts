import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { ensureDatabase } from './migrator';

const run = promisify(execFile);

/**
 * Backups with PostgreSQL's own tools (pg_dump's custom format, restored by pg_restore). A restored
 * database gets a new instance id: its run ids restart from the dump's sequences, while Redis may
 * still hold the jobs of runs made after the dump under the old instance's job ids.
 */
export async function backup(databaseUrl: string, file: string): Promise<void> {
  await run('pg_dump', ['--format=custom', '--no-owner', '--file', file, '--dbname', databaseUrl], { maxBuffer: 16 << 20 });
}

/** Restores a dump into the database of the URL (created when missing; it must hold no tables). */
export async function restore(file: string, databaseUrl: string): Promise<{ instanceId: string }> {
  await ensureDatabase(databaseUrl);
  await run('pg_restore', ['--no-owner', '--exit-on-error', '--single-transaction', '--dbname', databaseUrl, file], { maxBuffer: 16 << 20 });
  return { instanceId: await renewInstanceId(databaseUrl) };
}

/** Gives the database a new instance id, so no job id of its past can be met again. */
export async function renewInstanceId(databaseUrl: string): Promise<string> {
  const instanceId = randomBytes(6).toString('hex');
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(`UPDATE deployment_instance SET instance_id = $1`, [instanceId]);
  } finally {
    await c.end();
  }
  return instanceId;
}
