import { Card, Descriptions, Progress, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { ApiBody, Item } from '../../api/types';
import { count, day, dayTime } from '../../common/format';
import { QueryError, QueryState } from '../../common/QueryState';
import { CHANGE_NAMES, RUN_MODE, RUN_STATUS, ruleName } from '../../common/vocabulary';
import { useRunChanges, useRuns } from './queries';

type Change = Item<ApiBody<'/api/recompute/runs/{id}/changes', 'get'>['items']>;

type Run = Item<ApiBody<'/api/recompute/runs', 'get'>>;
const UNITS: Record<string, string> = { households: '户', records: '条记录', shards: '个分片', rows: '行' };

/** A running run's progress: done of total (a bar when the total is known) and the rate. */
function RunProgress({ progress: p }: { progress: Run['progress'] | null }) {
  if (!p) return <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>正在复核，等待进度……</Typography.Paragraph>;
  const unit = UNITS[p.unit] ?? p.unit;
  const text = `${count(p.done)}${p.total === null ? '' : ` / ${count(p.total)}`} ${unit}${p.rate ? `，约 ${count(Math.round(p.rate))} ${unit}/秒` : ''}`;
  return (
    <div style={{ marginTop: 12 }} aria-label="复核进度">
      <Typography.Text type="secondary">复核进度：{text}</Typography.Text>
      {p.total ? <Progress percent={Math.min(100, Math.floor((p.done / p.total) * 100))} status="active" /> : <Progress percent={100} status="active" showInfo={false} />}
    </div>
  );
}

/** The latest recompute run and what changed in it against the previous one. */
export function RunPanel() {
  const runs = useRuns();
  const latest = runs.data?.[0];
  const changes = useRunChanges(latest?.id);
  return (
    <Card title="最近一次复核">
      <QueryState query={runs} empty={(r) => !r.length}>
        {() =>
          latest && (
            <>
              <Descriptions size="small" column={2} bordered>
                <Descriptions.Item label="批次">
                  <Link to={`/findings?runId=${latest.id}`}>#{latest.id}</Link>
                </Descriptions.Item>
                <Descriptions.Item label="状态">
                  <Tag color={latest.status === 'completed' ? 'green' : latest.status === 'running' ? 'blue' : 'red'}>{RUN_STATUS[latest.status] ?? latest.status}</Tag>
                </Descriptions.Item>
                <Descriptions.Item label="截至日期">{day(latest.as_of)}</Descriptions.Item>
                <Descriptions.Item label="方式">{RUN_MODE[latest.mode] ?? latest.mode}</Descriptions.Item>
                <Descriptions.Item label="政策版本">{latest.policy_version}</Descriptions.Item>
                <Descriptions.Item label="完成时间">{dayTime(latest.finished_at)}</Descriptions.Item>
                <Descriptions.Item label="复核家庭">{count(latest.evaluated)}</Descriptions.Item>
                <Descriptions.Item label="有问题家庭">
                  <Link to={`/findings?runId=${latest.id}`}>{count(latest.with_findings)}</Link>
                </Descriptions.Item>
              </Descriptions>
              {latest.status === 'running' && <RunProgress progress={latest.progress ?? null} />}
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                本批次变化
              </Typography.Title>
              {changes.isError ? (
                <QueryError error={changes.error} retry={() => void changes.refetch()} />
              ) : (
                <Table<Change>
                  size="small"
                  loading={changes.isPending}
                  rowKey={(c) => `${c.householdCode}-${c.rule}`}
                  dataSource={changes.data?.items ?? []}
                  pagination={{ pageSize: 5, size: 'small', showTotal: (n) => `共 ${count(n)} 条`, hideOnSinglePage: true }}
                  locale={{ emptyText: changes.data?.previousRunId === null ? '无可比较的上一批次' : '与上一批次相比无变化' }}
                  columns={[
                    { title: '家庭编号', dataIndex: 'householdCode', render: (c: string) => <Link to={`/households/${c}`}>{c}</Link> },
                    { title: '规则', dataIndex: 'rule', render: (r: string) => <Link to={`/findings?rule=${r}`}>{ruleName(r)}</Link> },
                    { title: '变化', dataIndex: 'change', render: (c: string) => <Tag color={CHANGE_NAMES[c]?.color}>{CHANGE_NAMES[c]?.label ?? c}</Tag> },
                  ]}
                />
              )}
            </>
          )
        }
      </QueryState>
    </Card>
  );
}
