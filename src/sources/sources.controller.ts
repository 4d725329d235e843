import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { pageShape } from '../common/pagination';
import type { Actor } from '../auth/actor';
import { CityWide, CurrentActor, Roles } from '../auth/decorators';
import { AuditService } from '../audit/audit.service';
import { ApiAuthErrors, ApiErrorResponses, ApiOp, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { param, ZodPipe } from '../common/zod-validation.pipe';
import { SourcesService } from './sources.service';
import { JobName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import { bigId, businessCode } from '../common/schemas';
import { IdempotencyKey } from '../common/idempotency-key';
import { sourceDetail, sourceList, sourceRejectionPage, syncAccepted } from './sources.responses';

const syncBody = z.object({ mode: z.enum(['incremental', 'full']).default('incremental') }).strict();
const rejectionsQuery = z.object({
  runId: bigId.optional(),
  ...pageShape(),
});


@ApiTags('sources')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api/sources')
export class SourcesController {
  constructor(
    private readonly sources: SourcesService,
    private readonly audit: AuditService,
    private readonly queues: QueueService,
  ) {}

  @ApiOp('listSources')
  @ApiZodResponse(200, sourceList)
  @Get()
  list() {
    return this.sources.list();
  }

  @ApiOp('getSource')
  @ApiZodResponse(200, sourceDetail)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get(':name')
  get(@Param('name', param('name', businessCode)) name: string) {
    return this.sources.get(name);
  }

  @ApiOp('listSourceRejections')
  @ApiZodResponse(200, sourceRejectionPage)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get(':name/rejections')
  @CityWide()
  @Roles('admin', 'reviewer', 'auditor')
  @ApiZodQuery(rejectionsQuery)
  rejections(@Param('name', param('name', businessCode)) name: string, @Query(new ZodPipe(rejectionsQuery)) q: z.infer<typeof rejectionsQuery>) {
    return this.sources.rejections(name, q);
  }

  /** Enqueues a sync; an Idempotency-Key header (or the same minute) dedups repeats. */
  @ApiOp('syncAllSources', 'Enqueues a sync of every source')
  @ApiZodResponse(201, syncAccepted)
  @ApiErrorResponses('VALIDATION')
  @Post('sync')
  @CityWide()
  @Roles('admin')
  @ApiZodBody(syncBody)
  async syncAll(@Body(new ZodPipe(syncBody)) body: z.infer<typeof syncBody>, @IdempotencyKey('perMinute') requestKey: string, @CurrentActor() actor: Actor) {
    // The entry commits only once the jobs are enqueued.
    const jobs = await this.audit.recordAround(actor, 'source.sync', 'source', null, { sources: 'all', mode: body.mode }, () =>
      this.sources.trigger('all', { mode: body.mode, trigger: 'api', requestKey }),
    );
    return { jobs };
  }

  @ApiOp('syncSource', 'Enqueues a sync of one source')
  @ApiZodResponse(201, syncAccepted)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND', 'SOURCE_NOT_CONFIGURED')
  @Post(':name/sync')
  @CityWide()
  @Roles('admin')
  @ApiZodBody(syncBody)
  async sync(@Param('name', param('name', businessCode)) name: string, @Body(new ZodPipe(syncBody)) body: z.infer<typeof syncBody>, @IdempotencyKey('perMinute') requestKey: string, @CurrentActor() actor: Actor) {
    // The entry (with the job's deterministic id) commits only once the job is enqueued.
    const jobId = await this.queues.jobIdOf(JobName.SyncSource, { source: name, mode: body.mode, trigger: 'api', requestKey });
    const [job] = await this.audit.recordAround(actor, 'source.sync', 'source', name, { mode: body.mode, jobId }, () =>
      this.sources.trigger([name], { mode: body.mode, trigger: 'api', requestKey }),
    );
    return { jobs: [{ id: job.id, source: name }] };
  }
}
