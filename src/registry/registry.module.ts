import { Module } from '@nestjs/common';
import { LedgerRepository } from './ledger.repository';
import { RegistryImportService } from './registry-import.service';
import { RegistryController } from './registry.controller';
import { RegistryService } from './registry.service';

@Module({
  providers: [RegistryService, RegistryImportService, LedgerRepository],
  controllers: [RegistryController],
  exports: [RegistryService, RegistryImportService],
})
export class RegistryModule {}
