import { Processor } from '@nestjs/bullmq';
import { JobName, QueueName } from '../../../jobs/catalogue';
import { AppConfig } from '../../config/config';
import { BatchesService } from '../../documents/batches.service';
import { DocumentsService } from '../../documents/documents.service';
import { CatalogueProcessor, Handlers } from '../catalogue-processor';

@Processor(QueueName.Documents)
export class DocumentsProcessor extends CatalogueProcessor {
  static readonly jobs = [JobName.DocumentGenerate, JobName.DocumentBatch] as const;

  constructor(
    config: AppConfig,
    private readonly documents: DocumentsService,
    private readonly batches: BatchesService,
  ) {
    super(config);
  }

  protected readonly handlers: Handlers = {
    [JobName.DocumentGenerate]: (p) => this.documents.generate(p.eventId),
    [JobName.DocumentBatch]: (p, job) => this.batches.run(p.batchId, (done, total) => job.updateProgress({ done, total })),
  };
}
