/** Chinese names of the service's codes (src/eligibility/rules/rule.ts, src/cases/case-machine.ts, src/registry/vocabulary.ts). */

export const RULE_NAMES: Record<string, string> = {
  HOUSING_AREA: '住房超标',
  HOUSING_ACQUIRED: '新购住房',
  INCOME_OVER: '收入超标',
  ASSETS_OVER: '资产超标',
  VEHICLE: '车辆超标',
  BUSINESS: '工商登记',
  HUKOU_OUT: '户籍迁出',
  TENANT_DECEASED: '承租人死亡',
  DUPLICATE: '重复享受',
  SUBLET: '转租转借',
  VACANT: '空置',
  ARREARS: '欠租',
};

export const ruleName = (code: string): string => RULE_NAMES[code] ?? code;

export const LEVEL_NAMES: Record<string, string> = { high: '高', medium: '中', low: '低' };
export const LEVEL_COLORS: Record<string, string> = { high: 'red', medium: 'orange', low: 'default' };

/** Case statuses in the order a case moves through them. */
export const CASE_STATUSES = [
  ['open', '待核实'],
  ['inspection', '入户核查中'],
  ['inspected', '已核查'],
  ['notified', '已认定待申辩期满'],
  ['contested', '申辩复核中'],
  ['notice_issued', '已下达退出通知'],
  ['overdue', '应退未退'],
  ['closed', '已结案'],
] as const;

export const HOUSEHOLD_STATUS_NAMES: Record<string, string> = { active: '在保', waiting: '轮候', exited: '已退出' };

export const SOURCE_STATUS: Record<string, { label: string; color: string }> = {
  ok: { label: '正常', color: 'green' },
  idle: { label: '未同步', color: 'default' },
  running: { label: '同步中', color: 'blue' },
  failing: { label: '失败', color: 'red' },
  not_configured: { label: '未配置', color: 'default' },
};

export const RUN_STATUS: Record<string, string> = { completed: '已完成', running: '运行中', abandoned: '已放弃', failed: '失败' };
export const RUN_MODE: Record<string, string> = { full: '全量', incremental: '增量' };
export const CHANGE_NAMES: Record<string, { label: string; color: string }> = {
  new: { label: '新增', color: 'red' },
  resolved: { label: '已消除', color: 'green' },
  changed: { label: '有变化', color: 'orange' },
};
