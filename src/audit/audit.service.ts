import { Injectable } from '@nestjs/common';
import { Actor } from '../auth/actor';
import { DatabaseService } from '../database/database.service';
import { Prisma } from '../generated/prisma/client';

/** Writes the append-only audit log: who did what to which record, when, and why. */
@Injectable()
export class AuditService {
  constructor(private readonly db: DatabaseService) {}

  async record(
    actor: Actor,
    action: string,
    entityType: string,
    entityId: string | null,
    detail: Record<string, unknown> = {},
    purpose?: string | null,
  ): Promise<bigint> {
    const row = await this.db.prisma.auditLog.create({
      data: {
        actor: actor.name,
        role: actor.role,
        action,
        entityType,
        entityId,
        purpose: purpose ?? null,
        detail: detail as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
    return row.id;
  }

  async list(q: { entityType?: string; entityId?: string; actor?: string; action?: string; page: number; pageSize: number }) {
    const where = {
      entityType: q.entityType,
      entityId: q.entityId,
      actor: q.actor,
      action: q.action,
    };
    const [total, rows] = await Promise.all([
      this.db.prisma.auditLog.count({ where }),
      this.db.prisma.auditLog.findMany({ where, orderBy: { id: 'desc' }, skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
    ]);
    return { total, page: q.page, pageSize: q.pageSize, items: rows.map((r) => ({ ...r, id: String(r.id) })) };
  }
}
