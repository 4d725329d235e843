import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { pageShape } from '../common/pagination';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { ApiAuthErrors, ApiErrorResponses, ApiOp, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { param, ZodPipe } from '../common/zod-validation.pipe';
import { ANY_ACTION_BODY } from './case-actions';
import { CaseAction, TRANSITIONS } from './case-machine';
import { CasesService } from './cases.service';
import { bigId, businessCode, intId, isoDate } from '../common/schemas';
import { AssignmentService } from './assignment.service';
import { QUEUE_KEYS } from './case-queues';
import { CASE_STAGES } from './cases.repository';
import { assigneeList, caseDetail, casePage, caseQueues, handoverResult } from './cases.responses';

const listQuery = z.object({
  status: z.enum(['open', 'inspection', 'inspected', 'notified', 'contested', 'notice_issued', 'overdue', 'closed']).optional(),
  kind: z.enum(['exit', 'waiting_removal', 'tenant_change']).optional(),
  nature: z.enum(['eligibility', 'violation']).optional(),
  project: z.string().optional(),
  town: z.string().optional(),
  householdCode: z.string().optional(),
  inspectionPastDue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** One of the 案件 page's queues (GET /api/cases/queues), e.g. `mine` (我的待办). */
  queue: z.enum(QUEUE_KEYS).optional(),
  /** A stage of the 工作台's funnel: the cases that reached it (found, confirmed, noticed, overdue, exited, dismissed). */
  stage: z.enum(Object.keys(CASE_STAGES) as [keyof typeof CASE_STAGES, ...(keyof typeof CASE_STAGES)[]]).optional(),
  ...pageShape(),
});
const assignBody = z.object({ userId: intId.nullable() }).strict();
/** A case action by name: own keys of TRANSITIONS only (`constructor` is not an action). */
const caseAction = z.string().refine((a): a is CaseAction => Object.hasOwn(TRANSITIONS, a), { message: `未知操作，可用: ${Object.keys(TRANSITIONS).join(', ')}` });
const handoverBody = z.object({ handedOverOn: isoDate }).strict();

@ApiTags('cases')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly assignment: AssignmentService,
  ) {}

  /** The 案件 page's queues (one per status, 承租人变更, 已结案, 核查逾期, 我的待办) with their counts in the caller's scope. */
  @ApiOp('listCaseQueues')
  @ApiZodResponse(200, caseQueues)
  @Get('cases/queues')
  queues(@CurrentActor() actor: Actor) {
    return this.cases.queues(actor);
  }

  @ApiOp('listCases')
  @ApiZodResponse(200, casePage)
  @ApiErrorResponses('VALIDATION')
  @Get('cases')
  @ApiZodQuery(listQuery)
  list(@Query(new ZodPipe(listQuery)) q: z.infer<typeof listQuery>, @CurrentActor() actor: Actor) {
    return this.cases.list(q, actor);
  }

  /** A case with its findings, measures, allowed next actions and timeline. */
  @ApiOp('getCase')
  @ApiZodResponse(200, caseDetail)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get('cases/:id')
  get(@Param('id', param('id', bigId)) id: string, @CurrentActor() actor: Actor) {
    return this.cases.get(id, actor);
  }

  /**
   * Takes an action: order_inspection, record_inspection, confirm, dismiss, reopen, contest,
   * decide_contest, issue_notice, mark_overdue, record_measure, handover, complete_task.
   * The body is the action's (case-actions.ts): 400 naming each bad or unknown field. A step the
   * state does not allow gets 409 with the allowed ones. Inspectors are admitted here; which
   * steps each role may take is the case machine's table (TRANSITIONS.roles): 403 otherwise.
   */
  @ApiOp('actOnCase', 'Takes an action on a case; answers the case as it is now')
  @ApiParam({ name: 'action', enum: Object.keys(TRANSITIONS) })
  @ApiZodResponse(201, caseDetail)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND', 'INVALID_TRANSITION')
  @Post('cases/:id/actions/:action')
  @Roles('admin', 'reviewer', 'inspector')
  @ApiZodBody(ANY_ACTION_BODY, 'the body of the action named in the path')
  act(@Param('id', param('id', bigId)) id: string, @Param('action', param('action', caseAction)) action: CaseAction, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.cases.act(id, action, body, actor);
  }

  /** Who the case may be assigned to: active users who work cases and whose scope holds it. */
  @ApiOp('listCaseAssignees')
  @ApiZodResponse(200, assigneeList)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get('cases/:id/assignees')
  @Roles('admin', 'reviewer')
  assignees(@Param('id', param('id', bigId)) id: string, @CurrentActor() actor: Actor) {
    return this.assignment.candidates(id, actor);
  }

  /** Assigns the case (and the inspection it orders) to a user, or clears it (`userId: null`); on the timeline. */
  @ApiOp('assignCase')
  @ApiZodResponse(200, caseDetail)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND', 'INVALID_TRANSITION')
  @Put('cases/:id/assignee')
  @Roles('admin', 'reviewer')
  @ApiZodBody(assignBody)
  assign(@Param('id', param('id', bigId)) id: string, @Body(new ZodPipe(assignBody)) body: z.infer<typeof assignBody>, @CurrentActor() actor: Actor) {
    return this.assignment.assign(id, body.userId, actor);
  }

  /** Records a handover (腾退交房); the household's case closes as exited. */
  @ApiOp('recordHandover')
  @ApiZodResponse(201, handoverResult)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Post('households/:code/handover')
  @Roles('admin', 'reviewer')
  @ApiZodBody(handoverBody)
  handover(@Param('code', param('code', businessCode)) householdCode: string, @Body(new ZodPipe(handoverBody)) body: z.infer<typeof handoverBody>, @CurrentActor() actor: Actor) {
    return this.cases.recordHandover(householdCode, body.handedOverOn, actor);
  }
}
