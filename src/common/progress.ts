/** What long work counts while it runs: households of a recompute, records of a sync, rows of an import. */
export type ProgressUnit = 'households' | 'records' | 'shards' | 'rows';

/** Long work's progress as the API and the CLI show it: total is null where it is not known up front (a feed's pages). */
export interface ProgressFigures {
  done: number;
  total: number | null;
  unit: ProgressUnit;
  startedAt: Date;
  /** Units per second since the start (null in the first second). */
  rate: number | null;
}

export function progressOf(done: number, total: number | null, unit: ProgressUnit, startedAt: Date, now = new Date()): ProgressFigures {
  const seconds = (now.getTime() - startedAt.getTime()) / 1000;
  return { done, total, unit, startedAt, rate: seconds >= 1 ? Math.round((done / seconds) * 10) / 10 : null };
}
