import { Module } from '@nestjs/common';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';

@Module({ providers: [CasesService, CasesRepository], controllers: [CasesController], exports: [CasesService] })
export class CasesModule {}
