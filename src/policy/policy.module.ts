import { Global, Module } from '@nestjs/common';
import { PolicyController } from './policy.controller';
import { PolicyRepository } from './policy.repository';
import { PolicyService } from './policy.service';

@Global()
@Module({ providers: [PolicyRepository, PolicyService], controllers: [PolicyController], exports: [PolicyService] })
export class PolicyModule {}
