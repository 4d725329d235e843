import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CityWide, CurrentActor, Roles } from '../auth/decorators';
import { ApiAuthErrors, ApiErrorResponses, ApiOp, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { policyDocumentSchema } from './policy.schema';
import { PolicyService } from './policy.service';
import { businessCode } from '../common/schemas';
import { param } from '../common/zod-validation.pipe';
import { policyCreated, policyDocument, policyVersions } from './policy.responses';

@ApiTags('policy')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api/policies')
export class PolicyController {
  constructor(private readonly policies: PolicyService) {}

  @ApiOp('listPolicies')
  @ApiZodResponse(200, policyVersions)
  @Get()
  list() {
    return this.policies.list();
  }

  @ApiOp('getPolicy', 'A policy version\'s document')
  @ApiZodResponse(200, policyDocument)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get(':version')
  get(@Param('version', param('version', businessCode)) version: string) {
    return this.policies.get(version);
  }

  /** Adds a version (a change is always a new version; existing ones are never edited). */
  @ApiOp('createPolicy')
  @ApiZodResponse(201, policyCreated)
  @ApiErrorResponses('VALIDATION', 'CONFLICT')
  @Post()
  @CityWide()
  @Roles('admin')
  @ApiZodBody(policyDocumentSchema)
  create(@Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.policies.create(body, actor);
  }
}
