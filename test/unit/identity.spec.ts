import { ageAt, checkChar, makeIdNo, maskIdNo, normaliseIdNo, parseIdNo } from '../../src/common/identity';

describe('resident ID numbers (GB 11643-1999)', () => {
  it('accepts the standard example and derives birth date and sex', () => {
    const r = parseIdNo('11010519491231002X');
    expect(r).toEqual({ ok: true, value: { idNo: '11010519491231002X', birthDate: '1949-12-31', sex: 'F' } });
  });

  it('computes the ISO 7064 MOD 11-2 check character', () => {
    expect(checkChar('11010519491231002')).toBe('X');
    expect(checkChar('44052418800101001')).toBe('4');
    expect(parseIdNo('440524188001010014').ok).toBe(true);
  });

  it('normalises spaces, full-width digits and lower-case x', () => {
    expect(normaliseIdNo('  11010519491231002x ')).toBe('11010519491231002X');
    expect(normaliseIdNo('１１０１０５１９４９１２３１００２Ｘ')).toBe('11010519491231002X');
    expect(normaliseIdNo('110105 1949 1231 002X')).toBe('11010519491231002X');
    expect(normaliseIdNo('\u3000110105194912310 02x')).toBe('11010519491231002X');
  });

  it('converts legacy 15-digit numbers (inserting 19, computing the check character)', () => {
    expect(normaliseIdNo('110105491231002')).toBe('11010519491231002X');
    const id = makeIdNo('350581', '19800101', 123);
    expect(normaliseIdNo(id.slice(0, 6) + id.slice(8, 17))).toBe(id);
  });

  it('rejects a wrong check character with its reason, never matching it silently', () => {
    expect(parseIdNo('110105194912310021')).toEqual({ ok: false, code: 'ID_CHECKSUM', reason: '身份证号校验位错误' });
  });

  it('rejects wrong lengths, letters and impossible birth dates', () => {
    expect(parseIdNo('1101051949123100')).toMatchObject({ ok: false, code: 'ID_FORMAT' });
    expect(parseIdNo('11010519491231002Y')).toMatchObject({ ok: false, code: 'ID_FORMAT' });
    expect(parseIdNo('')).toMatchObject({ ok: false, code: 'ID_EMPTY' });
    expect(parseIdNo(null)).toMatchObject({ ok: false, code: 'ID_EMPTY' });
    const feb30 = '350581' + '19800230' + '001';
    expect(parseIdNo(feb30 + checkChar(feb30))).toMatchObject({ ok: false, code: 'ID_BIRTH_DATE' });
  });

  it('masks keeping the first 6 and the last 4 characters', () => {
    expect(maskIdNo('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNo(null)).toBeNull();
  });

  it('computes age in whole years at a date', () => {
    expect(ageAt('2008-11-01', '2026-11-01')).toBe(18);
    expect(ageAt('2008-11-02', '2026-11-01')).toBe(17);
    expect(ageAt('2000-02-29', '2026-02-28')).toBe(25);
  });

  it('derives sex from the 17th digit (odd = male)', () => {
    const male = makeIdNo('350581', '19900101', 11);
    const female = makeIdNo('350581', '19900101', 12);
    expect(parseIdNo(male)).toMatchObject({ ok: true, value: { sex: 'M' } });
    expect(parseIdNo(female)).toMatchObject({ ok: true, value: { sex: 'F' } });
  });
});
