import { Alert, Empty, Progress, Result, Space, Typography } from 'antd';
import { count, dayTime } from '../../common/format';
import { QueryState } from '../../common/QueryState';
import { ChangesTable } from './ChangesTable';
import { ComparisonTables } from './Comparison';
import { useSimulation } from './queries';
import { SweepChart } from './SweepChart';

/** A simulation as it stands: progress while its shards run (polled), then the comparison and the households, or the sweep's curve. */
export function SimulationView({ id }: { id: string }) {
  const q = useSimulation(id);
  return (
    <QueryState query={q}>
      {(s) => {
        if (s.status === 'running')
          return (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Alert type="info" showIcon message={`测算 #${s.id} 进行中：已计算 ${count(s.evaluated)} / ${count(s.households)} 户`} />
              <Progress percent={s.households ? Math.floor((100 * s.evaluated) / s.households) : 0} />
            </Space>
          );
        if (s.status === 'failed') return <Result status="error" title={`测算 #${s.id} 失败`} subTitle="请稍后重新运行测算" />;
        const footer = (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            测算 #{s.id}，{s.createdBy ?? '—'} 于 {dayTime(s.startedAt)} 运行，{dayTime(s.finishedAt)} 完成。测算不产生案件、不改变核查结果。
          </Typography.Paragraph>
        );
        if (s.sweep)
          return (
            <>
              <SweepChart sweep={s.sweep} />
              {footer}
            </>
          );
        if (!s.comparison) return <Empty description="没有对比结果" />;
        return (
          <>
            <ComparisonTables sim={s} comparison={s.comparison} />
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              逐户变化
            </Typography.Title>
            <ChangesTable simulationId={s.id} rules={s.comparison.byRule.filter((r) => r.inForce !== r.draft)} />
            {footer}
          </>
        );
      }}
    </QueryState>
  );
}
