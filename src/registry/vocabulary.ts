/** The ledger's Chinese values (registry.md) ↔ the codes stored and used in code. */

export const HOUSEHOLD_STATUS = { 在保: 'active', 轮候: 'waiting', 已退出: 'exited' } as const;
export const HOUSEHOLD_CATEGORY = {
  低保: 'dibao',
  低收入: 'low_income',
  中等偏下收入: 'lower_middle_income',
  新就业职工: 'new_employee',
  外来务工人员: 'migrant_worker',
} as const;
export const RELATION = { 承租人: 'tenant', 配偶: 'spouse', 子女: 'child', 父母: 'parent', 其他: 'other' } as const;
export const MANAGEMENT = { 市直管: 'city', 非市直管: 'non_city' } as const;
export const DECLARATION_MATTER = {
  收入变化: 'income',
  购房: 'housing',
  车辆: 'vehicle',
  工商登记: 'business',
  婚姻变化: 'marriage',
  户籍迁出: 'hukou',
  其他: 'other',
} as const;

export type HouseholdStatus = (typeof HOUSEHOLD_STATUS)[keyof typeof HOUSEHOLD_STATUS];
export type HouseholdCategory = (typeof HOUSEHOLD_CATEGORY)[keyof typeof HOUSEHOLD_CATEGORY];
export type Relation = (typeof RELATION)[keyof typeof RELATION];
export type DeclarationMatter = (typeof DECLARATION_MATTER)[keyof typeof DECLARATION_MATTER];

export const codesOf = <T extends Record<string, string>>(m: T) => Object.values(m) as T[keyof T][];

/** Reverse look-up: code → Chinese label. */
export function labelOf(map: Record<string, string>, code: string | null | undefined): string | null {
  if (code == null) return null;
  for (const [label, c] of Object.entries(map)) if (c === code) return label;
  return code;
}

/** Accepts the Chinese label or the code itself. */
export function codeOf<T extends Record<string, string>>(map: T, v: string): T[keyof T] | null {
  if (v in map) return map[v as keyof T];
  return Object.values<string>(map).includes(v) ? (v as T[keyof T]) : null;
}
