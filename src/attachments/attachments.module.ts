import { Module } from '@nestjs/common';
import { CasesRepository } from '../cases/cases.repository';
import { DocumentStore, FolderStore } from '../documents/document-store';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';

/** Case attachments (evidence, contest materials); the bytes in the documents' store (DOCUMENT_DIR). */
@Module({
  providers: [AttachmentsRepository, AttachmentsService, CasesRepository, { provide: DocumentStore, useClass: FolderStore }],
  controllers: [AttachmentsController],
})
export class AttachmentsModule {}
