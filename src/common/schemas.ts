import { z } from 'zod';

/**
 * Shared request schemas: every path parameter and date of the API goes through one of these, so a
 * bad value is a 400 naming its field, never a 500 from the database or a silently shifted date.
 */

/** A calendar date, YYYY-MM-DD, that exists (2026-02-30 does not) and lies in 1900-2199. */
export const isoDate = z.string().superRefine((s, ctx) => {
  // One reason per bad date: the first check that fails.
  const d = new Date(`${s}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) ctx.addIssue({ code: 'custom', message: '日期格式应为 YYYY-MM-DD' });
  else if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) ctx.addIssue({ code: 'custom', message: '日期不存在' });
  else if (s < '1900-01-01' || s > '2199-12-31') ctx.addIssue({ code: 'custom', message: '日期超出范围（1900-2199）' });
});

/** A bigint row id (cases, runs): 1 to 18 digits. */
export const bigId = z.string().regex(/^[1-9]\d{0,17}$/, '应为正整数编号');

/** An int row id (tokens, samples): within PostgreSQL's integer. */
export const intId = z.coerce
  .number({ error: '应为正整数编号' })
  .int('应为正整数编号')
  .min(1, '应为正整数编号')
  .max(2_147_483_647, '编号超出范围');

/** A business code (household, unit, project, policy version, source name): printable, bounded. */
export const businessCode = z
  .string()
  .min(1)
  .max(64, '编码过长（最多64字符）')
  .regex(/^[^\p{Cc}\p{Cf}\s]+$/u, '编码含有空白、控制字符或不可见字符');
