import { ref, round2 } from '../snapshot';
import type { RecordRef } from '../snapshot';
import { finding, fmt, months, newest, Rule, yearsBefore } from './rule';

/**
 * INCOME_OVER 收入超标: per person, max(Σ over the last 12 months of the month's largest
 * contribution base, deposit base or pension, the newest economic check's annualIncome within one
 * year); household Σ / n > threshold.
 */
export const incomeOver: Rule = (ctx) => {
  const n = ctx.ev.n;
  if (n === 0) return null;
  const window = new Set(months(ctx, ctx.policy.p.incomeMonths));
  const since = yearsBefore(ctx.asOf, ctx.policy.p.economicCheckIncomeYears);
  const persons = ctx.ev.members.map((m) => {
    const records = (ctx.s.recordsByPerson.get(m.personId) ?? []).filter((r) => r.personId === m.personId);
    const byMonth = new Map<string, { value: number; r: RecordRef }>();
    for (const r of records) {
      const v =
        r.kind === 'contribution' ? r.data.contributionBase : r.kind === 'deposit' ? r.data.depositBase : r.kind === 'pension' ? r.data.amount : null;
      if (v == null || !r.period || !window.has(r.period)) continue;
      const cur = byMonth.get(r.period);
      if (!cur || v > cur.value) byMonth.set(r.period, { value: v, r: ref(r) });
    }
    const wages = round2([...byMonth.values()].reduce((a, x) => a + x.value, 0));
    const check = newest(
      records.filter((r) => r.kind === 'economic-check' && r.data.annualIncome != null).map((r) => ({ r })),
      (r) => r.data.checkDate,
      ctx.asOf,
      since,
    );
    const checked = check ? check.r.data.annualIncome : null;
    const income = Math.max(wages, checked ?? 0);
    return { personId: m.personId, monthly: wages, months: byMonth.size, economicCheck: checked, income, refs: [...[...byMonth.values()].map((x) => x.r), ...(check ? [ref(check.r)] : [])] };
  });
  const exact = persons.reduce((a, p) => a + p.income, 0);
  const threshold = ctx.policy.p.incomePerCapita;
  if (!(exact > threshold * n + 1e-9)) return null;
  const total = round2(exact);
  const perCapita = round2(exact / n);
  return finding(ctx, 'INCOME_OVER', {
    values: {
      householdIncome: total,
      evaluationMembers: n,
      incomePerCapita: perCapita,
      persons: persons.map((p) => ({ personId: p.personId, monthly: p.monthly, months: p.months, economicCheck: p.economicCheck, income: p.income })),
      months: [...window],
    },
    thresholds: { incomePerCapita: threshold, comparison: '>' },
    records: persons.flatMap((p) => p.refs),
    explanation: `家庭年收入${fmt(total)}元，人均${fmt(perCapita)}元（${n}人），超过人均${fmt(threshold)}元标准`,
  });
};
