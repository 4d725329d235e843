import type { Response } from 'express';
import { downloadHeaders } from '../common/download-headers';
import type { ExportFormat, ExportTarget } from './exports.service';

/** The content type of each export format. */
export const EXPORT_CONTENT: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** The response as an export target: download headers are set only once the audit row is in. */
export function download(res: Response, name: string, format: ExportFormat): ExportTarget {
  return {
    out: res,
    begin: () => {
      downloadHeaders(res, `${name}.${format}`, EXPORT_CONTENT[format]);
    },
  };
}
