import type { Role } from '../auth/actor';

/**
 * The case lifecycle of policy.md section C as data: for each action, the states it leaves, the
 * state it reaches, and who may take it. Pure; the service adds the guards that need data.
 */
export type CaseStatus = 'open' | 'inspection' | 'inspected' | 'notified' | 'contested' | 'notice_issued' | 'overdue' | 'closed';
export type CaseKind = 'exit' | 'waiting_removal' | 'tenant_change';

export type CaseAction =
  | 'order_inspection'
  | 'record_inspection'
  | 'confirm'
  | 'dismiss'
  | 'reopen'
  | 'contest'
  | 'decide_contest'
  | 'issue_notice'
  | 'mark_overdue'
  | 'record_measure'
  | 'handover'
  | 'complete_task';

const REVIEW: Role[] = ['admin', 'reviewer'];
const ACTIVE: CaseStatus[] = ['open', 'inspection', 'inspected', 'notified', 'contested', 'notice_issued', 'overdue'];

export const TRANSITIONS: Record<CaseAction, { from: CaseStatus[]; kinds: CaseKind[]; roles: Role[]; label: string }> = {
  order_inspection: { from: ['open', 'inspected'], kinds: ['exit', 'waiting_removal'], roles: REVIEW, label: '安排入户核查' },
  record_inspection: { from: ['inspection'], kinds: ['exit', 'waiting_removal'], roles: REVIEW, label: '登记核查结果' },
  confirm: { from: ['open', 'inspected'], kinds: ['exit', 'waiting_removal'], roles: REVIEW, label: '退出认定' },
  dismiss: { from: ['open', 'inspection', 'inspected'], kinds: ['exit', 'waiting_removal', 'tenant_change'], roles: REVIEW, label: '误报排除' },
  reopen: { from: ['closed'], kinds: ['exit', 'waiting_removal'], roles: REVIEW, label: '重新打开' },
  contest: { from: ['notified'], kinds: ['exit'], roles: REVIEW, label: '登记申辩/复核申请' },
  decide_contest: { from: ['contested'], kinds: ['exit'], roles: REVIEW, label: '复核决定' },
  issue_notice: { from: ['notified'], kinds: ['exit'], roles: ['admin'], label: '下达退出通知' },
  mark_overdue: { from: ['notice_issued'], kinds: ['exit'], roles: ['admin'], label: '列入应退未退' },
  record_measure: { from: ['notice_issued', 'overdue'], kinds: ['exit'], roles: REVIEW, label: '登记整改措施' },
  handover: { from: ACTIVE, kinds: ['exit', 'waiting_removal'], roles: REVIEW, label: '腾退交房' },
  complete_task: { from: ['open'], kinds: ['tenant_change'], roles: REVIEW, label: '完成承租人变更' },
};

/** Actions that may follow a case in this state (what a 409 lists). */
export function nextActions(status: CaseStatus, kind: CaseKind): CaseAction[] {
  return (Object.keys(TRANSITIONS) as CaseAction[]).filter((a) => TRANSITIONS[a].from.includes(status) && TRANSITIONS[a].kinds.includes(kind));
}

export const STATUS_LABEL: Record<CaseStatus, string> = {
  open: '待核实',
  inspection: '入户核查中',
  inspected: '已核查',
  notified: '已认定待申辩期满',
  contested: '申辩复核中',
  notice_issued: '已下达退出通知',
  overdue: '应退未退',
  closed: '已结案',
};

export const MEASURES = ['催告', '计收市场租金', '申请强制执行', '起诉'] as const;

/** Declaration matters (主动申报) and the rule codes they cover (contracts README). */
export const MATTER_RULES: Record<string, string[]> = {
  income: ['INCOME_OVER', 'ASSETS_OVER'],
  housing: ['HOUSING_AREA', 'HOUSING_ACQUIRED'],
  vehicle: ['VEHICLE'],
  business: ['BUSINESS'],
  hukou: ['HUKOU_OUT'],
};
