import { Card, Descriptions, Empty, Table, Tag, Timeline, Typography } from 'antd';
import { Link } from 'react-router';
import { count, day, dayTime } from '../../common/format';
import { QueryError, QueryState } from '../../common/QueryState';
import { roleLabel } from '../../app/roles';
import { CASE_STATUSES } from '../../common/vocabulary';
import { AttachmentsTable } from '../cases/AttachmentsTable';
import { DocumentsTable } from '../cases/DocumentsTable';
import { useHouseholdCase } from './queries';

const STATUS = Object.fromEntries(CASE_STATUSES) as Record<string, string>;

/** The household's case: its state, deadlines, declared or concealed findings, measures and timeline. */
export function CaseCard({ code }: { code: string }) {
  const { list, detail } = useHouseholdCase(code);
  return (
    <Card title="案件" extra={list.data && list.data.total > 1 && <Link to={`/cases?householdCode=${code}`}>共 {count(list.data.total)} 件</Link>}>
      <QueryState query={list}>
        {(l) =>
          !l.items.length ? (
            <Empty description="该家庭没有案件" />
          ) : detail.isError ? (
            <QueryError error={detail.error} retry={() => void detail.refetch()} />
          ) : (
            <QueryState query={detail}>
              {(k) => (
                <>
                  <Descriptions size="small" bordered column={2}>
                    <Descriptions.Item label="案件">
                      <Link to={`/cases?householdCode=${encodeURIComponent(code)}`}>#{k.id}</Link>
                    </Descriptions.Item>
                    <Descriptions.Item label="状态">
                      <Tag color={k.status === 'closed' ? 'default' : k.status === 'overdue' ? 'red' : 'blue'}>{k.statusLabel}</Tag>
                    </Descriptions.Item>
                    <Descriptions.Item label="性质">{k.natureLabel ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label="申报情况">{k.declaredLabel}</Descriptions.Item>
                    <Descriptions.Item label="立案时间">{dayTime(k.openedAt)}</Descriptions.Item>
                    <Descriptions.Item label="入户核查期限">{day(k.inspectionDue)}</Descriptions.Item>
                    <Descriptions.Item label="申辩期限">{day(k.contestDeadline)}</Descriptions.Item>
                    <Descriptions.Item label="腾退期限">{day(k.deadline)}</Descriptions.Item>
                  </Descriptions>
                  <Typography.Title level={5} style={{ marginTop: 16 }}>
                    案件所涉问题
                  </Typography.Title>
                  <Table
                    size="small"
                    rowKey="rule"
                    pagination={false}
                    dataSource={k.findings}
                    columns={[
                      { title: '问题', dataIndex: 'name' },
                      { title: '申报', dataIndex: 'declared', render: (d: boolean) => (d ? <Tag color="green">主动申报</Tag> : <Tag color="red">瞒报</Tag>) },
                      { title: '说明', dataIndex: 'explanation', render: (e: string | null) => e ?? '—' },
                      { title: '消除时间', dataIndex: 'resolvedAt', render: (t: string | null) => day(t) },
                    ]}
                  />
                  {k.measures.length > 0 && (
                    <>
                      <Typography.Title level={5} style={{ marginTop: 16 }}>
                        整改措施
                      </Typography.Title>
                      <Table
                        size="small"
                        rowKey={(m) => `${m.measure}-${m.at}`}
                        pagination={false}
                        dataSource={k.measures}
                        columns={[
                          { title: '措施', dataIndex: 'measure' },
                          { title: '日期', dataIndex: 'takenOn', render: (d: string) => day(d) },
                          { title: '进展', dataIndex: 'progress', render: (p: string | null) => p ?? '—' },
                          { title: '记录人', dataIndex: 'recordedBy' },
                        ]}
                      />
                    </>
                  )}
                  <Typography.Title level={5} style={{ marginTop: 16 }}>
                    文书
                  </Typography.Title>
                  <DocumentsTable k={k} />
                  <Typography.Title level={5} style={{ marginTop: 16 }}>
                    附件
                  </Typography.Title>
                  <AttachmentsTable caseId={k.id} readOnly />
                  <Typography.Title level={5} style={{ marginTop: 16 }}>
                    办理过程
                  </Typography.Title>
                  <Timeline
                    items={k.timeline.map((e) => ({
                      content: (
                        <>
                          <Typography.Text strong>{dayTime(e.at)}</Typography.Text> {e.actor === 'system' ? '系统' : e.actor}{e.role !== 'system' && `（${roleLabel(e.role)}）`}：{e.from_status ? `${STATUS[e.from_status]} → ` : ''}
                          {STATUS[e.to_status]}
                          {e.reason && <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{e.reason}</Typography.Paragraph>}
                        </>
                      ),
                    }))}
                  />
                </>
              )}
            </QueryState>
          )
        }
      </QueryState>
    </Card>
  );
}
