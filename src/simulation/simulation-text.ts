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

/** Chinese names of the values and thresholds the rules compare (a finding's keys). */
const VALUE_LABELS: Record<string, string> = {
  incomePerCapita: '人均收入（元）',
  financialAssets: '金融资产（元）',
  housingAreaPerCapita: '人均住房面积（㎡）',
  vehiclePrice: '车辆价格（元）',
  businessCapital: '出资额（元）',
  arrearsMonths: '欠租月数',
  score: '转租评分',
  highScore: '转租高风险分',
  mediumScore: '转租中风险分',
};

const CHANGE_LABELS = { newly_failing: '新增不符合', newly_passing: '不再不符合', changed: '问题变化' } as const;

/** One decision in words: the value that decided it against the line of each policy. */
export function decisionText(d: { name: string; firesUnder: 'draft' | 'inForce'; values: Record<string, unknown>; thresholds: { inForce: Record<string, unknown>; draft: Record<string, unknown> } }): string {
  const fmt = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v));
  const parts = Object.keys(d.thresholds.inForce)
    .filter((k) => typeof d.thresholds.inForce[k] === 'number')
    .map((k) => `${VALUE_LABELS[k] ?? k}${k in d.values ? ` ${fmt(d.values[k])}` : ''}：现行标准 ${fmt(d.thresholds.inForce[k])}，草案标准 ${fmt(d.thresholds.draft[k])}`);
  return `${d.name}（${d.firesUnder === 'draft' ? '草案下不符合' : '现行下不符合'}）${parts.length ? '：' + parts.join('；') : ''}`;
}

export const changeLabel = (c: keyof typeof CHANGE_LABELS) => CHANGE_LABELS[c];
