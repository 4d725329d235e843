import { Module } from '@nestjs/common';
import { SourcesController } from './sources.controller';
import { SourcesService } from './sources.service';
import { SyncRunRepository } from './sync-run.repository';
import { SyncService } from './sync.service';

@Module({
  providers: [SourcesService, SyncService, SyncRunRepository],
  controllers: [SourcesController],
  exports: [SourcesService, SyncService],
})
export class SourcesModule {}
