import { Empty, Table, Tag, Timeline, Typography } from 'antd';
import { roleLabel } from '../../app/roles';
import { day, dayTime } from '../../common/format';
import { eventName } from './actions';
import type { CaseDetail } from './queries';
import { StatusTag } from './StatusTag';

/** Parts of a case's detail shown both in the case drawer (案件) and on 一户一档. */

/** The case's findings: declared (主动申报) or concealed (瞒报), explained, resolved when. */
export function FindingsTable({ findings }: { findings: CaseDetail['findings'] }) {
  return (
    <Table
      size="small"
      rowKey="rule"
      pagination={false}
      dataSource={findings}
      locale={{ emptyText: '没有问题' }}
      columns={[
        { title: '问题', dataIndex: 'name', width: 100 },
        { title: '申报', dataIndex: 'declared', width: 90, render: (d: boolean) => (d ? <Tag color="green">主动申报</Tag> : <Tag color="red">瞒报</Tag>) },
        { title: '说明', dataIndex: 'explanation', render: (e: string | null) => e ?? '—' },
        { title: '消除时间', dataIndex: 'resolvedAt', width: 100, render: (t: string | null) => day(t) },
      ]}
    />
  );
}

/** The measures taken on a case (催告, 计收市场租金, ...) with their progress. */
export function MeasuresTable({ measures }: { measures: CaseDetail['measures'] }) {
  if (!measures.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未登记整改措施" />;
  return (
    <Table
      size="small"
      rowKey={(m) => `${m.measure}-${m.at}`}
      pagination={false}
      dataSource={measures}
      columns={[
        { title: '措施', dataIndex: 'measure', width: 120 },
        { title: '采取日期', dataIndex: 'takenOn', width: 110, render: (d: string) => day(d) },
        { title: '进展', dataIndex: 'progress', render: (p: string | null) => p ?? '—' },
        { title: '登记人', dataIndex: 'recordedBy', width: 110 },
      ]}
    />
  );
}

/** The case's steps in words, who took each (with the role), the status change and the reason. */
export function CaseTimeline({ timeline }: { timeline: CaseDetail['timeline'] }) {
  return (
    <Timeline
      items={timeline.map((e) => ({
        color: e.to_status === 'closed' ? 'gray' : e.to_status === 'overdue' ? 'red' : 'blue',
        content: (
          <>
            <Typography.Text strong>{eventName(e.action)}</Typography.Text>
            <Typography.Text type="secondary">
              {' '}
              {dayTime(e.at)} · {e.actor === 'system' ? '系统' : e.actor}
              {e.role !== 'system' && `（${roleLabel(e.role)}）`}
            </Typography.Text>
            {e.from_status !== e.to_status && (
              <div>
                {e.from_status && <StatusTag status={e.from_status} />}
                {e.from_status && '→ '}
                <StatusTag status={e.to_status} />
              </div>
            )}
            {e.reason && <Typography.Paragraph style={{ marginBottom: 0 }}>{e.reason}</Typography.Paragraph>}
          </>
        ),
      }))}
    />
  );
}
