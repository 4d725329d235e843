/** The list's filters live in the URL (the dashboard links to /cases?status=open, 一户一档 to ?householdCode=). */
export const FILTER_KEYS = ['queue', 'town', 'project', 'nature', 'status', 'householdCode', 'stage'] as const;

/** The 工作台 funnel's stages (?stage=, CASE_STAGES in src/cases/cases.repository.ts). */
export const STAGE_NAMES: Record<string, string> = { found: '发现', confirmed: '已认定', noticed: '已发通知', overdue: '曾应退未退', exited: '已退出', dismissed: '已撤销' };
export type FilterKey = (typeof FILTER_KEYS)[number];
