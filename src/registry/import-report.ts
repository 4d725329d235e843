import type { ImportReport } from './registry-import.service';

/** Human-readable import summary: one line per file, then every rejection with file and line. */
export function printImportReport(report: ImportReport, out: NodeJS.WritableStream): void {
  out.write(`import batch #${report.batchId}\n`);
  out.write(`${'file'.padEnd(22)} ${'received'.padStart(9)} ${'inserted'.padStart(9)} ${'updated'.padStart(8)} ${'unchanged'.padStart(9)} ${'deleted'.padStart(8)} ${'rejected'.padStart(8)}\n`);
  for (const f of report.files) {
    if (f.error) {
      out.write(`${f.file.padEnd(22)} 整个文件未导入: ${f.error}\n`);
      continue;
    }
    out.write(
      `${f.file.padEnd(22)} ${String(f.received).padStart(9)} ${String(f.inserted).padStart(9)} ${String(f.updated).padStart(8)} ${String(f.unchanged).padStart(9)} ${String(f.deleted).padStart(8)} ${String(f.rejected).padStart(8)}\n`,
    );
  }
  const rejected = report.files.flatMap((f) => f.rejections.map((r) => ({ file: f.file, ...r })));
  if (rejected.length) {
    out.write(`\nrejected rows (${rejected.length}):\n`);
    for (const r of rejected.slice(0, 200)) out.write(`  ${r.file}:${r.line}  ${r.reason}\n`);
    if (rejected.length > 200) out.write(`  ... ${rejected.length - 200} more (GET /api/registry/imports/${report.batchId}/rejections)\n`);
  }
}
