import { Module } from '@nestjs/common';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';
import { CaseQueuesRepository } from './case-queues.repository';
import { AssignmentRepository } from './assignment.repository';
import { AssignmentService } from './assignment.service';

@Module({ providers: [CasesService, CasesRepository, CaseQueuesRepository, AssignmentRepository, AssignmentService], controllers: [CasesController], exports: [CasesService] })
export class CasesModule {}
