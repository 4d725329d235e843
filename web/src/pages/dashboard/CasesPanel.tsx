import { Card, Col, Divider, List, Row, Statistic, Typography } from 'antd';
import { Link } from 'react-router';
import { count } from '../../common/format';
import { QueryState } from '../../common/QueryState';
import { useCaseQueues, useDashboard } from './queries';

/** The case funnel (found → confirmed → notice → 应退未退 → exited, and dismissed) and the work queues, each a link to its list. */
export function CasesPanel() {
  const dashboard = useDashboard();
  const queues = useCaseQueues();
  return (
    <Card title="案件进度">
      <QueryState query={dashboard}>
        {({ funnel, inspectionsPastDue }) => (
          <>
            <Row gutter={[8, 8]}>
              {(
                [
                  ['发现', 'found', funnel.found],
                  ['已认定', 'confirmed', funnel.confirmed],
                  ['已发通知', 'noticed', funnel.noticed],
                  ['曾应退未退', 'overdue', funnel.overdue],
                  ['已退出', 'exited', funnel.exited],
                  ['已撤销', 'dismissed', funnel.dismissed],
                ] as const
              ).map(([title, stage, n]) => (
                <Col span={8} key={title}>
                  <Link to={`/cases?stage=${stage}`} aria-label={`${title} ${count(n)} 件`}>
                    <Statistic title={title} value={count(n)} />
                  </Link>
                </Col>
              ))}
            </Row>
            <Row gutter={8} style={{ marginTop: 8 }}>
              <Col span={12}>
                <Link to="/overdue">
                  <Statistic title="当前应退未退" value={count(funnel.overdueNow)} styles={{ content: { color: '#cf1322' } }} />
                </Link>
              </Col>
              <Col span={12}>
                <Link to="/cases?queue=inspection_past_due">
                  <Statistic title="入户核查逾期" value={count(inspectionsPastDue)} styles={{ content: { color: inspectionsPastDue ? '#cf1322' : undefined } }} />
                </Link>
              </Col>
            </Row>
          </>
        )}
      </QueryState>
      <Divider titlePlacement="start" plain>
        案件队列
      </Divider>
      <QueryState query={queues} empty={(q) => !q.length}>
        {(rows) => (
          <List
            size="small"
            grid={{ column: 2, gutter: 8 }}
            dataSource={rows}
            renderItem={(q) => (
              <List.Item style={{ marginBottom: 4 }}>
                <div style={{ display: 'flex', justifyContent: 'space-between' }}>
                  <Typography.Text>{q.label}</Typography.Text>
                  <Link to={`/cases?queue=${q.key}`}>{count(q.count)}</Link>
                </div>
              </List.Item>
            )}
          />
        )}
      </QueryState>
    </Card>
  );
}
