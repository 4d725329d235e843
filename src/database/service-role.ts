import { Client, escapeIdentifier, escapeLiteral, Pool } from 'pg';

/**
 * Tables the service may only read and append to: the audit log and the case timeline (their
 * triggers also refuse UPDATE, DELETE and TRUNCATE to anyone), the migrations' record and the
 * instance id.
 */
const APPEND_ONLY = ['audit_log', 'case_event'];
const READ_ONLY = ['_prisma_migrations', 'deployment_instance'];

export interface ServiceRole {
  name: string;
  password: string | null;
}

/** The service's role, when DATABASE_URL names another user than the migration URL (else none). */
export function serviceRoleOf(migrationUrl: string, serviceUrl: string): ServiceRole | null {
  const owner = new URL(migrationUrl);
  const service = new URL(serviceUrl);
  const name = decodeURIComponent(service.username || '');
  if (!name || name === decodeURIComponent(owner.username || '')) return null;
  return { name, password: service.password ? decodeURIComponent(service.password) : null };
}

/**
 * Creates (or updates) the service's login role and gives it the least it needs: connect, use the
 * schema, read and write the working tables, only SELECT and INSERT on the append-only ones, and no
 * ownership, so it cannot alter the schema, disable triggers (that needs superuser or ownership;
 * `session_replication_role` needs superuser), TRUNCATE, or rewrite the audit trail. Run by the
 * migration runner as the owner, after every migration, so new tables are covered.
 */
export async function grantServiceRole(c: Client, role: ServiceRole, database: string): Promise<void> {
  const r = escapeIdentifier(role.name);
  const exists = (await c.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role.name])).rowCount;
  const password = role.password === null ? '' : ` PASSWORD ${escapeLiteral(role.password)}`;
  await c.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS${password}`).catch((err: { code?: string }) => {
    if (err.code !== '42710') throw err; // created meanwhile by another runner
  });
  await c.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${escapeIdentifier(database)} TO ${r}`);
  await c.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
  await c.query(`REVOKE CREATE ON SCHEMA public FROM ${r}`);
  await c.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`);
  await c.query(`REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${r}`);
  for (const t of APPEND_ONLY) await c.query(`REVOKE UPDATE, DELETE ON ${escapeIdentifier(t)} FROM ${r}`);
  for (const t of READ_ONLY) await c.query(`REVOKE INSERT, UPDATE, DELETE ON ${escapeIdentifier(t)} FROM ${r}`);
  await c.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
  await c.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${r}`);
}

/** Whether the connected user is a superuser (the service warns, and still starts). */
export async function isSuperuser(c: Pick<Pool, 'query'>): Promise<boolean> {
  const { rows } = await c.query<{ rolsuper: boolean }>(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`);
  return !!rows[0]?.rolsuper;
}
