import { Module } from '@nestjs/common';
import { ExportsModule } from '../exports/exports.module';
import { SimulationController } from './simulation.controller';
import { SimulationRepository } from './simulation.repository';
import { SimulationService } from './simulation.service';

@Module({ imports: [ExportsModule], providers: [SimulationService, SimulationRepository], controllers: [SimulationController], exports: [SimulationService] })
export class SimulationModule {}
