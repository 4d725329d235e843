/** The list's filters live in the URL, so every count elsewhere can link to its list. */
export const FILTER_KEYS = ['rule', 'level', 'town', 'project', 'status', 'runId', 'declared', 'sort'] as const;

/** The list's orders (FINDING_SORTS in src/eligibility/findings.repository.ts). */
export const SORT_NAMES: Record<string, string> = { household: '按家庭编号', rule: '按规则', score: '按评分高低', town: '按镇（街道）' };
export const DECLARED_NAMES: Record<string, string> = { true: '主动申报', false: '瞒报' };
export type FilterKey = (typeof FILTER_KEYS)[number];
