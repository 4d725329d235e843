/** A simulation's comparison as the CLI prints it: one line per rule and per town, in-force → draft. */
export function simulationText(r: {
  id: string;
  asOf: string;
  draft: { id: number; name: string };
  policyInForce: string;
  households: number;
  comparison: { failing: { inForce: number; draft: number }; byRule: { rule: string; name: string; inForce: number; draft: number }[]; byTown: { town: string; inForce: number; draft: number }[] } | null;
  newlyFailing: number;
  newlyPassing: number;
  seconds: number;
}): string {
  const c = r.comparison;
  if (!c) return `simulation ${r.id}: no comparison\n`;
  const line = (label: string, v: { inForce: number; draft: number }) =>
    `  ${label.padEnd(22)} ${String(v.inForce).padStart(7)} → ${String(v.draft).padStart(7)}  (${v.draft - v.inForce >= 0 ? '+' : ''}${v.draft - v.inForce})\n`;
  return [
    `simulation ${r.id}: draft #${r.draft.id} 「${r.draft.name}」 against ${r.policyInForce}, as of ${r.asOf}, ${r.households} households, ${r.seconds.toFixed(1)} s\n`,
    `households failing (in force → draft)\n`,
    line('any rule', c.failing),
    ...c.byRule.map((x) => line(`${x.rule} ${x.name}`, x)),
    `by town\n`,
    ...c.byTown.map((x) => line(x.town, x)),
    `newly failing: ${r.newlyFailing}; newly passing: ${r.newlyPassing} (GET /api/simulations/${r.id}/households)\n`,
  ].join('');
}

const CHANGE_LABELS = { newly_failing: '新增不符合条件', newly_passing: '转为符合条件', changed: '问题有变化' } as const;

const yuan = (v: number) => `${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).replace(/\.00$/, '')} 元`;
const unit = (u: string) => (v: number) => `${v.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${u}`;
const maxOf = (list: unknown, key: string): number | undefined => {
  const xs = Array.isArray(list) ? list.map((x) => Number((x as Record<string, unknown>)[key])).filter(Number.isFinite) : [];
  return xs.length ? Math.max(...xs) : undefined;
};

/** How a rule's deciding value reads: its name, where it is in the finding's values, the threshold it meets, how, and the words for each side. */
const MEASURED: Record<string, { label: string; value: (v: Record<string, unknown>) => number | undefined; key: string; op: '>' | '≥'; fmt: (v: number) => string; words: [string, string]; line?: string }> = {
  INCOME_OVER: { label: '人均收入', value: (v) => Number(v.incomePerCapita), key: 'incomePerCapita', op: '>', fmt: yuan, words: ['超标', '不超标'] },
  ASSETS_OVER: { label: '家庭金融资产', value: (v) => Number(v.financialAssets), key: 'financialAssets', op: '>', fmt: yuan, words: ['超标', '不超标'] },
  HOUSING_AREA: { label: '人均住房建筑面积', value: (v) => Number(v.areaPerCapita), key: 'housingAreaPerCapita', op: '≥', fmt: unit('平方米'), words: ['超标', '不超标'] },
  VEHICLE: { label: '车辆发票价格', value: (v) => maxOf(v.vehicles, 'invoicePrice'), key: 'vehiclePrice', op: '>', fmt: yuan, words: ['超标', '不超标'] },
  BUSINESS: { label: '计入的注册资本（出资额）', value: (v) => maxOf(v.enterprises, 'countedCapital'), key: 'businessCapital', op: '≥', fmt: yuan, words: ['达到', '未达到'] },
  ARREARS: { label: '欠缴租金', value: (v) => Number(v.monthsInArrears), key: 'arrearsMonths', op: '≥', fmt: unit('个月'), words: ['达到', '未达到'] },
  SUBLET: { label: '转租转借嫌疑评分', value: (v) => Number(v.score), key: 'mediumScore', op: '≥', fmt: unit('分'), words: ['列入', '不列入'], line: '中风险线' },
};

/**
 * What decided a household's change, in words (the API's `text`, the export's cell): the value
 * against the line of each policy, e.g. 人均收入 49,200 元：现行标准 48,000 元（超标），草案标准
 * 52,000 元（不超标）. Rules without one measured value (户籍迁出, 空置 ...) give the finding's explanation.
 */
export function decisionText(d: { rule: string; values: Record<string, unknown>; thresholds: { inForce: Record<string, unknown>; draft: Record<string, unknown> }; explanation: string }): string {
  const m = MEASURED[d.rule];
  const value = m?.value(d.values);
  const a = Number(d.thresholds.inForce[m?.key ?? '']);
  const b = Number(d.thresholds.draft[m?.key ?? '']);
  if (!m || value === undefined || !Number.isFinite(value) || !Number.isFinite(a) || !Number.isFinite(b)) return d.explanation;
  const fires = (line: number) => (m.op === '>' ? value > line : value >= line);
  const side = (name: string, line: number) => `${name}${m.line ?? '标准'} ${m.fmt(line)}（${fires(line) ? m.words[0] : m.words[1]}）`;
  return `${m.label} ${m.fmt(value)}：${side('现行', a)}，${side('草案', b)}`;
}

export const changeLabel = (c: keyof typeof CHANGE_LABELS) => CHANGE_LABELS[c];
