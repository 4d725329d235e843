import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { download, EXPORT_CONTENT } from '../exports/download';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CityWide, CurrentActor, Roles } from '../auth/decorators';
import { ApiAuthErrors, ApiErrorResponses, ApiFileResponse, ApiOp, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { bigId } from '../common/schemas';
import { param, ZodPipe } from '../common/zod-validation.pipe';
import { changesExportQuery, changesQuery, simulationBody, simulationListQuery } from './simulation.schemas';
import { simulationChanges, simulationPage, simulationResult, simulationStarted } from './simulation.responses';
import { SimulationService } from './simulation.service';

@ApiTags('simulation')
@ApiBearerAuth()
@ApiAuthErrors()
@Controller('api/simulations')
export class SimulationController {
  constructor(private readonly simulations: SimulationService) {}

  /** Runs a draft over today's data (as of a date) against the policy in force, or sweeps one parameter; as queued shards. */
  @ApiOp('startSimulation')
  @ApiZodResponse(201, simulationStarted)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND', 'UNPROCESSABLE')
  @Post()
  @CityWide()
  @Roles('admin')
  @ApiZodBody(simulationBody)
  start(@Body(new ZodPipe(simulationBody)) body: z.infer<typeof simulationBody>, @CurrentActor() actor: Actor) {
    return this.simulations.start(body, actor);
  }

  @ApiOp('listSimulations')
  @ApiZodResponse(200, simulationPage)
  @ApiErrorResponses('VALIDATION')
  @Get()
  @ApiZodQuery(simulationListQuery)
  list(@Query(new ZodPipe(simulationListQuery)) q: z.infer<typeof simulationListQuery>) {
    return this.simulations.list(q);
  }

  /** The comparison per rule, town, project and category (or the sweep's curve), in the caller's scope. */
  @ApiOp('getSimulation')
  @ApiZodResponse(200, simulationResult)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get(':id')
  get(@Param('id', param('id', bigId)) id: string, @CurrentActor() actor: Actor) {
    return this.simulations.get(id, actor);
  }

  /** The changed households as 政策模拟测算逐户变化表 (XLSX laid out as the printed forms, or CSV), with the list's filters; audited. */
  @ApiOp('exportSimulationChanges', '政策模拟测算逐户变化表 (XLSX or CSV)')
  @ApiFileResponse(Object.values(EXPORT_CONTENT), '政策模拟测算逐户变化表')
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get(':id/export')
  @ApiZodQuery(changesExportQuery)
  async export(@Param('id', param('id', bigId)) id: string, @Query(new ZodPipe(changesExportQuery)) q: z.infer<typeof changesExportQuery>, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.simulations.export(id, q, actor, download(res, `模拟测算${id}逐户变化`, q.format));
  }

  /** The households that newly fail or newly pass under the draft, each with the values that decided it. */
  @ApiOp('listSimulationChanges')
  @ApiZodResponse(200, simulationChanges)
  @ApiErrorResponses('VALIDATION', 'NOT_FOUND')
  @Get(':id/households')
  @ApiZodQuery(changesQuery)
  changes(@Param('id', param('id', bigId)) id: string, @Query(new ZodPipe(changesQuery)) q: z.infer<typeof changesQuery>, @CurrentActor() actor: Actor) {
    return this.simulations.changes(id, q, actor);
  }
}
