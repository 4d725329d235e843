import { Module } from '@nestjs/common';
import { SimulationController } from './simulation.controller';
import { SimulationRepository } from './simulation.repository';
import { SimulationService } from './simulation.service';

@Module({ providers: [SimulationService, SimulationRepository], controllers: [SimulationController], exports: [SimulationService] })
export class SimulationModule {}
