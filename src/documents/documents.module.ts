import { Global, Module } from '@nestjs/common';
import { BatchesRepository } from './batches.repository';
import { BatchesService } from './batches.service';
import { DocumentsController } from './documents.controller';
import { DocumentsHook } from './documents.hook';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { DocumentStore, FolderStore } from './document-store';
import { TemplatesController } from './templates.controller';
import { TemplatesRepository } from './templates.repository';
import { TemplatesService } from './templates.service';

/** Notices from templates (global: the case workflow calls its hook, the worker its services, attachments its store). */
@Global()
@Module({
  providers: [
    TemplatesRepository,
    TemplatesService,
    DocumentsRepository,
    DocumentsService,
    DocumentsHook,
    BatchesRepository,
    BatchesService,
    { provide: DocumentStore, useClass: FolderStore },
  ],
  controllers: [TemplatesController, DocumentsController],
  exports: [DocumentsHook, DocumentsService, BatchesService, DocumentStore],
})
export class DocumentsModule {}
