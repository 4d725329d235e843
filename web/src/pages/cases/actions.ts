import type { Role } from '../../app/roles';

/**
 * The case actions as the console offers them: mirrors TRANSITIONS (src/cases/case-machine.ts) for
 * the label and the roles that may take each step, and ACTION_BODIES (src/cases/case-actions.ts)
 * for the fields of its form. The service still decides: a refusal shows its reason.
 */
export type ActionName =
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

export type Field =
  | { name: 'reason'; label: string; required: boolean; message?: string }
  | { name: 'dueDays'; label: string }
  | { name: 'result' | 'decision' | 'measure' | 'notice' | 'method'; label: string; options: { value: string; label: string }[] }
  | { name: 'takenOn' | 'handedOverOn' | 'servedOn'; label: string; required: boolean }
  | { name: 'progress'; label: string };

const REVIEW: Role[] = ['admin', 'reviewer'];
const FIELD: Role[] = ['admin', 'reviewer', 'inspector'];

/** The measures the service takes (MEASURES in case-machine.ts). */
export const MEASURES = ['催告', '计收市场租金', '申请强制执行', '起诉'];

/** The notices served (record_service in case-actions.ts) and how (SERVICE_METHODS in case-machine.ts). */
export const SERVED_NOTICES: Record<string, string> = { exit_determination: '退出认定告知书', exit_notice: '退出通知书' };
export const SERVICE_METHODS = ['直接送达', '邮寄送达', '留置送达', '公告送达'];

export const ACTIONS: Record<ActionName, { label: string; roles: Role[]; fields: Field[]; danger?: boolean; note?: string }> = {
  order_inspection: {
    label: '安排入户核查',
    roles: REVIEW,
    fields: [
      { name: 'dueDays', label: '核查期限（天，默认按政策）' },
      { name: 'reason', label: '说明', required: false },
    ],
  },
  record_inspection: {
    label: '登记核查结果',
    roles: FIELD,
    fields: [
      {
        name: 'result',
        label: '核查结果',
        options: [
          { value: 'confirmed', label: '核实属实' },
          { value: 'not_found', label: '未发现问题' },
        ],
      },
      { name: 'reason', label: '核查情况', required: true, message: '请填写核查情况' },
    ],
  },
  confirm: {
    label: '退出认定',
    roles: REVIEW,
    note: '转租转借、空置须先有入户核查结果（核实属实）；曾作误报排除的人员不能认定同一案件（需另一审核人或管理员）。',
    fields: [{ name: 'reason', label: '认定理由', required: true, message: '请填写认定理由' }] },
  dismiss: { label: '误报排除', roles: REVIEW, danger: true, fields: [{ name: 'reason', label: '误报原因', required: true, message: '请填写误报原因' }] },
  reopen: { label: '重新打开', roles: REVIEW, fields: [{ name: 'reason', label: '重新打开的原因', required: true, message: '请填写重新打开的原因' }] },
  contest: { label: '登记申辩/复核申请', roles: REVIEW, fields: [{ name: 'reason', label: '申辩内容', required: true, message: '请填写申辩内容' }] },
  decide_contest: {
    label: '复核决定',
    roles: REVIEW,
    fields: [
      {
        name: 'decision',
        label: '复核决定',
        options: [
          { value: 'upheld', label: '维持认定' },
          { value: 'overturned', label: '撤销认定' },
        ],
      },
      { name: 'reason', label: '复核意见', required: true, message: '请填写复核意见' },
    ],
  },
  issue_notice: { label: '下达退出通知', roles: ['admin'], fields: [{ name: 'reason', label: '说明', required: false }] },
  mark_overdue: { label: '列入应退未退', roles: ['admin'], fields: [{ name: 'reason', label: '说明', required: false }] },
  record_measure: {
    label: '登记整改措施',
    roles: FIELD,
    fields: [
      { name: 'measure', label: '整改措施', options: MEASURES.map((m) => ({ value: m, label: m })) },
      { name: 'takenOn', label: '采取日期', required: true },
      { name: 'progress', label: '整改进展' },
    ],
  },
  record_service: {
    label: '登记送达',
    roles: FIELD,
    note: '送达认定告知书后，申辩期自送达之日起计算；送达退出通知书后，退出期限自送达之日起计算。',
    fields: [
      { name: 'notice', label: '送达文书', options: Object.entries(SERVED_NOTICES).map(([value, label]) => ({ value, label })) },
      { name: 'method', label: '送达方式', options: SERVICE_METHODS.map((m) => ({ value: m, label: m })) },
      { name: 'servedOn', label: '送达日期', required: true },
      { name: 'reason', label: '说明', required: false },
    ],
  },
  handover: {
    label: '腾退交房',
    roles: REVIEW,
    fields: [
      { name: 'handedOverOn', label: '交房日期（默认今天）', required: false },
      { name: 'reason', label: '说明', required: false },
    ],
  },
  complete_task: { label: '完成承租人变更', roles: REVIEW, fields: [{ name: 'reason', label: '变更情况', required: true, message: '请说明变更情况' }] },
};

/** The case's allowed actions that this role may take, in the machine's order. */
export function actionsFor(allowed: readonly string[], role: Role): ActionName[] {
  return allowed.filter((a): a is ActionName => a in ACTIONS && ACTIONS[a as ActionName].roles.includes(role));
}

/** Timeline entries in words: the machine's steps, and the service's own (立案, 指派, ...). */
const EVENT_NAMES: Record<string, string> = {
  open: '立案',
  resolve_finding: '问题消除',
  resolve: '问题消除结案',
  assign: '指派',
  attach: '上传附件',
  withdraw_attachment: '撤回附件',
  document: '生成文书',
  ...Object.fromEntries(Object.entries(ACTIONS).map(([k, v]) => [k, v.label])),
};
export const eventName = (action: string): string => EVENT_NAMES[action] ?? action;

export const NATURE_NAMES: Record<string, string> = { eligibility: '资格不符', violation: '违规' };
export const INSPECTION_RESULTS: Record<string, string> = { confirmed: '核实属实', not_found: '未发现问题' };
export const OUTCOMES: Record<string, string> = {
  dismissed: '误报排除',
  overturned: '复核撤销',
  exited: '已腾退',
  removed_from_waiting: '移出轮候',
  tenant_changed: '承租人已变更',
  resolved: '问题已消除',
};
export const KIND_NAMES: Record<string, string> = { exit: '退出', waiting_removal: '移出轮候', tenant_change: '承租人变更' };
