import { deathRecord } from '../evaluation-members';
import { ref, round2 } from '../snapshot';
import type { DeptRecord, RecordRef } from '../snapshot';
import { finding, isLocal, months, Rule, RuleContext } from './rule';

export interface SubletAssessment {
  score: number;
  level: 'high' | 'medium' | 'low';
  signals: { signal: string; points: number; values: Record<string, unknown>; records: RecordRef[] }[];
}

/** Sum of a utility's usage per month (several accounts add up), for the given months. */
export function monthlyUsage(records: DeptRecord[], utility: string, window: string[]): Map<string, { usage: number; refs: RecordRef[] }> {
  const set = new Set(window);
  const out = new Map<string, { usage: number; refs: RecordRef[] }>();
  for (const r of records) {
    if (r.kind !== 'meter' || r.data.utility !== utility || !r.period || !set.has(r.period) || typeof r.data.usage !== 'number') continue; // a meter's usage: a number or null
    const cur = out.get(r.period) ?? { usage: 0, refs: [] };
    cur.usage = round2(cur.usage + r.data.usage);
    cur.refs.push(ref(r));
    out.set(r.period, cur);
  }
  return out;
}

/** The section B suspicion score: strangers registered at the unit, work elsewhere, electricity. */
export function assessSublet(ctx: RuleContext): SubletAssessment {
  const p = ctx.policy.p.sublet;
  const signals: SubletAssessment['signals'] = [];
  const evaluation = new Set(ctx.ev.members.map((m) => m.personId));

  // 1. Persons with an active residence registration at the unit who are not evaluation members
  // (a registration of a person with a recorded death is not counted: nobody lives there).
  const registered = new Map<number, DeptRecord>();
  for (const r of ctx.s.unitRecords) {
    if (r.kind !== 'residence' || r.personId === null || evaluation.has(r.personId)) continue;
    if (r.data.registeredOn && r.data.registeredOn > ctx.asOf) continue;
    if (r.data.validTo && r.data.validTo <= ctx.asOf) continue;
    if (deathRecord(ctx.s.residentDeaths.get(r.personId) ?? ctx.s.recordsByPerson.get(r.personId), ctx.asOf)) continue;
    if (!registered.has(r.personId)) registered.set(r.personId, r);
  }
  if (registered.size) {
    const points = Math.min(registered.size * p.residencePoints, p.residenceMaxPoints);
    signals.push({
      signal: 'residence',
      points,
      values: { nonMembersRegistered: registered.size, pointsEach: p.residencePoints, maxPoints: p.residenceMaxPoints },
      records: [...registered.values()].map(ref),
    });
  }

  // 2. The 承租人 works only outside the city in ≥ workMonths of the last workWindowMonths.
  const tenant = ctx.s.members.find((m) => m.relation === 'tenant');
  if (tenant && evaluation.has(tenant.personId)) {
    const window = new Set(months(ctx, p.workWindowMonths));
    const byMonth = new Map<string, { local: boolean; away: boolean; refs: RecordRef[] }>();
    for (const r of ctx.s.recordsByPerson.get(tenant.personId) ?? []) {
      if ((r.kind !== 'contribution' && r.kind !== 'deposit') || r.personId !== tenant.personId || !r.period || !window.has(r.period)) continue;
      const m = byMonth.get(r.period) ?? { local: false, away: false, refs: [] };
      if (isLocal(r.data.regionCode, ctx)) m.local = true;
      else {
        m.away = true;
        m.refs.push(ref(r));
      }
      byMonth.set(r.period, m);
    }
    const away = [...byMonth.entries()].filter(([, m]) => m.away && !m.local);
    if (away.length >= p.workMonths) {
      signals.push({
        signal: 'work-elsewhere',
        points: p.workPoints,
        values: { monthsOnlyElsewhere: away.length, months: away.map(([k]) => k).sort() },
        records: away.flatMap(([, m]) => m.refs),
      });
    }
  }

  // 3. Mean monthly electricity (months with readings) per evaluation member.
  if (ctx.ev.n > 0) {
    const usage = monthlyUsage(ctx.s.unitRecords, 'electricity', months(ctx, p.electricityWindowMonths));
    if (usage.size) {
      const exactMean = [...usage.values()].reduce((a, x) => a + x.usage, 0) / usage.size;
      const mean = round2(exactMean);
      const perCapita = round2(exactMean / ctx.ev.n);
      if (exactMean >= p.electricityPerCapita * ctx.ev.n - 1e-9) {
        signals.push({
          signal: 'electricity',
          points: p.electricityPoints,
          values: { meanMonthlyKwh: mean, monthsWithReadings: usage.size, evaluationMembers: ctx.ev.n, kwhPerCapita: perCapita, threshold: p.electricityPerCapita },
          records: [...usage.values()].flatMap((x) => x.refs),
        });
      }
    }
  }
  const score = signals.reduce((a, s) => a + s.points, 0);
  const level = score >= p.highScore ? 'high' : score >= p.mediumScore ? 'medium' : 'low';
  return { score, level, signals };
}

const SIGNAL_TEXT: Record<string, string> = { residence: '非家庭成员在该房屋居住登记', 'work-elsewhere': '承租人长期在外地参保缴存', electricity: '人均用电量偏高' };

/** SUBLET 转租转借: a suspicion (medium or high), never an automatic exit. 在保 only. */
export const sublet: Rule = (ctx) => {
  if (ctx.s.status !== 'active' || ctx.s.unitId === null) return null;
  const a = assessSublet(ctx);
  if (a.level === 'low') return null;
  const p = ctx.policy.p.sublet;
  return finding(ctx, 'SUBLET', {
    level: a.level,
    score: a.score,
    values: { score: a.score, level: a.level, signals: a.signals.map((s) => ({ signal: s.signal, points: s.points, values: s.values })) },
    thresholds: { highScore: p.highScore, mediumScore: p.mediumScore, inspectionDays: p.inspectionDays },
    records: a.signals.flatMap((s) => s.records),
    explanation: `转租转借嫌疑${a.level === 'high' ? '高' : '中'}（${a.score}分）：${a.signals.map((s) => `${SIGNAL_TEXT[s.signal]}${s.points}分`).join('，')}${a.level === 'high' ? `，应于${p.inspectionDays}日内入户核查` : '，列入观察名单'}`,
  });
};
