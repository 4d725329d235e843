/**
 * The case lifecycle's codes and their Chinese names. Dependency-free: the console imports this
 * file as it is (web/src/common/vocabulary.ts), so the names are written once.
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
  | 'record_service'
  | 'handover'
  | 'complete_task';

/** Case statuses in the order a case moves through them. */
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

export const ACTION_LABEL: Record<CaseAction, string> = {
  order_inspection: '安排入户核查',
  record_inspection: '登记核查结果',
  confirm: '退出认定',
  dismiss: '误报排除',
  reopen: '重新打开',
  contest: '登记申辩/复核申请',
  decide_contest: '复核决定',
  issue_notice: '下达退出通知',
  mark_overdue: '列入应退未退',
  record_measure: '登记整改措施',
  record_service: '登记送达',
  handover: '腾退交房',
  complete_task: '完成承租人变更',
};

export const MEASURES = ['催告', '计收市场租金', '申请强制执行', '起诉'] as const;

/** How a notice is served (送达方式). */
export const SERVICE_METHODS = ['直接送达', '邮寄送达', '留置送达', '公告送达'] as const;
