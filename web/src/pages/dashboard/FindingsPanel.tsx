import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { EChart, type EChartOption } from '../../common/EChart';
import { count, day } from '../../common/format';
import { QueryState } from '../../common/QueryState';
import { LEVEL_NAMES, RULE_NAMES, ruleName } from '../../common/vocabulary';
import { useFindingCounts, useLevelCounts } from './queries';

/** Findings of the latest run: totals by level, and a bar per rule (a click opens the list). */
export function FindingsPanel() {
  const counts = useFindingCounts();
  const levels = useLevelCounts(counts.data?.run.id);
  const navigate = useNavigate();
  const byRule = useMemo(() => Object.entries(counts.data?.byRule ?? {}).sort((a, b) => b[1] - a[1]), [counts.data]);
  const option = useMemo<EChartOption>(
    () => ({
      animation: false,
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: byRule.map(([code]) => ruleName(code)) },
      series: [{ type: 'bar', data: byRule.map(([, n]) => n), itemStyle: { color: '#1677ff' }, cursor: 'pointer', label: { show: true, position: 'right' } }],
    }),
    [byRule],
  );
  const codeOfName = (name: string) => Object.keys(RULE_NAMES).find((c) => RULE_NAMES[c] === name) ?? name;

  return (
    <Card title="核查结果" extra={counts.data && <Typography.Text type="secondary">复核批次 #{counts.data.run.id}（截至 {day(counts.data.run.asOf)}）</Typography.Text>}>
      <QueryState query={counts}>
        {(c) => (
          <>
            <Row gutter={16} style={{ marginBottom: 12 }}>
              <Col span={8}>
                <Link to="/findings">
                  <Statistic title="核查结果（条）" value={count(Object.values(c.byRule).reduce((a, b) => a + b, 0))} />
                </Link>
              </Col>
              {levels.map((q, i) => (
                <Col span={8} key={i}>
                  {q.data ? (
                    <Link to={`/findings?level=${q.data.level}`}>
                      <Statistic title={`${LEVEL_NAMES[q.data.level]}风险`} value={count(q.data.total)} valueStyle={{ color: q.data.level === 'high' ? '#cf1322' : '#d46b08' }} />
                    </Link>
                  ) : (
                    <Statistic title={i === 0 ? '高风险' : '中风险'} value={q.isError ? '—' : ' '} loading={q.isPending && q.fetchStatus !== 'idle'} />
                  )}
                </Col>
              ))}
            </Row>
            {byRule.length ? (
              <>
                <EChart label="按规则统计的核查结果" option={option} height={Math.max(160, byRule.length * 26)} onClick={(name) => void navigate(`/findings?rule=${codeOfName(name)}`)} />
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px', marginTop: 8 }}>
                  {byRule.map(([code, n]) => (
                    <Link key={code} to={`/findings?rule=${code}`}>
                      {ruleName(code)} {count(n)}
                    </Link>
                  ))}
                </div>
              </>
            ) : (
              <Typography.Text type="secondary">本批次无核查结果</Typography.Text>
            )}
          </>
        )}
      </QueryState>
    </Card>
  );
}
