import { Module } from '@nestjs/common';
import { ExportsController } from './exports.controller';
import { ExportsRepository } from './exports.repository';
import { ExportsService } from './exports.service';
import { SamplingController } from './sampling.controller';
import { SamplingRepository } from './sampling.repository';
import { SamplingService } from './sampling.service';

@Module({ providers: [ExportsRepository, ExportsService, SamplingRepository, SamplingService], controllers: [ExportsController, SamplingController], exports: [ExportsService, SamplingService] })
export class ExportsModule {}
