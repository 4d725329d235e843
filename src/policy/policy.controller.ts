import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { ApiZodBody } from '../common/openapi';
import { policyDocumentSchema } from './policy.schema';
import { PolicyService } from './policy.service';
import { businessCode } from '../common/schemas';
import { param } from '../common/zod-validation.pipe';

@ApiTags('policy')
@ApiBearerAuth()
@Controller('api/policies')
export class PolicyController {
  constructor(private readonly policies: PolicyService) {}

  @Get()
  list() {
    return this.policies.list();
  }

  @Get(':version')
  get(@Param('version', param('version', businessCode)) version: string) {
    return this.policies.get(version);
  }

  /** Adds a version (a change is always a new version; existing ones are never edited). */
  @Post()
  @Roles('admin')
  @ApiZodBody(policyDocumentSchema)
  create(@Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.policies.create(body, actor);
  }
}
