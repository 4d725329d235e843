import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as iconv from 'iconv-lite';
import { FileFormatError, openTabular, TabularRow } from '../../src/common/tabular';
import { copyField, copyText } from '../../src/database/copy';
import { tempDir } from '../support/files';

async function readAll(path: string): Promise<{ headers: string[]; rows: TabularRow[] }> {
  const f = await openTabular(path);
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
