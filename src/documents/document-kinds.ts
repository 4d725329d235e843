/** The notices the service writes, the case step that writes each, and their placeholders. */
export const DOCUMENT_KINDS = ['inspection_notice', 'exit_determination', 'exit_notice', 'reminder'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const KIND_LABEL: Record<DocumentKind, string> = {
  inspection_notice: '入户核查通知书',
  exit_determination: '退出认定告知书',
  exit_notice: '退出通知书',
  reminder: '催告书',
};

/** The word of a kind's document number: 〔2026〕退字第000123号. */
export const KIND_WORD: Record<DocumentKind, string> = { inspection_notice: '核', exit_determination: '认', exit_notice: '退', reminder: '催' };

/** The case step (timeline action) that writes each kind; a reminder is a record_measure of 催告. */
export const KIND_ACTION: Record<DocumentKind, string> = {
  inspection_notice: 'order_inspection',
  exit_determination: 'confirm',
  exit_notice: 'issue_notice',
  reminder: 'record_measure',
};
export const REMINDER_MEASURE = '催告';

/** The placeholders a template may use, with what they are in the bureau's words. */
export const PLACEHOLDERS = {
  documentNumber: '文号',
  householdCode: '家庭编号',
  tenantName: '承租人姓名',
  tenantIdNo: '承租人身份证号（完整）',
  address: '房屋坐落',
  projectName: '项目名称',
  town: '镇（街道）',
  natureLabel: '退出性质',
  reasons: '退出原因（问题名称）',
  findings: '问题清单（循环：{#findings}…{/findings}）',
  confirmedAt: '认定日期',
  contestDeadline: '申辩截止日期',
  contestDays: '申辩期限（日）',
  noticeAt: '通知日期',
  deadline: '应退日期',
  marketRentFrom: '计收市场租金起始日期',
  inspectionDue: '入户核查期限',
  issuedOn: '落款日期',
  bureauName: '单位名称',
  bureauContact: '联系方式',
} as const;

/** The placeholders inside the {#findings} loop. */
export const FINDING_PLACEHOLDERS = {
  index: '序号',
  name: '问题名称',
  explanation: '问题说明（含数值与标准）',
  policyVersion: '政策版本',
  clause: '政策依据',
} as const;

export function kindOfStep(action: string, measure: string | null): DocumentKind | null {
  if (action === 'record_measure') return measure === REMINDER_MEASURE ? 'reminder' : null;
  const k = (Object.keys(KIND_ACTION) as DocumentKind[]).find((kind) => KIND_ACTION[kind] === action && kind !== 'reminder');
  return k ?? null;
}
