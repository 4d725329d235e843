import { progressOf } from '../../src/common/progress';
import { startProgress, watchProgress } from '../../src/ops/progress';

/** A stream that keeps what is written to it (a terminal or a pipe, by isTTY). */
const streamOf = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { chunks, isTTY, columns: 120, write: (text: string) => (chunks.push(text), true), text: () => chunks.join('') };
};

describe('progress on stderr', () => {
  it('on a terminal: a bar redrawn in place with done/total, rate and time left', async () => {
    const out = streamOf(true);
    const p = startProgress('recompute', 1000, { unit: 'households', stream: out, startedAt: new Date(Date.now() - 2000) });
    p.update(400);
    await new Promise((r) => setTimeout(r, 300)); // the bar redraws on its own timer
    p.stop();
    const text = out.text();
    expect(text).toContain('\x1b['); // cursor moves: redrawn in place
    expect(text).toMatch(/recompute \| \[[=-]+\] 40% 400\/1000 households \| \d+\/s \| left 0:0\d \| elapsed 0:0\d/);
  });

  it('elsewhere: plain lines, no escape codes, the last one with the final figures', () => {
    const out = streamOf(false);
    const p = startProgress('sync', null, { unit: 'records', stream: out, everyMs: 60_000 });
    p.update(10);
    p.update(25_000);
    p.stop();
    const text = out.text();
    expect(text).not.toContain('\x1b[');
    const lines = text.split('\n').filter(Boolean);
    // One line at the start, one at the end: nothing between (the next would come after everyMs).
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^sync \| 0 records \| /);
    expect(lines[1]).toMatch(/^sync \| 25000 records \| [\d.]+\/s \| elapsed 0:00$/);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('watches figures polled from elsewhere until the work settles, and passes its result through', async () => {
    const out = streamOf(false);
    let done = 0;
    const work = new Promise<string>((r) => setTimeout(() => r('finished'), 250));
    const result = await watchProgress('recompute', work, () => Promise.resolve(progressOf((done += 10), 100, 'households', new Date())), { stream: out, everyMs: 20 });
    expect(result).toBe('finished');
    const lines = out.text().split('\n').filter(Boolean);
    expect(lines[lines.length - 1]).toMatch(/^recompute \| \[.+\] \d+% \d+\/100 households/);
  });

  it('rate is per second since the start, null in the first second', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    expect(progressOf(500, 1000, 'households', start, new Date('2026-01-01T00:00:00.500Z')).rate).toBeNull();
    expect(progressOf(500, 1000, 'households', start, new Date('2026-01-01T00:00:04Z')).rate).toBe(125);
  });
});
