/**
 * Chinese names of the service's codes. The rules', the case lifecycle's and the ledger's are the
 * service's own tables, imported from its dependency-free files (the console has no copy).
 */
import { ACTION_LABEL, MEASURES, SERVICE_METHODS, STATUS_LABEL, type CaseAction } from '../../../src/cases/case-vocabulary';
import { RULE_NAMES } from '../../../src/eligibility/rules/rule-names';
import { HOUSEHOLD_STATUS } from '../../../src/registry/vocabulary';

export { ACTION_LABEL, MEASURES, RULE_NAMES, SERVICE_METHODS, STATUS_LABEL, type CaseAction };

export const ruleName = (code: string): string => (RULE_NAMES as Record<string, string>)[code] ?? code;

export const LEVEL_NAMES: Record<string, string> = { high: '高', medium: '中', low: '低' };
export const LEVEL_COLORS: Record<string, string> = { high: 'red', medium: 'orange', low: 'default' };

/** Case statuses in the order a case moves through them. */
export const CASE_STATUSES = Object.entries(STATUS_LABEL) as [keyof typeof STATUS_LABEL, string][];

/** The ledger's household statuses: code → its Chinese name. */
export const HOUSEHOLD_STATUS_NAMES: Record<string, string> = Object.fromEntries(Object.entries(HOUSEHOLD_STATUS).map(([name, code]) => [code, name]));

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
