import { JobName, ALL_JOBS } from '../../../jobs/catalogue';
import { CasesProcessor } from './cases.processor';
import { DocumentsProcessor } from './documents.processor';
import { RecomputeProcessor } from './recompute.processor';
import { SimulationProcessor } from './simulation.processor';
import { SourcesProcessor } from './sources.processor';

/** Every processor; start-up fails if a job of the catalogue has none. */
export const PROCESSORS = [SourcesProcessor, RecomputeProcessor, CasesProcessor, SimulationProcessor, DocumentsProcessor];

export function assertEveryJobHandled(processors: { jobs: readonly JobName[] }[] = PROCESSORS): void {
  const handled = new Set(processors.flatMap((p) => p.jobs));
  const missing = ALL_JOBS.filter((j) => !handled.has(j));
  if (missing.length) throw new Error(`jobs without a handler: ${missing.join(', ')}`);
}
