import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { DomainError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { AssignmentRepository } from './assignment.repository';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';

/**
 * Assigning a case (and the inspection it orders) to a named user, whose 我的待办 then lists it.
 * Only a user who works cases and whose scope holds the case may be assigned; the assignment is on
 * the case's timeline and in the audit log.
 */
@Injectable()
export class AssignmentService {
  constructor(
    private readonly db: DatabaseService,
    private readonly repo: AssignmentRepository,
    private readonly cases: CasesRepository,
    private readonly caseViews: CasesService,
    private readonly audit: AuditService,
  ) {}

  /** The users the case may be assigned to (404 for a case outside the actor's scope). */
  async candidates(id: string, actor: Actor) {
    await this.visible(id, actor);
    const rows = await this.repo.candidates(id);
    return rows.map((u) => ({ id: u.id, username: u.username, displayName: u.display_name, role: u.role }));
  }

  async assign(id: string, userId: number | null, actor: Actor) {
    const k = await this.visible(id, actor);
    if (k.closed_at) throw new DomainError('INVALID_TRANSITION', '案件已结案，不能指派');
    await this.db.tx(async (c) => {
      const user = userId === null ? null : await this.repo.candidate(c, id, userId);
      if (userId !== null && !user) {
        throw new DomainError('VALIDATION', '请求参数无效', [{ field: 'userId', reason: '该用户不存在、已停用、不办理案件，或其范围不含此案件' }]);
      }
      const before = await this.repo.assign(c, id, userId);
      const reason = user ? `指派给 ${user.display_name}（${user.username}）` : '取消指派';
      await this.cases.insertEvents(c, [
        { caseId: id, actor: actor.name, role: actor.role, action: 'assign', fromStatus: k.status, toStatus: k.status, reason, detail: { before, after: userId } },
      ]);
      await this.audit.recordIn(c, actor, 'case.assign', 'case', id, { before, after: userId });
    });
    return this.caseViews.get(id, actor);
  }

  private async visible(id: string, actor: Actor) {
    const k = await this.cases.view(id, actor.scope);
    if (!k) throw new DomainError('NOT_FOUND', `案件不存在: ${id}`);
    return k;
  }
}
