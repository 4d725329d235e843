import { Format, SingleBar } from 'cli-progress';
import type { ProgressFigures } from '../common/progress';

/** Where progress is drawn: process.stderr, or any object that writes text (tests pass their own). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

export interface Progress {
  /** The figures so far; a total or label given here replaces the one the display started with. */
  update(done: number, change?: { total?: number | null; label?: string }): void;
  stop(): void;
}

interface Payload {
  label: string;
  unit: string;
  total: number | null;
  startedAt: number;
}

const duration = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds));
  const hms = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  return (hms[0] ? hms : hms.slice(1)).map((n, i) => (i ? String(n).padStart(2, '0') : String(n))).join(':');
};

/** One line: label, bar and done/total (or done alone when the total is not known), rate, time left, elapsed. */
function line(options: Parameters<typeof Format.Formatter>[0], value: number, p: Payload): string {
  const elapsed = (Date.now() - p.startedAt) / 1000;
  const rate = elapsed > 0 ? value / elapsed : 0;
  const parts = [p.label];
  if (p.total !== null && p.total > 0) {
    const share = Math.min(1, value / p.total);
    parts.push(`[${Format.BarFormat(share, options)}] ${Math.floor(share * 100)}% ${value}/${p.total} ${p.unit}`);
  } else parts.push(`${value} ${p.unit}`);
  parts.push(`${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s`);
  if (p.total !== null && p.total > value && rate > 0) parts.push(`left ${duration((p.total - value) / rate)}`);
  parts.push(`elapsed ${duration(elapsed)}`);
  return parts.join(' | ');
}

/**
 * Progress of long work on stderr (never stdout: scripts parse it). On a terminal a bar redrawn in
 * place; elsewhere (a pipe, a log file) one plain line every `everyMs` and a final line at stop.
 */
export function startProgress(label: string, total: number | null, opts: { unit?: string; stream?: ProgressStream; everyMs?: number; startedAt?: Date } = {},
): Progress {
  const stream = opts.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const payload: Payload = { label, unit: opts.unit ?? '', total, startedAt: opts.startedAt?.getTime() ?? Date.now() };
  const bar = new SingleBar({
    stream: stream as NodeJS.WritableStream,
    format: (options, params) => line(options, params.value, payload),
    noTTYOutput: true,
    notTTYSchedule: opts.everyMs ?? 5000,
    clearOnComplete: !tty, // plain mode: the final line is enough, no blank line after it
    hideCursor: tty,
    barsize: 30,
    fps: 5,
  });
  bar.start(total ?? 0, 0);
  let stopped = false;
  return {
    update(done, change) {
      if (stopped) return;
      if (change?.label !== undefined) payload.label = change.label;
      if (change?.total !== undefined) {
        payload.total = change.total;
        bar.setTotal(change.total ?? 0);
      }
      bar.update(done);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

/**
 * Shows the progress of work running elsewhere (a queue's workers): polls its figures every
 * `everyMs` until the work settles, then draws the last figures and stops.
 */
export async function watchProgress<T>(
  label: string,
  work: Promise<T>,
  poll: () => Promise<ProgressFigures | null>,
  opts: { stream?: ProgressStream; everyMs?: number; lineEveryMs?: number } = {},
): Promise<T> {
  let progress: Progress | undefined;
  const show = async () => {
    const f = await poll().catch(() => null);
    if (!f) return;
    progress ??= startProgress(label, f.total, { unit: f.unit, stream: opts.stream, everyMs: opts.lineEveryMs, startedAt: f.startedAt });
    progress.update(f.done, { total: f.total });
  };
  let settled = false;
  const done = work.finally(() => (settled = true));
  const loop = (async () => {
    while (!settled) {
      await show();
      await Promise.race([done.catch(() => undefined), new Promise((r) => setTimeout(r, opts.everyMs ?? 500))]);
    }
  })();
  try {
    return await done;
  } finally {
    await loop;
    if (progress) {
      await show();
      progress.stop();
    }
  }
}

/**
 * Progress of a ledger import (RegistryImportService's onProgress): the rows read across its files,
 * the file being read in the label.
 */
export function importProgress(label: string, opts: { stream?: ProgressStream; everyMs?: number } = {}) {
  let progress: Progress | undefined;
  let before = 0;
  let current: { file: string; rows: number } | undefined;
  return {
    onProgress: (f: { file: string; fileNo: number; files: number; rows: number }) => {
      if (current?.file !== f.file) {
        before += current?.rows ?? 0;
        current = { file: f.file, rows: 0 };
      }
      current.rows = f.rows;
      const now = `${label} ${f.fileNo}/${f.files} ${f.file}`;
      progress ??= startProgress(now, null, { unit: 'rows', ...opts });
      progress.update(before + f.rows, { label: now });
    },
    stop: () => progress?.stop(),
  };
}
