import { lastMonths } from '../../src/common/dates';
import { normaliseAddress, parseAmount, parseDate, parsePeriod, parseTimestamp } from '../../src/common/values';

describe('cell values (feeds.md 1b)', () => {
  it.each([
    ['2021-06-30', '2021-06-30'],
    ['2021/6/30', '2021-06-30'],
    ['20210630', '2021-06-30'],
    [' 2021/06/03 ', '2021-06-03'],
    ['2021年6月3日', '2021-06-03'],
  ])('reads the date %s', (raw, iso) => expect(parseDate(raw)).toEqual({ ok: true, value: iso }));

  it('treats empty cells as unknown and rejects impossible dates', () => {
    expect(parseDate('')).toEqual({ ok: true, value: null });
    expect(parseDate(undefined)).toEqual({ ok: true, value: null });
    expect(parseDate('2021-02-30').ok).toBe(false);
    expect(parseDate('2021-13-01').ok).toBe(false);
    expect(parseDate('soon').ok).toBe(false);
  });

  it('reads XLSX dates', () => {
    expect(parseDate(new Date('2021-06-30T00:00:00Z'))).toEqual({ ok: true, value: '2021-06-30' });
  });

  it('reads amounts with thousands separators; empty is null, not zero', () => {
    expect(parseAmount('1,200.50')).toEqual({ ok: true, value: 1200.5 });
    expect(parseAmount('１２００')).toEqual({ ok: true, value: 1200 });
    expect(parseAmount(98000.01)).toEqual({ ok: true, value: 98000.01 });
    expect(parseAmount('')).toEqual({ ok: true, value: null });
    expect(parseAmount('12a').ok).toBe(false);
  });

  it('reads periods and timestamps', () => {
    expect(parsePeriod('2026-3')).toEqual({ ok: true, value: '2026-03' });
    expect(parsePeriod('202603')).toEqual({ ok: true, value: '2026-03' });
    expect(parsePeriod('2026-13').ok).toBe(false);
    const t = parseTimestamp('2026-11-20T02:00:00+08:00');
    expect(t.ok && t.value?.toISOString()).toBe('2026-11-19T18:00:00.000Z');
    expect(parseTimestamp('garbage').ok).toBe(false);
  });

  it('normalises address variants to one form', () => {
    const forms = ['石狮市湖滨街道宝盖路12号3幢305室', '石狮市湖滨街道宝盖路12号3栋305', '石狮市湖滨街道宝盖路１２号３号楼３０５房', '石狮市湖滨街道宝盖路12号 3幢 305号'];
    const norm = forms.map(normaliseAddress);
    expect(new Set(norm).size).toBe(1);
    expect(norm[0]).toBe('石狮市湖滨街道宝盖路12号3幢305室');
  });

  it('lists the last k calendar months before the month of asOf', () => {
    expect(lastMonths('2026-10-15', 12)).toEqual([
      '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09',
    ]);
    expect(lastMonths('2026-01-01', 2)).toEqual(['2025-11', '2025-12']);
  });
});

describe('masking free text', () => {
  it('masks ID-like numbers quoted in a rejection reason, and nothing else', () => {
    const { maskText } = jest.requireActual<typeof import('../../src/common/masking')>('../../src/common/masking');
    expect(maskText('与承租人关系: 取值无效「11010519491231002X」')).toBe('与承租人关系: 取值无效「110105********002X」');
    expect(maskText('日期格式无法识别: 110105491231002')).toBe('日期格式无法识别: 110105*****1002');
    expect(maskText('未知家庭编号: HH0000123；数值 1,200.50')).toBe('未知家庭编号: HH0000123；数值 1,200.50');
  });

  it('masks ID numbers wherever they stand: after letters, full-width, 15 or 18 digits, lower-case x', () => {
    const { maskText } = jest.requireActual<typeof import('../../src/common/masking')>('../../src/common/masking');
    expect(maskText('未知家庭编号: HH11010519491231002X')).toBe('未知家庭编号: HH110105********002X');
    expect(maskText('代办人11010519491231002x电话')).toBe('代办人110105********002x电话');
    expect(maskText('备注：１１０１０５１９４９１２３１００２Ｘ')).toBe('备注：１１０１０５********００２Ｘ');
    expect(maskText('ID110105491231002;')).toBe('ID110105*****1002;');
    // Not inside a longer number (a bank account), not a short code.
    expect(maskText('账号 6222021234567890123456')).toBe('账号 6222021234567890123456');
    expect(maskText('CG005002')).toBe('CG005002');
  });
});
