import { Module } from '@nestjs/common';
import { RegistryImportService } from './registry-import.service';
import { RegistryController } from './registry.controller';
import { RegistryService } from './registry.service';

@Module({
  providers: [RegistryService, RegistryImportService],
  controllers: [RegistryController],
  exports: [RegistryService, RegistryImportService],
})
export class RegistryModule {}
