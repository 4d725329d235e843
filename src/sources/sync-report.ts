import type { SyncSummary } from './sync.service';

/** Per-source figures of a sync, as the CLI prints them. */
export function printSyncTable(results: Partial<SyncSummary>[], out: NodeJS.WritableStream): void {
  const cols = ['received', 'inserted', 'updated', 'deleted', 'unchanged', 'rejected', 'withdrawn'] as const;
  out.write(`${'source'.padEnd(20)} ${'status'.padEnd(10)} ${cols.map((c) => c.padStart(9)).join(' ')}\n`);
  for (const r of results) {
    out.write(`${String(r.source).padEnd(20)} ${String(r.status).padEnd(10)} ${cols.map((c) => String(r[c] ?? '-').padStart(9)).join(' ')}${r.error ? `  ${r.error}` : ''}\n`);
  }
}
