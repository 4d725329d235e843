import { Global, Module } from '@nestjs/common';
import { DraftsController } from './drafts.controller';
import { DraftsRepository } from './drafts.repository';
import { DraftsService } from './drafts.service';
import { PolicyController } from './policy.controller';
import { PolicyRepository } from './policy.repository';
import { PolicyService } from './policy.service';

@Global()
@Module({
  providers: [PolicyRepository, PolicyService, DraftsRepository, DraftsService],
  // Drafts first: GET /api/policies/drafts must not be taken for the version named "drafts".
  controllers: [DraftsController, PolicyController],
  exports: [PolicyService, DraftsService],
})
export class PolicyModule {}
