import { execFileSync } from 'node:child_process';
import { openSync, closeSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { DEFAULT_TABULAR_LIMITS, FileFormatError, FileUnavailable, openTabular, TabularLimits, TabularRow } from '../../src/common/tabular';
import { XmlStream } from '../../src/common/xml-stream';
import { copyField, copyText } from '../../src/database/copy';
import { deflateRepeated, inlineCell, sheetXml, tempDir, writeXlsx, writeZip, xlsxParts } from '../support/files';

async function readAll(path: string, limits: TabularLimits = DEFAULT_TABULAR_LIMITS): Promise<{ headers: string[]; rows: TabularRow[] }> {
  const f = await openTabular(path, limits);
  const rows: TabularRow[] = [];
  for await (const r of f.rows) rows.push(r);
  return { headers: f.headers, rows };
}

describe('CSV files (openTabular)', () => {
  const dir = tempDir('tabular');

  it('gives each record the physical line it starts on: quoted line breaks, blank lines, CRLF', async () => {
    const path = join(dir, 'lines.csv');
    writeFileSync(path, '\uFEFF记录编号 ,备注（说明）\r\nA1,"第一行\r\n第二行"\r\n\r\nA2,"含""引号"",逗号"\r\nA3,\r\n');
    const { headers, rows } = await readAll(path);
    expect(headers).toEqual(['记录编号', '备注(说明)']);
    expect(rows).toEqual([
      { line: 2, values: { 记录编号: 'A1', '备注(说明)': '第一行\r\n第二行' } },
      { line: 5, values: { 记录编号: 'A2', '备注(说明)': '含"引号",逗号' } },
      { line: 6, values: { 记录编号: 'A3', '备注(说明)': '' } },
    ]);
  });

  it('reads GBK, and rows shorter than the header leave the rest undefined', async () => {
    const path = join(dir, 'gbk.csv');
    writeFileSync(path, iconv.encode('记录编号,姓名,金额\n甲1,张三\n', 'gbk'));
    const { rows } = await readAll(path);
    expect(rows).toEqual([{ line: 2, values: { 记录编号: '甲1', 姓名: '张三', 金额: undefined } }]);
  });

  it('rejects a file whose quotes do not close, with the reason', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, '记录编号,姓名\nA1,"张三\nA2,李四\n');
    const err = await readAll(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileFormatError);
    expect((err as FileFormatError).reason).toMatch(/^文件格式错误: CSV 引号不匹配/);
  });

  it('rejects an empty file', async () => {
    const path = join(dir, 'empty.csv');
    writeFileSync(path, '\r\n\r\n');
    await expect(openTabular(path)).rejects.toThrow('文件为空');
  });
});

describe('COPY text format', () => {
  it('decodes what it encodes: tabs, line breaks, backslashes, JSON, null', () => {
    for (const v of ['a\tb', 'x\ny\r\n', 'C:\\dir\\n', '{"k":"a\\"b"}', '中文', '']) expect(copyField(copyText(v))).toBe(v);
    expect(copyField(copyText(null))).toBeNull();
  });
});

/** A long Chinese address, different on every row. */
const address = (i: number) => `福建省泉州市石狮市宝盖镇${'塘后社区综合楼'.repeat(1 + (i % 7))}第${i}幢${(i % 30) + 1}单元${(i % 9) + 1}0${(i % 4) + 1}室（公租房东区）`;

describe('XLSX files: multi-byte text', () => {
  const dir = tempDir('xlsx-cjk');
  const rows = Array.from({ length: 4000 }, (_, i) => [`R${i}`, address(i), `张${'三四五六七'[i % 5]}`]);

  it('reads thousands of rows of long Chinese text exactly (shared strings cross chunk boundaries)', async () => {
    const path = await writeXlsx(join(dir, 'shared.xlsx'), [['记录编号', '坐落', '姓名'], ...rows]);
    const { headers, rows: got } = await readAll(path);
    expect(headers).toEqual(['记录编号', '坐落', '姓名']);
    expect(got).toHaveLength(rows.length);
    expect(got.every((r) => !r.defect)).toBe(true);
    expect(got.map((r) => [r.values['记录编号'], r.values['坐落'], r.values['姓名']])).toEqual(rows);
  });

  it('reads inline strings (streaming writers) exactly too', async () => {
    const path = join(dir, 'inline.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['记录编号', '坐落', '姓名']).commit();
    for (const r of rows) ws.addRow(r).commit();
    await wb.commit();
    const { rows: got } = await readAll(path);
    expect(got.map((r) => [r.values['记录编号'], r.values['坐落'], r.values['姓名']])).toEqual(rows);
  });

  it('rejects a record whose cell holds U+FFFD or a control character, with its reason, and keeps the others', async () => {
    const path = writeZip(
      join(dir, 'bad-cells.xlsx'),
      xlsxParts(
        sheetXml([
          [`<c r="A1" t="s"><v>0</v></c>`, `<c r="B1" t="s"><v>1</v></c>`],
          [inlineCell('A2', 'R1'), inlineCell('B2', '石狮市\uFFFD宝盖镇')],
          [inlineCell('A3', 'R2'), `<c r="B3" t="s"><v>2</v></c>`],
          [inlineCell('A4', 'R3'), inlineCell('B4', '石狮市宝盖镇')],
        ]),
        { sharedStrings: ['记录编号', '坐落', '石狮_x0000_市'] },
      ),
    );
    const { rows: got } = await readAll(path);
    expect(got.map((r) => [r.line, r.defect])).toEqual([
      [2, '坐落: 含有无法识别的字符（文件编码错误或数据损坏）'],
      [3, '坐落: 含有控制字符（U+0000）'],
      [4, undefined],
    ]);
    expect(got[1].values['坐落']).toBe('石狮<U+0000>市');
  });

  it('reads numbers, booleans, formulas\' results and date-formatted numbers as Excel shows them', async () => {
    const styles = `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>`;
    const path = writeZip(
      join(dir, 'types.xlsx'),
      xlsxParts(
        sheetXml([
          ['A', 'B', 'C', 'D', 'E', 'F'].map((c, i) => inlineCell(`${c}1`, `列${i + 1}`)),
          [`<c r="A2"><v>1200.5</v></c>`, `<c r="B2" t="b"><v>1</v></c>`, `<c r="C2" t="str"><f>A2&amp;"元"</f><v>1200.5元</v></c>`, `<c r="D2" s="1"><v>44377</v></c>`, `<c r="E2" s="2"><v>44562</v></c>`, `<c r="F2" t="e"><v>#N/A</v></c>`],
        ]),
        { styles },
      ),
    );
    const { rows: got } = await readAll(path);
    expect(got[0].values).toEqual({ 列1: 1200.5, 列2: true, 列3: '1200.5元', 列4: new Date('2021-06-30T00:00:00Z'), 列5: new Date('2022-01-01T00:00:00Z'), 列6: null });
  });
});

describe('XLSX files: broken and hostile', () => {
  const dir = tempDir('xlsx-bad');
  const small: TabularLimits = { ...DEFAULT_TABULAR_LIMITS, maxCellChars: 1000, xlsxMaxUncompressedBytes: 8 * 1024 * 1024, xlsxMaxRows: 100, stallMs: 2000 };

  it('rejects a truncated file at once, with the reason', async () => {
    const good = await writeXlsx(join(dir, 'whole.xlsx'), [['记录编号', '坐落'], ...Array.from({ length: 3000 }, (_, i) => [`R${i}`, address(i)])]);
    const bytes = readFileSync(good);
    for (const cut of [0.3, 0.6, 0.95]) {
      const path = join(dir, `cut-${cut}.xlsx`);
      writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * cut)));
      const started = Date.now();
      const err = await readAll(path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FileFormatError);
      expect((err as FileFormatError).reason).toMatch(/^XLSX 文件无法解压（文件损坏或不完整）/);
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it('rejects a file whose parts declare more than the uncompressed limit, before inflating them', async () => {
    const sheet = await deflateRepeated('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>', '公'.repeat(1024), 16 * 1024, '</t></is></c></row></sheetData></worksheet>');
    const path = writeZip(join(dir, 'big.xlsx'), xlsxParts(sheet));
    const err = await readAll(path, small).catch((e: unknown) => e);
    expect((err as FileFormatError).reason).toBe('XLSX 解压后大小 49 MB超过上限 8 MB');
  });

  it('rejects a file whose parts inflate past what they declare', async () => {
    const sheet = await deflateRepeated('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>', 'A'.repeat(1024), 16 * 1024, '</t></is></c></row></sheetData></worksheet>');
    const parts = xlsxParts(sheet).map((e) => (e.deflated ? { ...e, declaredSize: 1000 } : e));
    const err = await readAll(writeZip(join(dir, 'liar.xlsx'), parts), small).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileFormatError);
    expect((err as FileFormatError).reason).toMatch(/^XLSX 文件无法解压/);
  });

  it('reads a decompression bomb (one 400 MB cell in a small file) in bounded memory: that record is rejected, the next is read', async () => {
    const sheet = await deflateRepeated(
      '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>记录编号</t></is></c><c r="B1" t="inlineStr"><is><t>坐落</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>R1</t></is></c><c r="B2" t="inlineStr"><is><t>',
      'A'.repeat(1024),
      400 * 1024,
      '</t></is></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>R2</t></is></c><c r="B3" t="inlineStr"><is><t>石狮市</t></is></c></row></sheetData></worksheet>',
    );
    const path = writeZip(join(dir, 'bomb.xlsx'), xlsxParts(sheet));
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = Date.now();
    try {
      const { rows: got } = await readAll(path);
      expect(got.map((r) => [r.line, r.defect ?? null, r.values['坐落']])).toEqual([
        [2, '坐落: 文本过长（超过32767字）', `${'A'.repeat(200)}…`],
        [3, null, '石狮市'],
      ]);
    } finally {
      clearInterval(sampler);
    }
    console.log(`bomb: ${Math.round(readFileSync(path).length / 1024)} KB file, 400 MB cell: read in ${Date.now() - started} ms, peak RSS +${Math.round((peak - before) / 2 ** 20)} MB`);
    expect(peak - before).toBeLessThan(200 * 2 ** 20);
  });

  it('limits the rows: by the declared dimension before reading, and by counting while reading', async () => {
    const many = Array.from({ length: 150 }, (_, i) => [inlineCell(`A${i + 1}`, i ? `R${i}` : '记录编号')]);
    const declared = writeZip(join(dir, 'rows-declared.xlsx'), xlsxParts(sheetXml(many, 'A1:A150')));
    const counted = writeZip(join(dir, 'rows-counted.xlsx'), xlsxParts(sheetXml(many)));
    for (const path of [declared, counted]) {
      const err = await readAll(path, small).catch((e: unknown) => e);
      expect((err as FileFormatError).reason).toMatch(/^XLSX 工作表有 1(50|01) 行，超过上限 100 行$/);
    }
  });

  it('never gives an invalid Date: an ISO date cell that is no date stays text, a date-formatted serial out of range stays a number', async () => {
    const styles = '<styleSheet><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>';
    const rows = [
      [inlineCell('A1', '记录编号'), inlineCell('B1', '所属期'), inlineCell('C1', '登记日期')],
      [inlineCell('A2', 'R1'), '<c r="B2" t="d"><v>2026-13-45x</v></c>', '<c r="C2" s="1"><v>1e300</v></c>'],
      [inlineCell('A3', 'R2'), '<c r="B3" t="d"><v>2026-03-01</v></c>', '<c r="C3" s="1"><v>45000</v></c>'],
    ];
    const path = writeZip(join(dir, 'bad-dates.xlsx'), xlsxParts(sheetXml(rows), { styles }));
    const { rows: got } = await readAll(path);
    expect(got.map((r) => [r.values['所属期'], r.values['登记日期']])).toEqual([
      ['2026-13-45x', 1e300],
      [new Date('2026-03-01T00:00:00Z'), new Date('2023-03-15T00:00:00Z')],
    ]);
  });

  it('rejects XML that is not well formed, or declares a DOCTYPE', async () => {
    const broken = writeZip(join(dir, 'broken.xlsx'), xlsxParts('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>记录编号</t></is></row></sheetData></worksheet>'));
    expect(((await readAll(broken).catch((e: unknown) => e)) as FileFormatError).reason).toBe('XLSX 文件格式错误: XML 结束标记 </row> 与 <c> 不匹配');
    const doctype = writeZip(join(dir, 'doctype.xlsx'), xlsxParts('<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet/>'));
    expect(((await readAll(doctype).catch((e: unknown) => e)) as FileFormatError).reason).toBe('XLSX 文件格式错误: 不支持 XML 文档类型声明（DOCTYPE）');
  });
});

describe('XML tokenizer', () => {
  it('gives the same events whatever the chunking: entities, CDATA, comments, quotes with >', () => {
    const xml = `<?xml version="1.0"?><!-- a > b --><r a="x>y" b='&amp;'><t>甲&lt;乙&#x4E19;</t><![CDATA[<丁>]]]><e/></r>`;
    const events = (chunk: number) => {
      const out: string[] = [];
      let text = '';
      const flush = () => {
        if (text) out.push(`text ${text}`);
        text = '';
      };
      const x = new XmlStream({
        open: (n, a) => (flush(), out.push(`<${n} ${JSON.stringify(a)}`)),
        close: (n) => (flush(), out.push(`</${n}`)),
        text: (t) => (text += t), // a text node may come in pieces
      });
      for (let i = 0; i < xml.length; i += chunk) x.write(xml.slice(i, i + chunk));
      x.end();
      return out;
    };
    const whole = events(xml.length);
    expect(whole).toEqual(['<r {"a":"x>y","b":"&"}', '<t {}', 'text 甲<乙丙', '</t', 'text <丁>]', '<e {}', '</e', '</r']);
    for (const n of [1, 2, 3, 5, 7]) expect(events(n)).toEqual(whole);
  });
});

describe('CSV files: bad records and bad files', () => {
  const dir = tempDir('csv-bad');
  const small: TabularLimits = { ...DEFAULT_TABULAR_LIMITS, maxCellChars: 1000, stallMs: 500 };

  it('rejects a record with a NUL or control character with its reason, and reads the rest', async () => {
    const path = join(dir, 'nul.csv');
    writeFileSync(path, '记录编号,坐落\nR1,石狮市\nR2,石狮\u0000市\nR3,宝盖\u001b镇\nR4,"多\n行"\n');
    const { rows } = await readAll(path);
    expect(rows.map((r) => [r.line, r.values['记录编号'], r.defect])).toEqual([
      [2, 'R1', undefined],
      [3, 'R2', '坐落: 含有控制字符（U+0000）'],
      [4, 'R3', '坐落: 含有控制字符（U+001B）'],
      [5, 'R4', undefined],
    ]);
    expect(rows[1].values['坐落']).toBe('石狮<U+0000>市');
  });

  it('rejects a record whose UTF-8 is broken (U+FFFD), also past the encoding sample and across chunks', async () => {
    const path = join(dir, 'broken-utf8.csv');
    const good = Array.from({ length: 20000 }, (_, i) => `R${i},${address(i)}\n`).join('');
    writeFileSync(path, Buffer.concat([Buffer.from(`记录编号,坐落\n${good}`), Buffer.from('RX,石狮'), Buffer.from([0xe5, 0x9c]), Buffer.from('市\nRY,宝盖镇\n')]));
    const { rows } = await readAll(path);
    expect(rows).toHaveLength(20002);
    expect(rows.filter((r) => r.defect).map((r) => [r.values['记录编号'], r.defect])).toEqual([['RX', '坐落: 含有无法识别的字符（文件编码错误或数据损坏）']]);
    expect(rows.slice(0, 20000).map((r) => r.values['坐落'])).toEqual(Array.from({ length: 20000 }, (_, i) => address(i)));
  });

  it('rejects an over-long cell as a record (line numbers after it stay right) while keeping it bounded', async () => {
    const path = join(dir, 'long.csv');
    writeFileSync(path, `记录编号,坐落\nR1,"${'长'.repeat(5000)}\n${'长"""'.repeat(3000)}"\nR2,${'短'.repeat(3000)}\nR3,石狮市\n`);
    const { rows } = await readAll(path, small);
    expect(rows.map((r) => [r.line, r.values['记录编号'], r.defect ?? null])).toEqual([
      [2, 'R1', '坐落: 文本过长（超过1000字）'],
      [4, 'R2', '坐落: 文本过长（超过1000字）'],
      [5, 'R3', null],
    ]);
    expect(rows[2].values['坐落']).toBe('石狮市');
  });

  it('fails a file whose quote never closes as soon as the cell passes the limit, not at its end', async () => {
    const path = join(dir, 'runaway.csv');
    writeFileSync(path, `记录编号,坐落\nR1,"石狮市\n${'R,宝盖镇\n'.repeat(5000)}`);
    const err = await readAll(path, small).catch((e: unknown) => e);
    expect((err as FileFormatError).reason).toBe('文件格式错误: 第 2 行开始的单元格超过 1000 个字符且跨越过多行（引号可能不匹配）');
  });

  it('gives up on a read that stops progressing (FileUnavailable, not a rejection of the file)', async () => {
    const path = join(dir, 'stalled.csv');
    execFileSync('mkfifo', [path]);
    const opened = openTabular(path, small);
    const writer = openSync(path, 'w');
    try {
      writeSync(writer, '记录编号,坐落\n');
      const started = Date.now();
      const err = await opened.then((f) => f.rows.next()).catch((e: unknown) => e);
      expect((err as Error).message).toBe('文件读取停滞: 1 秒内没有读到数据');
      expect(err).toBeInstanceOf(FileUnavailable);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      closeSync(writer);
    }
  });
});
