import multer from 'multer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '../common/errors';
import { multipartUpload } from '../common/multipart';
import { MAX_BYTES, MAX_FILES } from './attachments.schemas';

/** Where multer writes uploaded attachments until they are checked and stored (memory stays bounded). */
export const UPLOAD_DIR = join(tmpdir(), 'phr-attachment-uploads');

const FIELD_BYTES = 4096;

const REASON: Record<string, string> = {
  LIMIT_FILE_SIZE: `单个文件不得超过 ${MAX_BYTES / 1024 / 1024} MB`,
  LIMIT_FILE_COUNT: `一次最多上传 ${MAX_FILES} 个文件`,
  LIMIT_UNEXPECTED_FILE: `文件须放在 files 字段，一次最多 ${MAX_FILES} 个`,
};

/**
 * An attachment upload (multipart: files, kind, note, eventId), written to disk as it arrives;
 * past a limit, 400 with the reason (multer removes what it had written).
 */
export const AttachmentUpload = multipartUpload(
  multer({ dest: UPLOAD_DIR, limits: { fileSize: MAX_BYTES, files: MAX_FILES, fields: 5, fieldSize: FIELD_BYTES } }).array('files', MAX_FILES),
  ({ code = 'multipart', field }) =>
    code === 'LIMIT_FIELD_VALUE' && field
      ? new DomainError('VALIDATION', '请求参数无效', [{ field, reason: `过长（最多 ${FIELD_BYTES} 字节）` }])
      : new DomainError('VALIDATION', '附件无效', [{ field: 'files', reason: REASON[code] ?? `上传格式错误（${code}）：只接受 files、kind、note 和 eventId` }]),
);
