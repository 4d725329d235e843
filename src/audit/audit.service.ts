import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { Actor } from '../auth/actor';
import { maskText } from '../common/masking';
import { DatabaseService } from '../database/database.service';
import { Prisma } from '../generated/prisma/client';
import { AuditFilter, AuditRepository } from './audit.repository';

/**
 * Where an entry is written inside the caller's transaction: a raw connection of `db.tx`, or the
 * client of a Prisma interactive transaction.
 */
export type AuditTx = PoolClient | Prisma.TransactionClient;

/** Who did what to which record (entity type and id), the detail (before, after, input...), and the purpose of a reveal. */
export type AuditEntry = [actor: Actor, action: string, entityType: string, entityId: string | null, detail?: Record<string, unknown>, purpose?: string | null];

/** A Prisma client (or its transaction) has `$executeRaw`; a pg client does not. */
const isPoolClient = (tx: AuditTx): tx is PoolClient => !('$executeRaw' in tx);

/**
 * Writes the append-only audit log: who did what to which record, when, and why.
 *
 * A change writes its entry in its own transaction (`recordIn`, `recordManyIn`): the entry commits
 * with the change, or neither does. `record` commits an entry on its own, for reads whose entry must
 * commit before their data leaves (household reads, an export's request entry).
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly db: DatabaseService,
    private readonly repo: AuditRepository,
  ) {}

  /** An entry committed on its own (reads and exports: before the data leaves). */
  async record(...entry: AuditEntry): Promise<bigint> {
    return this.recordIn(this.db.prisma, ...entry);
  }

  /** An entry written in the caller's transaction: it commits with the change it records. */
  async recordIn(tx: AuditTx, ...[actor, action, entityType, entityId, detail = {}, purpose]: AuditEntry): Promise<bigint> {
    if (isPoolClient(tx)) {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO audit_log (actor, role, action, entity_type, entity_id, purpose, detail) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [actor.name, actor.role, action, entityType, entityId, masked(purpose), storedDetail(detail)],
      );
      return BigInt(rows[0].id);
    }
    const row = await tx.auditLog.create({
      data: { actor: actor.name, role: actor.role, action, entityType, entityId, purpose: masked(purpose), detail: JSON.parse(storedDetail(detail)) as Prisma.InputJsonValue },
      select: { id: true },
    });
    return row.id;
  }

  /** One entry per record of a set-based change, in one statement of the caller's transaction. */
  async recordManyIn(c: PoolClient, actor: Actor, action: string, entityType: string, entries: { entityId: string; detail: Record<string, unknown> }[]): Promise<void> {
    if (!entries.length) return;
    await c.query(
      `INSERT INTO audit_log (actor, role, action, entity_type, entity_id, detail)
       SELECT $1, $2, $3, $4, x.entity_id, x.detail FROM unnest($5::text[], $6::jsonb[]) WITH ORDINALITY AS x(entity_id, detail, n) ORDER BY x.n`,
      [actor.name, actor.role, action, entityType, entries.map((e) => e.entityId), entries.map((e) => storedDetail(e.detail))],
    );
  }

  /**
   * A change made outside PostgreSQL (a job enqueued in Redis) with its entry: the entry is
   * inserted first, in a transaction that commits once the change is made. A failed entry makes
   * no change; a failed change leaves no entry. Redis and PostgreSQL share no transaction: a crash
   * between the change and the commit is the one window left (jobs have deterministic ids, so the
   * caller's retry finds the same job and records it then).
   */
  async recordAround<T>(
    actor: Actor,
    action: string,
    entityType: string,
    entityId: string | null,
    detail: Record<string, unknown>,
    change: () => Promise<T>,
  ): Promise<T> {
    return this.db.tx(async (c) => {
      await this.recordIn(c, actor, action, entityType, entityId, detail);
      return change();
    });
  }

  /** A page of the log, newest first, filtered (SQL in AuditRepository). */
  async list(q: AuditFilter) {
    const { total, rows } = await this.repo.list(q);
    return { total, page: q.page, pageSize: q.pageSize, items: rows };
  }
}

/**
 * An entry's detail as stored: every string with ID-shaped numbers masked. Details carry what
 * people typed (a case step's reason, a draft's name), and the audit log names persons by internal
 * id, never by ID number, whatever someone typed.
 */
function storedDetail(detail: Record<string, unknown>): string {
  return JSON.stringify(detail, (_k, v: unknown) => (typeof v === 'string' ? maskText(v) : v));
}

const masked = (text: string | null | undefined): string | null => (text == null ? null : maskText(text));
