/**
 * Limits and failures of reading department and ledger files (src/common/tabular.ts). A file that
 * breaks a limit fails with a reason the bureau can read; a read that stops moving times out.
 */

export interface TabularLimits {
  /** Characters one cell may hold (Excel's own limit is 32,767); a longer cell rejects its record. */
  maxCellChars: number;
  /** Bytes an XLSX may inflate to (declared sizes checked first, inflated bytes counted while reading). */
  xlsxMaxUncompressedBytes: number;
  /** Rows an XLSX sheet may have (declared dimension checked first, rows counted while reading). */
  xlsxMaxRows: number;
  /** A read that makes no progress for this long while its records are awaited is abandoned. */
  stallMs: number;
}

export const DEFAULT_TABULAR_LIMITS: TabularLimits = {
  maxCellChars: 32_767,
  xlsxMaxUncompressedBytes: 1024 * 1024 * 1024,
  xlsxMaxRows: 1_048_576,
  stallMs: 60_000,
};

/** The file cannot be read as a table: rejected whole with `reason` (Chinese, shown to the bureau). */
export class FileFormatError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * The file could not be read now (I/O error, a read that stopped progressing): not the file's
 * content, so it is neither loaded nor rejected, and is tried again later.
 */
export class FileUnavailable extends Error {}

/** Node's own I/O failures (they carry the failing system call): not a property of the file's content. */
export function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  // Not `instanceof Error`: errors made by Node's own modules may come from another realm (jest).
  return typeof err === 'object' && err !== null && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * Watches a read: readers `touch()` it whenever bytes arrive; `within(p)` rejects with
 * FileUnavailable (and calls `onStall`) when no byte arrived for `stallMs` while `p` was awaited.
 * Time the consumer spends elsewhere (writing to the database) does not count.
 */
export class ReadWatchdog {
  private last = Date.now();

  constructor(
    private readonly stallMs: number,
    private readonly onStall: () => void = () => undefined,
  ) {}

  touch(): void {
    this.last = Date.now();
  }

  async within<T>(p: Promise<T>): Promise<T> {
    this.touch();
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      const check = () => {
        const idle = Date.now() - this.last;
        if (idle < this.stallMs) {
          timer = setTimeout(check, this.stallMs - idle);
          return;
        }
        this.onStall();
        reject(new FileUnavailable(`文件读取停滞: ${Math.round(this.stallMs / 1000)} 秒内没有读到数据`));
      };
      timer = setTimeout(check, this.stallMs);
    });
    try {
      return await Promise.race([p, stalled]);
    } finally {
      clearTimeout(timer);
    }
  }
}
