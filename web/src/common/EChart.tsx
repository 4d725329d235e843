import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export type EChartOption = echarts.EChartsCoreOption;

/** An ECharts chart (only the parts registered above are bundled); `onClick` gets the item's name. */
export function EChart({ option, height = 280, onClick, label }: { option: EChartOption; height?: number; onClick?: (name: string) => void; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    const chart = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.on('click', (p) => click.current?.(String(p.name)));
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, []);

  useEffect(() => {
    echarts.getInstanceByDom(el.current!)?.setOption(option, true);
  }, [option]);

  return <div ref={el} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
