import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { pageShape } from '../common/pagination';
import { JobName } from '../../jobs/catalogue';
import { QueueService } from '../../jobs/queue.service';
import type { Actor } from '../auth/actor';
import { CityWide, CurrentActor, Roles } from '../auth/decorators';
import { Disclosure, disclosureQuery } from '../auth/disclosure';
import { AuditService } from '../audit/audit.service';
import { ApiAuthErrors, ApiErrorResponses, ApiOp, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { param, ZodPipe } from '../common/zod-validation.pipe';
import { FINDING_SORTS } from './findings.repository';
import { FindingsService } from './findings.service';
import { RULE_NAMES } from './rules/rule';
import { bigId, businessCode, isoDate } from '../common/schemas';
import { IdempotencyKey } from '../common/idempotency-key';
import { findingCounts, findingPage, householdHistory, recomputeAccepted, recomputeRuns, runChanges, verdictResponse } from './eligibility.responses';

const runSelector = { asOf: isoDate.optional(), runId: bigId.optional() };
const recomputeBody = z.object({ asOf: isoDate.optional(), full: z.boolean().default(false) }).strict();
const findingsQuery = z.object({
  ...runSelector,
  rule: z.enum(Object.keys(RULE_NAMES) as [string, ...string[]]).optional(),
  level: z.enum(['medium', 'high']).optional(),
  project: z.string().optional(),
  town: z.string().optional(),
  status: z.string().optional(),
  /** true: 主动申报; false: 瞒报 (as the finding's case records it). */
  declared: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  sort: z.enum(Object.keys(FINDING_SORTS) as [keyof typeof FINDING_SORTS, ...(keyof typeof FINDING_SORTS)[]]).optional(),
  ...pageShape(),
});
const verdictQuery = z.object(runSelector).extend(disclosureQuery.shape);
const countsQuery = z.object(runSelector);

@ApiTags('eligibility')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api')
export class EligibilityController {
  constructor(
    private readonly findings: FindingsService,
    private readonly queues: QueueService,
    private readonly audit: AuditService,
  ) {}

  /** Enqueues a recompute (incremental when a completed run of the same as-of date exists, unless full). */
  @ApiOp('requestRecompute', 'Enqueues a recompute')
  @ApiZodResponse(201, recomputeAccepted)
  @ApiErrorResponses('VALIDATION')
  @Post('recompute')
  @CityWide()
  @Roles('admin')
  @ApiZodBody(recomputeBody)
  async recompute(@Body(new ZodPipe(recomputeBody)) body: z.infer<typeof recomputeBody>, @IdempotencyKey('perRequest') requestKey: string, @CurrentActor() actor: Actor) {
    const payload = { asOf: body.asOf, full: body.full, trigger: 'api' as const, requestKey };
    // The entry (with the job's deterministic id) commits only once the job is enqueued.
    const jobId = await this.queues.jobIdOf(JobName.RecomputePlan, payload);
    const job = await this.audit.recordAround(actor, 'recompute.request', 'recompute_run', null, { ...body, jobId }, () => this.queues.enqueue(JobName.RecomputePlan, payload));
    return { jobId: job.id };
  }

  @ApiOp('listRecomputeRuns')
  @ApiZodResponse(200, recomputeRuns)
  @Get('recompute/runs')
  runs(@CurrentActor() actor: Actor) {
    return this.findings.runs(actor);
  }

  @ApiOp('getRunChanges')
  @ApiZodResponse(200, runChanges)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get('recompute/runs/:id/changes')
  changes(@Param('id', param('id', bigId)) id: string, @CurrentActor() actor: Actor) {
    return this.findings.changes(id, actor);
  }

  @ApiOp('listFindings')
  @ApiZodResponse(200, findingPage)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND', 'UNPROCESSABLE')
  @Get('findings')
  @ApiZodQuery(findingsQuery)
  list(@Query(new ZodPipe(findingsQuery)) q: z.infer<typeof findingsQuery>, @CurrentActor() actor: Actor) {
    return this.findings.list(q, actor);
  }

  @ApiOp('getFindingCounts')
  @ApiZodResponse(200, findingCounts)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND', 'UNPROCESSABLE')
  @Get('findings/counts')
  @ApiZodQuery(countsQuery)
  counts(@Query(new ZodPipe(countsQuery)) q: z.infer<typeof countsQuery>, @CurrentActor() actor: Actor) {
    return this.findings.counts(q, actor);
  }

  /** A household's findings in each of the latest completed runs, newest first (一户一档's history). */
  @ApiOp('getHouseholdHistory')
  @ApiZodResponse(200, householdHistory)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get('households/:code/history')
  history(@Param('code', param('code', businessCode)) code: string, @CurrentActor() actor: Actor) {
    return this.findings.history(code, actor);
  }

  /** A household's current verdict with every finding and its evidence (masked IDs). */
  @ApiOp('getVerdict')
  @ApiZodResponse(200, verdictResponse)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND', 'UNPROCESSABLE')
  @Get('households/:code/verdict')
  @ApiZodQuery(verdictQuery)
  verdict(@Param('code', param('code', businessCode)) code: string, @Query(new ZodPipe(verdictQuery)) q: z.infer<typeof verdictQuery>, @CurrentActor() actor: Actor) {
    const { reveal, purpose, ...run } = q;
    return this.findings.verdict(code, run, actor, Disclosure.from(actor, { reveal, purpose }));
  }
}
