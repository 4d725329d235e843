import { makeIdNo } from '../../src/common/identity';
import { DEFAULT_VALUE_LIMITS, dateIssue, quantityIssue, setValueLimits, storableJson, textIssue, timestampIssue } from '../../src/common/value-limits';
import { LEDGER_FILES } from '../../src/registry/ledger-files';
import { normaliseRecord } from '../../src/sources/record-normaliser';
import { sourceByName } from '../../src/sources/sources.catalog';

describe('plausible values (issue 9, item 8)', () => {
  const now = new Date('2026-11-23T05:00:00Z');
  afterEach(() => setValueLimits(DEFAULT_VALUE_LIMITS));

  it('a quantity is finite and not negative; a large one is real data', () => {
    expect(quantityIssue(-0.01)).toBe('不能为负数: -0.01');
    expect(quantityIssue(Infinity)).toBe('数值无效');
    expect(quantityIssue(Number.NaN)).toBe('数值无效');
    expect(quantityIssue(0)).toBeNull();
    expect(quantityIssue(98_000_000_000)).toBeNull();
  });

  it('dates and months lie between 1900 and a hundred years ahead; updatedAt at most the clock skew ahead', () => {
    expect(dateIssue('1899-12-31', DEFAULT_VALUE_LIMITS, now)).toBe('日期超出合理范围（1900-01-01 至 2126-12-31）: 1899-12-31');
    expect(dateIssue('2127-01-01', DEFAULT_VALUE_LIMITS, now)).not.toBeNull();
    expect(dateIssue('2126-12-31', DEFAULT_VALUE_LIMITS, now)).toBeNull();
    expect(dateIssue('1899-12', DEFAULT_VALUE_LIMITS, now)).toBe('日期超出合理范围（1900-01 至 2126-12）: 1899-12');
    expect(timestampIssue(new Date(now.getTime() + 9 * 60_000), DEFAULT_VALUE_LIMITS, now)).toBeNull();
    expect(timestampIssue(new Date(now.getTime() + 11 * 60_000), DEFAULT_VALUE_LIMITS, now)).toMatch(/^晚于当前时间（允许的时钟偏差为10分钟）/);
    expect(timestampIssue(new Date('1899-01-01T00:00:00Z'), DEFAULT_VALUE_LIMITS, now)).toMatch(/^时间早于 1900-01-01/);
  });

  it('text has a maximum length and no characters a mis-decoded file leaves', () => {
    expect(textIssue('x'.repeat(500))).toBeNull();
    expect(textIssue('x'.repeat(501))).toBe('文本过长（501字，上限500字）');
    expect(textIssue('王\uFFFD')).toBe('含有无法识别的字符（文件编码错误或数据损坏）');
    expect(textIssue('a\u0000b')).toBe('含有控制字符（U+0000）');
    expect(textIssue('\uD83D')).not.toBeNull();
    // C1 controls too, as in a file's cells (an HTTP page is held to the same rule).
    expect(textIssue('a\u0085b')).not.toBeNull();
    expect(textIssue('a\u007Fb')).not.toBeNull();
    expect(textIssue('第一行\r\n第二行\t😀')).toBeNull();
    setValueLimits({ ...DEFAULT_VALUE_LIMITS, maxTextLength: 20 });
    expect(textIssue('x'.repeat(21))).toBe('文本过长（21字，上限20字）');
  });

  it('keeps any raw row storable in jsonb: NUL and lone surrogates replaced, long cells cut', () => {
    expect(JSON.parse(storableJson({ a: 'x\u0000y\uD800', b: 1 }))).toEqual({ a: 'x\uFFFDy\uFFFD', b: 1 });
    expect((JSON.parse(storableJson({ a: 'z'.repeat(5000) })) as { a: string }).a).toBe(`${'z'.repeat(2000)}…（共5000字，已截断）`);
  });

  describe('department records', () => {
    const property = sourceByName('property')!;
    const record = (over: Record<string, unknown>) => ({
      recordId: 'BDC1', updatedAt: '2026-10-01T10:00:00+08:00', ownerIdNo: makeIdNo('350581', '19800101', 1), ownerName: '张三',
      regionCode: '350581', usage: '住宅', floorArea: 90, acquiredOn: '2020-01-01', status: 'valid', ...over,
    });
    const reason = (over: Record<string, unknown>) => {
      const r = normaliseRecord(property, record(over));
      return r.ok ? null : r.reason;
    };

    it('rejects impossible values with their reason', () => {
      expect(reason({})).toBeNull();
      expect(reason({ floorArea: -90 })).toBe('建筑面积: 不能为负数: -90');
      expect(reason({ floorArea: '-1,200.5' })).toBe('建筑面积: 不能为负数: -1200.5');
      expect(reason({ floorArea: '9'.repeat(400) })).toBe('建筑面积: 数值无效');
      expect(reason({ sharePercent: 100.5 })).toBe('共有份额: 数值超出范围 0-100: 100.5');
      expect(reason({ acquiredOn: '1800-01-01' })).toMatch(/^登记日期: 日期超出合理范围（1900-01-01 至 \d{4}-12-31）: 1800-01-01$/);
      expect(reason({ address: '坐'.repeat(501) })).toBe('坐落: 文本过长（501字，上限500字）');
      expect(reason({ ownerName: '张\u0000' })).toBe('权利人: 含有控制字符（U+0000）');
      expect(reason({ updatedAt: '2099-01-01T00:00:00Z' })).toBe('更新时间: 晚于当前时间（允许的时钟偏差为10分钟）: 2099-01-01T00:00:00.000Z');
      expect(reason({ updatedAt: '2099-01-01T00:00:00Z', op: 'delete' })).toMatch(/^更新时间: 晚于当前时间/);
    });

    it('checks every quantity of feeds.md', () => {
      const negatives: [string, Record<string, unknown>, string][] = [
        ['civil-affairs', { kind: 'economic-check', idNo: makeIdNo('350581', '19800101', 1), checkDate: '2026-01-01', annualIncome: -1 }, '年收入'],
        ['vehicle', { ownerIdNo: makeIdNo('350581', '19800101', 1), vehicleType: '小型汽车', usage: '非营运', registeredOn: '2024-01-01', status: 'normal', invoicePrice: -1 }, '购置价格'],
        ['social-security', { kind: 'contribution', idNo: makeIdNo('350581', '19800101', 1), regionCode: '350581', period: '2026-01', contributionBase: -1 }, '缴费基数'],
        ['housing-fund', { kind: 'withdrawal', idNo: makeIdNo('350581', '19800101', 1), reason: '购房', withdrawnOn: '2026-01-01', amount: -1 }, '金额'],
        ['market-supervision', { idNo: makeIdNo('350581', '19800101', 1), role: '股东', status: '存续', registeredCapital: -1 }, '注册资本'],
        ['utilities', { kind: 'meter', accountNo: 'A1', utility: 'water', period: '2026-01', usage: -1 }, '用量'],
      ];
      for (const [source, fields, header] of negatives) {
        const r = normaliseRecord(sourceByName(source)!, { recordId: 'R1', updatedAt: '2026-10-01T10:00:00Z', ...fields });
        expect({ source, reason: r.ok ? null : r.reason }).toEqual({ source, reason: `${header}: 不能为负数: -1` });
      }
    });
  });

  describe('ledger rows', () => {
    const units = LEDGER_FILES.units;
    const unit = (over: Record<string, unknown>) => units.parse({ 房源编号: 'U1', 项目编号: 'P1', 房屋坐落: '某路1号', 建筑面积: '60', 居室数: '2', 月租金: '300', ...over });
    const reasons = (over: Record<string, unknown>) => {
      const r = unit(over);
      return r.ok ? [] : r.reasons;
    };

    it('rejects what would not fit the target columns, before the database sees it', () => {
      expect(unit({}).ok).toBe(true);
      expect(reasons({ 建筑面积: '12345678901234' })).toEqual(['建筑面积: 数值超出可存储范围（绝对值须小于 100000000）: 12345678901234']);
      expect(reasons({ 月租金: '10000000000' })).toEqual(['月租金: 数值超出可存储范围（绝对值须小于 10000000000）: 10000000000']);
      expect(reasons({ 居室数: '2147483648' })).toEqual(['居室数: 数值超出可存储范围: 2147483648']);
      expect(reasons({ 居室数: '2.5' })).toEqual(['居室数: 应为整数: 2.5']);
      expect(reasons({ 房屋坐落: '坐'.repeat(501) })).toEqual(['房屋坐落: 文本过长（501字，上限500字）']);
      expect(reasons({ 建筑面积: '-1' })).toEqual(['建筑面积: 不能为负数: -1']);
    });

    it('rejects impossible dates and amounts in every ledger', () => {
      const arrears = LEDGER_FILES.arrears.parse({ 家庭编号: 'H1', 欠租月数: '-2', 欠租金额: '-100', 统计日期: '1899-01-01' });
      expect(arrears.ok ? [] : arrears.reasons).toEqual([
        '欠租月数: 不能为负数: -2',
        '欠租金额: 不能为负数: -100',
        expect.stringMatching(/^统计日期: 日期超出合理范围（1900-01-01 至 \d{4}-12-31）: 1899-01-01$/),
      ]);
      const declaration = LEDGER_FILES.declarations.parse({ 家庭编号: 'H1', 身份证号: makeIdNo('350581', '19800101', 1), 申报事项: '购房', 申报日期: '2026-01-01', 说明: '说'.repeat(501) });
      expect(declaration.ok ? [] : declaration.reasons).toEqual(['说明: 文本过长（501字，上限500字）']);
    });
  });
});
