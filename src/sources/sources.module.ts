import { Module } from '@nestjs/common';
import { SourcesController } from './sources.controller';
import { SourcesService } from './sources.service';
import { SyncService } from './sync.service';

@Module({
  providers: [SourcesService, SyncService],
  controllers: [SourcesController],
  exports: [SourcesService, SyncService],
})
export class SourcesModule {}
