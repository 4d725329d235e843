import type { NoticeCaseRow, NoticeFindingRow } from './documents.repository';

/** 2026-11-23 → 2026年11月23日 (empty when there is no date). */
export const chineseDate = (iso: string | null | undefined): string => {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null;
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : '';
};

const NATURE: Record<string, string> = { eligibility: '资格不符退出', violation: '违规退出' };
const SECTION: Record<string, string> = { eligibility: '资格不符情形', violation: '违规情形' };

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The values a notice's placeholders are filled with (document-kinds.ts PLACEHOLDERS). */
export function noticeData(
  k: NoticeCaseRow,
  findings: NoticeFindingRow[],
  extra: { documentNumber: string; issuedOn: string; bureauName: string; bureauContact: string },
): Record<string, unknown> {
  return {
    documentNumber: extra.documentNumber,
    householdCode: k.household_code,
    tenantName: k.tenant_name ?? '',
    tenantIdNo: k.tenant_id_no ?? '',
    address: k.address_text ?? '',
    projectName: k.project_name ?? '',
    town: k.town ?? '',
    natureLabel: k.nature ? (NATURE[k.nature] ?? k.nature) : '',
    reasons: findings.map((f) => f.name ?? f.rule_code).join('、'),
    findings: findings.map((f, i) => ({
      index: i + 1,
      name: f.name ?? f.rule_code,
      explanation: f.explanation ?? '',
      policyVersion: f.policy_version ?? '',
      clause: `《公共租赁住房管理办法》及本市租后管理规定（${SECTION[f.nature ?? ''] ?? '退出情形'}：${f.name ?? f.rule_code}；政策版本 ${f.policy_version ?? '—'}）`,
    })),
    confirmedAt: chineseDate(k.confirmed_at),
    contestDeadline: chineseDate(k.contest_deadline),
    contestDays: k.confirmed_at && k.contest_deadline ? String(daysBetween(k.confirmed_at, k.contest_deadline)) : '',
    noticeAt: chineseDate(k.notice_at),
    deadline: chineseDate(k.deadline),
    marketRentFrom: chineseDate(k.market_rent_from),
    inspectionDue: chineseDate(k.inspection_due),
    issuedOn: chineseDate(extra.issuedOn),
    bureauName: extra.bureauName,
    bureauContact: extra.bureauContact,
  };
}
