import { Module } from '@nestjs/common';
import { CasesRepository } from '../cases/cases.repository';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';

/** Case attachments (evidence, contest materials); the bytes in the documents module's store (DOCUMENT_DIR). */
@Module({
  providers: [AttachmentsRepository, AttachmentsService, CasesRepository],
  controllers: [AttachmentsController],
})
export class AttachmentsModule {}
