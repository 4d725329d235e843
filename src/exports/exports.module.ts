import { Module } from '@nestjs/common';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';
import { SamplingController } from './sampling.controller';
import { SamplingService } from './sampling.service';

@Module({ providers: [ExportsService, SamplingService], controllers: [ExportsController, SamplingController], exports: [ExportsService, SamplingService] })
export class ExportsModule {}
