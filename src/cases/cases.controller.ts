import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { pageShape } from '../common/pagination';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { DomainError } from '../common/errors';
import { ApiZodBody, ApiZodQuery } from '../common/openapi';
import { ZodPipe } from '../common/zod-validation.pipe';
import { CaseAction, TRANSITIONS } from './case-machine';
import { CasesService } from './cases.service';

const listQuery = z.object({
  status: z.enum(['open', 'inspection', 'inspected', 'notified', 'contested', 'notice_issued', 'overdue', 'closed']).optional(),
  kind: z.enum(['exit', 'waiting_removal', 'tenant_change']).optional(),
  project: z.string().optional(),
  town: z.string().optional(),
  householdCode: z.string().optional(),
  inspectionPastDue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  ...pageShape(),
});
const handoverBody = z.object({ handedOverOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD') }).strict();

@ApiTags('cases')
@ApiBearerAuth()
@Controller('api')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Get('cases')
  @ApiZodQuery(listQuery)
  list(@Query(new ZodPipe(listQuery)) q: z.infer<typeof listQuery>) {
    return this.cases.list(q);
  }

  /** A case with its findings, measures, allowed next actions and timeline. */
  @Get('cases/:id')
  get(@Param('id') id: string) {
    return this.cases.get(id);
  }

  /**
   * Takes an action: order_inspection, record_inspection, confirm, dismiss, reopen, contest,
   * decide_contest, issue_notice, mark_overdue, record_measure, handover, complete_task.
   * A step the state does not allow gets 409 with the allowed ones.
   */
  @Post('cases/:id/actions/:action')
  @Roles('admin', 'reviewer')
  act(@Param('id') id: string, @Param('action') action: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    if (!(action in TRANSITIONS)) throw new DomainError('NOT_FOUND', `未知操作: ${action}`, { actions: Object.keys(TRANSITIONS) });
    return this.cases.act(id, action as CaseAction, body, actor);
  }

  /** Records a handover (腾退交房); the household's case closes as exited. */
  @Post('households/:code/handover')
  @Roles('admin', 'reviewer')
  @ApiZodBody(handoverBody)
  handover(@Param('code') code: string, @Body(new ZodPipe(handoverBody)) body: z.infer<typeof handoverBody>, @CurrentActor() actor: Actor) {
    return this.cases.recordHandover(code, body.handedOverOn, actor);
  }
}
