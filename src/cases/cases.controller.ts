import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
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
import { bigId, businessCode, isoDate } from '../common/schemas';
import { caseDetail, casePage, handoverResult } from './cases.responses';

const listQuery = z.object({
  status: z.enum(['open', 'inspection', 'inspected', 'notified', 'contested', 'notice_issued', 'overdue', 'closed']).optional(),
  kind: z.enum(['exit', 'waiting_removal', 'tenant_change']).optional(),
  project: z.string().optional(),
  town: z.string().optional(),
  householdCode: z.string().optional(),
  inspectionPastDue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  ...pageShape(),
});
/** A case action by name: own keys of TRANSITIONS only (`constructor` is not an action). */
const caseAction = z.string().refine((a): a is CaseAction => Object.hasOwn(TRANSITIONS, a), { message: `未知操作，可用: ${Object.keys(TRANSITIONS).join(', ')}` });
const handoverBody = z.object({ handedOverOn: isoDate }).strict();

@ApiTags('cases')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

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
