/** The filters of 审计日志 in the URL (a list can be linked to). */
export const FILTER_KEYS = ['actor', 'action', 'household', 'from', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
