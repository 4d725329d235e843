import { Card, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { EChart, type EChartOption } from '../../common/EChart';
import { QueryState } from '../../common/QueryState';
import { useDashboard } from './queries';

/** 应退未退 week by week toward 清零 (a click opens the list). */
export function OverdueChart() {
  const dashboard = useDashboard();
  const navigate = useNavigate();
  const weeks = dashboard.data?.overdueByWeek;
  const option = useMemo<EChartOption>(
    () => ({
      animation: false,
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: (weeks ?? []).map((w) => w.weekEnd) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'line', name: '应退未退', data: (weeks ?? []).map((w) => w.overdue), itemStyle: { color: '#cf1322' }, symbolSize: 6 }],
    }),
    [weeks],
  );
  return (
    <Card title="应退未退清零进度（按周）" extra={<Link to="/overdue">应退未退清单</Link>}>
      <QueryState query={dashboard}>
        {(d) =>
          d.overdueByWeek.length ? (
            <EChart label="每周应退未退户数" option={option} height={240} onClick={() => void navigate('/overdue')} />
          ) : (
            <Typography.Text type="secondary">暂无应退未退记录</Typography.Text>
          )
        }
      </QueryState>
    </Card>
  );
}
