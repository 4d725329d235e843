import { LEDGER_FILES, ledgerKindOf, missingColumns } from '../../src/registry/ledger-files';

describe('ledger rows (registry.md)', () => {
  const members = LEDGER_FILES.members;

  it('parses a member row, normalising the ID number', () => {
    const r = members.parse({ 家庭编号: 'HH1', 身份证号: ' 11010519491231002x', 姓名: '张三', 与承租人关系: '承租人' });
    expect(r).toEqual({
      ok: true,
      key: 'HH1|11010519491231002X',
      row: { household_code: 'HH1', id_no: '11010519491231002X', name: '张三', relation: 'tenant', birth_date: '1949-12-31', sex: 'F' },
    });
  });

  it('gives every reason of a bad row', () => {
    const r = members.parse({ 家庭编号: '', 身份证号: '110105194912310021', 姓名: '张三', 与承租人关系: '表哥' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reasons).toContain('缺少必填字段: 家庭编号');
      expect(r.reasons).toContain('身份证号: 身份证号校验位错误');
      expect(r.reasons.join()).toContain('与承租人关系: 取值无效「表哥」');
    }
  });

  it('requires a unit and lease start for 在保 and a queue date for 轮候', () => {
    const h = LEDGER_FILES.households;
    const active = h.parse({ 家庭编号: 'HH1', 保障状态: '在保', 保障类别: '低保' });
    expect(active.ok).toBe(false);
    if (!active.ok) expect(active.reasons).toEqual(['在保家庭缺少房源编号', '在保家庭缺少租赁起始日期']);
    const waiting = h.parse({ 家庭编号: 'HH2', 保障状态: '轮候', 保障类别: '低收入', 轮候登记日期: '2025/3/1' });
    expect(waiting).toMatchObject({ ok: true, row: { status: 'waiting', category: 'low_income', queued_on: '2025-03-01' } });
  });

  it('knows files by name and their required columns', () => {
    expect(ledgerKindOf('/x/Members.CSV')).toBe('members');
    expect(ledgerKindOf('units.xlsx')).toBe('units');
    expect(ledgerKindOf('notes.csv')).toBeNull();
    expect(missingColumns(members, ['家庭编号', '姓名'])).toEqual(['身份证号', '与承租人关系']);
  });
});
