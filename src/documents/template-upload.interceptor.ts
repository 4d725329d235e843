import multer from 'multer';
import { DomainError } from '../common/errors';
import { multipartUpload } from '../common/multipart';
import { TEMPLATE_MAX_BYTES } from './docx';

/** A template upload (multipart: kind + file) held in memory up to its limit; past it, 400 with the reason. */
export const TemplateUpload = multipartUpload(
  multer({ storage: multer.memoryStorage(), limits: { fileSize: TEMPLATE_MAX_BYTES, files: 1, fields: 4 } }).single('file'),
  ({ code }) =>
    code === 'LIMIT_FILE_SIZE'
      ? new DomainError('VALIDATION', '模板无效', [{ field: 'file', reason: `文件超过${TEMPLATE_MAX_BYTES / 1024 / 1024} MB` }])
      : new DomainError('VALIDATION', '请求参数无效', [{ field: 'file', reason: `上传格式错误（${code ?? 'multipart'}）：只接受一个 file 字段和 kind` }]),
);
