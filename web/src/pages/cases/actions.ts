import { ACTION_LABEL, MEASURES, SERVICE_METHODS, type CaseAction } from '../../common/vocabulary';

/**
 * The forms of the case actions: the fields of each (ACTION_BODIES in src/cases/case-actions.ts).
 * Which steps a user may take is the service's answer (the case's allowedActions); the labels are
 * its ACTION_LABEL. The service still decides: a refusal shows its reason.
 */
export type ActionName = CaseAction;

export type Field =
  | { name: 'reason'; label: string; required: boolean; message?: string }
  | { name: 'dueDays'; label: string }
  | { name: 'result' | 'decision' | 'measure' | 'notice' | 'method'; label: string; options: { value: string; label: string }[] }
  | { name: 'takenOn' | 'handedOverOn' | 'servedOn'; label: string; required: boolean }
  | { name: 'progress'; label: string };

/** The notices served (record_service in case-actions.ts). */
const SERVED_NOTICES: Record<string, string> = { exit_determination: '退出认定告知书', exit_notice: '退出通知书' };

export const ACTIONS: Record<ActionName, { fields: Field[]; danger?: boolean; note?: string }> = {
  order_inspection: {
    fields: [
      { name: 'dueDays', label: '核查期限（天，默认按政策）' },
      { name: 'reason', label: '说明', required: false },
    ],
  },
  record_inspection: {
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
    note: '转租转借、空置须先有入户核查结果（核实属实）；曾作误报排除的人员不能认定同一案件（需另一审核人或管理员）。',
    fields: [{ name: 'reason', label: '认定理由', required: true, message: '请填写认定理由' }] },
  dismiss: { danger: true, fields: [{ name: 'reason', label: '误报原因', required: true, message: '请填写误报原因' }] },
  reopen: { fields: [{ name: 'reason', label: '重新打开的原因', required: true, message: '请填写重新打开的原因' }] },
  contest: { fields: [{ name: 'reason', label: '申辩内容', required: true, message: '请填写申辩内容' }] },
  decide_contest: {
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
  issue_notice: { fields: [{ name: 'reason', label: '说明', required: false }] },
  mark_overdue: { fields: [{ name: 'reason', label: '说明', required: false }] },
  record_measure: {
    fields: [
      { name: 'measure', label: '整改措施', options: MEASURES.map((m) => ({ value: m, label: m })) },
      { name: 'takenOn', label: '采取日期', required: true },
      { name: 'progress', label: '整改进展' },
    ],
  },
  record_service: {
    note: '送达认定告知书后，申辩期自送达之日起计算；送达退出通知书后，退出期限自送达之日起计算。',
    fields: [
      { name: 'notice', label: '送达文书', options: Object.entries(SERVED_NOTICES).map(([value, label]) => ({ value, label })) },
      { name: 'method', label: '送达方式', options: SERVICE_METHODS.map((m) => ({ value: m, label: m })) },
      { name: 'servedOn', label: '送达日期', required: true },
      { name: 'reason', label: '说明', required: false },
    ],
  },
  handover: {
    fields: [
      { name: 'handedOverOn', label: '交房日期（默认今天）', required: false },
      { name: 'reason', label: '说明', required: false },
    ],
  },
  complete_task: { fields: [{ name: 'reason', label: '变更情况', required: true, message: '请说明变更情况' }] },
};

/** The case's allowed actions (the service's answer for this user) that the console has a form for. */
export const actionsOf = (allowed: readonly string[]): ActionName[] => allowed.filter((a): a is ActionName => Object.hasOwn(ACTIONS, a));

/** Timeline entries in words: the machine's steps, and the service's own (立案, 指派, ...). */
const EVENT_NAMES: Record<string, string> = {
  open: '立案',
  resolve_finding: '问题消除',
  resolve: '问题消除结案',
  assign: '指派',
  attach: '上传附件',
  withdraw_attachment: '撤回附件',
  document: '生成文书',
  ...ACTION_LABEL,
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
