import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DomainError } from '../common/errors';

const TIMEOUT_MS = 120_000;
const run = promisify(execFile);

/**
 * DOCX → PDF with LibreOffice (`soffice --headless --convert-to pdf`), in a private profile
 * (-env:UserInstallation) so conversions never share or lock one; bounded in time.
 */
export async function docxToPdf(docx: Buffer): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'phr-pdf-'));
  try {
    await writeFile(join(dir, 'notice.docx'), docx);
    const args = [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'notice.docx')];
    await run('soffice', args, { timeout: TIMEOUT_MS, killSignal: 'SIGKILL' }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new DomainError('UNPROCESSABLE', '本机未安装 LibreOffice，无法转换为PDF；请下载DOCX格式');
      throw new DomainError('UNPROCESSABLE', 'PDF转换失败，请下载DOCX格式');
    });
    return await readFile(join(dir, 'notice.pdf'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
