import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CityWide, CurrentActor, Roles } from '../auth/decorators';
import { ApiAuthErrors, ApiErrorResponses, ApiOp, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { intId } from '../common/schemas';
import { param, ZodPipe } from '../common/zod-validation.pipe';
import { adoptDraftBody, createDraftBody, updateDraftBody } from './drafts.schemas';
import { DraftsService } from './drafts.service';
import { policyDraft, policyDrafts } from './policy.responses';

/** Draft policies (what-if): registered before PolicyController so that `drafts` is not read as a version. */
@ApiTags('policy')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api/policies/drafts')
export class DraftsController {
  constructor(private readonly drafts: DraftsService) {}

  @ApiOp('listPolicyDrafts')
  @ApiZodResponse(200, policyDrafts)
  @Get()
  list() {
    return this.drafts.list();
  }

  /** Copies a version (default: the one in force today) and changes some parameters. */
  @ApiOp('createPolicyDraft')
  @ApiZodResponse(201, policyDraft)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Post()
  @CityWide()
  @Roles('admin')
  @ApiZodBody(createDraftBody)
  create(@Body(new ZodPipe(createDraftBody)) body: z.infer<typeof createDraftBody>, @CurrentActor() actor: Actor) {
    return this.drafts.create(body, actor);
  }

  @ApiOp('getPolicyDraft')
  @ApiZodResponse(200, policyDraft)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get(':id')
  get(@Param('id', param('id', intId)) id: number) {
    return this.drafts.get(id);
  }

  @ApiOp('updatePolicyDraft')
  @ApiZodResponse(200, policyDraft)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND', 'CONFLICT')
  @Patch(':id')
  @CityWide()
  @Roles('admin')
  @ApiZodBody(updateDraftBody)
  update(@Param('id', param('id', intId)) id: number, @Body(new ZodPipe(updateDraftBody)) body: z.infer<typeof updateDraftBody>, @CurrentActor() actor: Actor) {
    return this.drafts.update(id, body, actor);
  }

  /** Adopts the draft: a new immutable version in force from `effectiveFrom`; the draft can no longer change. */
  @ApiOp('adoptPolicyDraft')
  @ApiZodResponse(201, policyDraft)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND', 'CONFLICT')
  @Post(':id/adopt')
  @CityWide()
  @Roles('admin')
  @ApiZodBody(adoptDraftBody)
  adopt(@Param('id', param('id', intId)) id: number, @Body(new ZodPipe(adoptDraftBody)) body: z.infer<typeof adoptDraftBody>, @CurrentActor() actor: Actor) {
    return this.drafts.adopt(id, body, actor);
  }
}
