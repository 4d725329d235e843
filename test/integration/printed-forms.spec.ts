import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { cliActor } from '../../src/auth/actor';
import { Disclosure } from '../../src/auth/disclosure';
import { CasesService } from '../../src/cases/cases.service';
import { addDays } from '../../src/common/dates';
import { ExportsService } from '../../src/exports/exports.service';
import { generateCity } from '../../src/generator/city-generator';
import { dropFeeds } from '../support/city';
import { pinToday, unpinToday } from '../support/clock';
import { tempDir } from '../support/files';
import { loadCity } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';

const run = promisify(execFile);

/** A word of a PDF page and its box (points, y down), as `pdftotext -bbox` gives it. */
interface Word {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The words of each page of a PDF. */
async function wordsOf(pdf: string): Promise<Word[][]> {
  const { stdout } = await run('pdftotext', ['-bbox', pdf, '-'], { maxBuffer: 64 << 20 });
  return stdout.split('<page ').slice(1).map((page) =>
    [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      text: m[5].replace(/&amp;/g, '&'),
      x0: Number(m[1]),
      y0: Number(m[2]),
      x1: Number(m[3]),
      y1: Number(m[4]),
    })),
  );
}

/** Words whose boxes overlap (overprinted text: a cell's text running into another's). */
function overlaps(words: Word[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < words.length; i++)
    for (let j = i + 1; j < words.length; j++) {
      const [a, b] = [words[i], words[j]];
      if (a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5 && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5) found.push(`${a.text} / ${b.text}`);
    }
  return found;
}

const middle = (w: Word) => (w.y0 + w.y1) / 2;

/** A known 应退未退 household as the database holds it. */
interface Known {
  id: string;
  tenant: string;
  address: string;
  deadline: string;
  project: string;
}

/**
 * The exports printed as the official forms: each XLSX converted to PDF by LibreOffice (as an
 * office suite prints it) and read back: title and 填报 line, whole cells (a full date, address and
 * tenant name of a known overdue case, no text running over another), A4 landscape; and the
 * layout read back from the XLSX: borders, frozen header repeated on every page, fit to width.
 */
describe('exports that print as the official forms', () => {
  let t: TestApp;
  let pool: Pool;
  let T: string;
  let out: string;
  let known: Known[];
  const files: Record<string, string> = {};
  const pdfs: Record<string, string> = {};
  let renderMs = 0;

  beforeAll(async () => {
    T = pinToday();
    const city = tempDir('forms-city');
    await generateCity({ households: 60, seed: 7, outDir: city, json: false, asOf: T });
    t = await startTestApp('printed_forms', { APP_ROLE: 'all', FEED_DROP_DIR: dropFeeds(city, 'forms-drop') });
    pool = new Pool({ connectionString: t.dbUrl, max: 2 });
    await loadCity(t.app, city, 'forms');
    // A few exit cases walked to 应退未退 by the daily deadline pass, as the bureau's would be.
    const cases = t.app.get(CasesService);
    const picked = (
      await pool.query<{ id: string }>(
        `SELECT c.id FROM "case" c WHERE c.status = 'open' AND c.kind = 'exit'
            AND NOT EXISTS (SELECT 1 FROM case_finding f WHERE f.case_id = c.id AND f.rule_code IN ('SUBLET', 'VACANT')) ORDER BY c.id LIMIT 3`,
      )
    ).rows.map((r) => r.id);
    expect(picked.length).toBe(3);
    for (const id of picked) await cases.act(id, 'confirm', { reason: '联审数据核实属实' }, { name: 'forms-reviewer', role: 'reviewer' });
    await cases.deadlines(addDays(T, 16));
    expect((await cases.deadlines(addDays(T, 16 + 91))).markedOverdue).toBe(3);
    await cases.act(picked[0], 'record_measure', { measure: '催告', takenOn: T, progress: '已送达书面催告，承租人承诺月底前腾退' }, { name: 'forms-inspector', role: 'inspector' });
    known = (
      await pool.query<Known>(
        `SELECT c.id, coalesce(m.name, pe.name) AS tenant, u.address_text AS address, c.deadline::text AS deadline, p.name AS project
           FROM "case" c JOIN household h ON h.id = c.household_id JOIN unit u ON u.id = h.unit_id JOIN project p ON p.id = u.project_id
           JOIN member m ON m.household_id = h.id AND m.relation = 'tenant' JOIN person pe ON pe.id = m.person_id
          WHERE c.status = 'overdue' ORDER BY c.id`,
      )
    ).rows;
    expect(known.length).toBe(3);

    out = tempDir('forms-out');
    const exports = t.app.get(ExportsService);
    const write = async (name: string, work: (s: Writable) => Promise<number>) => {
      files[name] = join(out, `${name}.xlsx`);
      await work(createWriteStream(files[name]));
    };
    // As filed the day after the deadline pass that found them overdue.
    await write('overdue', (s) => exports.overdue(s, 'xlsx', {}, cliActor(), Disclosure.masked(), addDays(T, 16 + 92)));
    await write('cases', (s) => exports.caseList(s, 'xlsx', {}, cliActor(), Disclosure.masked()));
    await write('summary', (s) => exports.summary(s, 'xlsx', cliActor()));

    // LibreOffice prints them, in its own profile so parallel runs do not share one.
    const profile = tempDir('lo-forms');
    const started = Date.now();
    await run('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', out, ...Object.values(files)], { timeout: 120_000 });
    renderMs = Date.now() - started;
    rmSync(profile, { recursive: true, force: true });
    for (const name of Object.keys(files)) pdfs[name] = files[name].replace(/\.xlsx$/, '.pdf');
    process.stderr.write(`printed forms: 3 XLSX rendered to PDF by LibreOffice in ${renderMs} ms\n`);
  }, 300_000);

  afterAll(async () => {
    unpinToday();
    await pool?.end();
    await t?.close();
  });

  it.each([
    ['overdue', '公租房应退未退整改情况表'],
    ['cases', '公租房问题整改清单'],
    ['summary', '公租房租后资格复核成果清单'],
  ])('%s prints on A4 landscape under its title and the 填报 line', async (name, title) => {
    const { stdout: info } = await run('pdfinfo', [pdfs[name]]);
    const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
    expect(Number(w)).toBeGreaterThan(Number(h));
    expect(Math.round(Number(w))).toBe(842); // A4: 297 mm
    const { stdout: text } = await run('pdftotext', ['-layout', '-f', '1', '-l', '1', pdfs[name], '-']);
    const lines = text.split('\n').map((l) => l.trim());
    expect(lines.find((l) => l.length)).toBe(title);
    expect(lines.some((l) => l.startsWith('填报单位：市住房和城乡建设局') && l.endsWith(`填报日期：${T}`))).toBe(true);
    for (const [i, page] of (await wordsOf(pdfs[name])).entries()) expect({ page: i + 1, overlaps: overlaps(page) }).toEqual({ page: i + 1, overlaps: [] });
  });

  it('prints each overdue row whole: its full date and tenant name on the row line, its full address within the row', async () => {
    const [page] = await wordsOf(pdfs.overdue);
    const serial = (n: number) => page.filter((w) => w.text === String(n)).sort((a, b) => a.x0 - b.x0)[0];
    for (const [i, k] of known.entries()) {
      const row = serial(i + 1);
      expect(row).toBeDefined();
      const onRow = (text: string) => page.find((w) => w.text === text && Math.abs(middle(w) - middle(row)) < 2);
      expect(onRow(k.tenant)).toBeDefined();
      expect(onRow(k.deadline)).toBeDefined();
      // The address's lines (left-aligned: one x) between the rows above and below; the row's own
      // are the run of consecutive lines centred on the row (cells are centred vertically).
      const above = i === 0 ? page.find((w) => w.text === '房屋坐落')!.y1 : middle(serial(i));
      const below = i + 1 < known.length ? middle(serial(i + 2)) : Infinity;
      const band = page.filter((w) => w.y0 > above && w.y1 < below);
      const first = band.find((w) => w.text.length > 1 && k.address.startsWith(w.text) && w.y0 < middle(row));
      expect(first).toBeDefined();
      const lines = band.filter((w) => Math.abs(w.x0 - first!.x0) < 1 && w.y0 >= first!.y0).sort((a, b) => a.y0 - b.y0);
      const column = lines.slice(0, lines.findIndex((w) => Math.abs((first!.y0 + w.y1) / 2 - middle(row)) < 2) + 1);
      expect(column.map((w) => w.text).join('')).toBe(k.address);
    }
  });

  it('lays the XLSX out for printing: bordered header frozen and repeated on every page, A4 landscape one page wide', async () => {
    for (const name of Object.keys(files)) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync(files[name]) as never);
      const ws = wb.worksheets[0];
      expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3' });
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
      expect(ws.getCell('A1').isMerged).toBe(true);
      expect(ws.getCell('A1').font).toMatchObject({ bold: true, size: 18 });
      const header = ws.getRow(3);
      header.eachCell((c) => {
        expect(c.border).toMatchObject({ top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } });
        expect(c.font?.name).toBe('Noto Sans CJK SC');
      });
      if (ws.rowCount > 3) expect(ws.getCell(`A${ws.rowCount}`).border).toMatchObject({ bottom: { style: 'thin' } });
      for (let c = 1; c <= header.cellCount; c++) expect(ws.getColumn(c).width).toBeGreaterThanOrEqual(5);
    }
    const ws = new ExcelJS.Workbook();
    await ws.xlsx.load(readFileSync(files.overdue) as never);
    const sheet = ws.worksheets[0];
    // Dates and ID numbers have room for all their characters; the address wraps.
    expect(sheet.getColumn(5).width).toBeGreaterThanOrEqual(21);
    expect(sheet.getColumn(11).width).toBeGreaterThanOrEqual(12);
    expect(sheet.getCell('C4').alignment).toMatchObject({ wrapText: true });
  });

  it('renders page 1 of the 应退未退整改情况表 as docs/printed-form.png', async () => {
    const png = join(out, 'page');
    await run('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdfs.overdue, png], { timeout: 60_000 });
    const image = readFileSync(`${png}.png`);
    expect(image.subarray(1, 4).toString()).toBe('PNG');
    // The docs show the printed form as this run rendered it (as the browser tests' screenshots).
    writeFileSync(join(__dirname, '..', '..', 'docs', 'printed-form.png'), image);
  });
});
