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
