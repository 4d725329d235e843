import multer from 'multer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '../common/errors';
import { multipartUpload } from '../common/multipart';

/** Where multer writes uploaded ledger files until the import has read them. */
export const UPLOAD_DIR = join(tmpdir(), 'phr-ledger-uploads');

const MAX_FILES = 20;
const MAX_BYTES = 512 * 1024 * 1024;

const REASON: Record<string, string> = {
  LIMIT_FILE_SIZE: `单个台账文件不得超过 ${MAX_BYTES / 1024 / 1024} MB`,
  LIMIT_FILE_COUNT: `一次最多上传 ${MAX_FILES} 个台账文件`,
  LIMIT_UNEXPECTED_FILE: `台账文件须放在 files 字段，一次最多 ${MAX_FILES} 个`,
};

/**
 * A ledger upload (multipart `files`), written to disk as it arrives (20 files of up to 512 MB held
 * in memory would take the process down); past a limit, 400 with the reason in Chinese.
 */
export const LedgerUpload = multipartUpload(
  multer({ dest: UPLOAD_DIR, limits: { fileSize: MAX_BYTES, files: MAX_FILES, fields: 0 } }).array('files', MAX_FILES),
  ({ code = 'multipart' }) => new DomainError('VALIDATION', '台账上传无效', [{ field: 'files', reason: REASON[code] ?? `上传格式错误（${code}）：只接受 files 字段的 .csv 或 .xlsx 文件` }]),
);
