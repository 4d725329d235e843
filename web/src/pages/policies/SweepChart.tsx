import { useMemo } from 'react';
import { EChart, type EChartOption } from '../../common/EChart';
import { count } from '../../common/format';
import { ruleName } from '../../common/vocabulary';
import type { SimulationResult } from './Comparison';
import { EDITABLE, paramLabel } from './simulation-text';

type Sweep = NonNullable<SimulationResult['sweep']>;

/** A sweep's curve: x the parameter's value, y the households failing; the total and one line per rule whose count changes along the range. */
export function SweepChart({ sweep }: { sweep: Sweep }) {
  const option = useMemo<EChartOption>(() => {
    const rules = [...new Set(sweep.points.flatMap((p) => Object.keys(p.byRule)))].filter((r) => new Set(sweep.points.map((p) => p.byRule[r] ?? 0)).size > 1).sort();
    const unit = EDITABLE.find((e) => e.path === sweep.parameter)?.unit ?? '';
    return {
      animation: false,
      grid: { left: 16, right: 32, top: 48, bottom: 32, containLabel: true },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${count(Number(v))} 户` },
      xAxis: {
        type: 'category',
        name: `${paramLabel(sweep.parameter)}${unit ? `（${unit}）` : ''}`,
        nameLocation: 'middle',
        nameGap: 28,
        data: sweep.points.map((p) => count(p.value)),
      },
      yAxis: { type: 'value', name: '不符合条件户数', minInterval: 1 },
      series: [
        { type: 'line', name: '合计（任一问题）', data: sweep.points.map((p) => p.failing), symbolSize: 6, lineStyle: { width: 3 }, itemStyle: { color: '#cf1322' } },
        ...rules.map((r) => ({ type: 'line', name: ruleName(r), data: sweep.points.map((p) => p.byRule[r] ?? 0), symbolSize: 5 })),
      ],
    };
  }, [sweep]);
  return <EChart label={`参数扫描：${paramLabel(sweep.parameter)}与不符合条件户数`} option={option} height={340} />;
}
