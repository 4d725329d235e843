import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { EChart, type EChartOption } from '../../common/EChart';
import { count, day } from '../../common/format';
import { QueryState } from '../../common/QueryState';
import { useDashboard } from './queries';

/** Findings of the latest run: totals by level, and a bar per rule (a click opens the list). */
export function FindingsPanel() {
  const dashboard = useDashboard();
  const byRule = useMemo(() => {
    const rules = new Map<string, { rule: string; name: string; findings: number }>();
    for (const r of dashboard.data?.findings.byRule ?? []) {
      const x = rules.get(r.rule) ?? { rule: r.rule, name: r.name, findings: 0 };
      x.findings += r.findings;
      rules.set(r.rule, x);
    }
    return [...rules.values()].sort((a, b) => b.findings - a.findings);
  }, [dashboard.data]);
  const byLevel = (level: string) => (dashboard.data?.findings.byRule ?? []).filter((r) => r.level === level).reduce((a, r) => a + r.findings, 0);
  const navigate = useNavigate();
  const option = useMemo<EChartOption>(
    () => ({
      animation: false,
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: byRule.map((r) => r.name) },
      series: [{ type: 'bar', data: byRule.map((r) => r.findings), itemStyle: { color: '#1677ff' }, cursor: 'pointer', label: { show: true, position: 'right' } }],
    }),
    [byRule],
  );
  const run = dashboard.data?.run;

  return (
    <Card title="核查结果" extra={run && <Typography.Text type="secondary">复核批次 #{run.id}（截至 {day(run.asOf)}）</Typography.Text>}>
      <QueryState query={dashboard}>
        {(d) =>
          !d.run ? (
            <Typography.Text type="secondary">尚无已完成的复核批次</Typography.Text>
          ) : (
            <>
              <Row gutter={16} style={{ marginBottom: 12 }}>
                <Col span={8}>
                  <Link to="/findings">
                    <Statistic title="核查结果（条）" value={count(byRule.reduce((a, r) => a + r.findings, 0))} />
                  </Link>
                </Col>
                <Col span={8}>
                  <Link to="/findings?level=high">
                    <Statistic title="高风险" value={count(byLevel('high'))} styles={{ content: { color: '#cf1322' } }} />
                  </Link>
                </Col>
                <Col span={8}>
                  <Link to="/findings?level=medium">
                    <Statistic title="中风险" value={count(byLevel('medium'))} styles={{ content: { color: '#d46b08' } }} />
                  </Link>
                </Col>
              </Row>
              {byRule.length ? (
                <>
                  <EChart
                    label="按规则统计的核查结果"
                    option={option}
                    height={Math.max(160, byRule.length * 26)}
                    onClick={(name) => {
                      const r = byRule.find((x) => x.name === name);
                      if (r) void navigate(`/findings?rule=${r.rule}`);
                    }}
                  />
                  <div style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px', marginTop: 8 }}>
                    {byRule.map((r) => (
                      <Link key={r.rule} to={`/findings?rule=${r.rule}`}>
                        {r.name} {count(r.findings)}
                      </Link>
                    ))}
                  </div>
                </>
              ) : (
                <Typography.Text type="secondary">本批次无核查结果</Typography.Text>
              )}
            </>
          )
        }
      </QueryState>
    </Card>
  );
}
