import { Descriptions, Drawer, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ApiBody, Item } from '../../api/types';
import { count, dayTime } from '../../common/format';
import { QueryState } from '../../common/QueryState';
import { RUN_MODE, SOURCE_STATUS } from '../../common/vocabulary';
import { RunFigures, type SyncRun } from './RunFigures';
import { useSource, useSourceRejections } from './queries';

type Rejection = Item<ApiBody<'/api/sources/{name}/rejections', 'get'>['items']>;

/** A sync run's status (src/sources/sync-run.repository.ts). */
const SYNC_STATUS: Record<string, { label: string; color: string }> = {
  succeeded: { label: '成功', color: 'green' },
  running: { label: '进行中', color: 'blue' },
  failed: { label: '失败', color: 'red' },
  interrupted: { label: '已中断', color: 'orange' },
};

const TRIGGERS: Record<string, string> = { api: '手动', schedule: '定时', cli: '命令行', test: '测试', demo: '演示', drop: '文件投放' };

/** The raw record's known columns (masked by the service) as 字段: 值. */
export function rawText(raw: Record<string, unknown>): string {
  return Object.entries(raw)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('；');
}

function Rejections({ name }: { name: string }) {
  const [page, setPage] = useState(1);
  const q = useSourceRejections(name, page, true);
  return (
    <QueryState query={q}>
      {(data) => (
        <Table<Rejection>
          rowKey="id"
          size="small"
          loading={q.isFetching}
          dataSource={data.items}
          locale={{ emptyText: '没有拒收记录' }}
          pagination={{ current: page, pageSize: 10, total: data.total, onChange: setPage, showTotal: (n) => `共 ${count(n)} 条`, showSizeChanger: false }}
          columns={[
            { title: '接收时间', dataIndex: 'receivedAt', width: 140, render: dayTime },
            { title: '记录', dataIndex: 'recordId', width: 120, render: (r: string | null, x) => r ?? x.location ?? '—' },
            { title: '原因', dataIndex: 'reason', width: 200, render: (r: string) => <Typography.Text type="danger">{r}</Typography.Text> },
            { title: '内容（已脱敏）', dataIndex: 'raw', ellipsis: true, render: (raw: Record<string, unknown>) => <span title={rawText(raw)}>{rawText(raw)}</span> },
          ]}
        />
      )}
    </QueryState>
  );
}

/** A source's state and its last runs with their figures; its rejected records for the roles that see them. */
export function SourceDrawer({ name, seesRejections, onClose }: { name: string | null; seesRejections: boolean; onClose: () => void }) {
  const q = useSource(name);
  return (
    <Drawer open={!!name} onClose={onClose} size={960} title={q.data ? `数据源 · ${q.data.label}` : '数据源'} destroyOnHidden>
      <QueryState query={q}>
        {(s) => (
          <>
            <Descriptions size="small" column={3} bordered style={{ marginBottom: 16 }}>
              <Descriptions.Item label="状态">
                <Tag color={SOURCE_STATUS[s.status]?.color}>{SOURCE_STATUS[s.status]?.label ?? s.status}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label="最近成功">{dayTime(s.lastSuccessAt)}</Descriptions.Item>
              <Descriptions.Item label="下次定时同步">{dayTime(s.schedule?.next)}</Descriptions.Item>
              <Descriptions.Item label="现有记录">{count(s.records.current)}</Descriptions.Item>
              <Descriptions.Item label="累计拒收">{count(s.rejectedTotal)}</Descriptions.Item>
              <Descriptions.Item label="地址未匹配">{count(s.unmatchedAddressRecords)}</Descriptions.Item>
              {s.error && (
                <Descriptions.Item label="当前错误" span={3}>
                  <Typography.Text type="danger">{s.error}</Typography.Text>
                </Descriptions.Item>
              )}
            </Descriptions>
            <Tabs
              items={[
                {
                  key: 'runs',
                  label: '同步记录',
                  children: (
                    <Table<SyncRun>
                      rowKey="runId"
                      size="small"
                      dataSource={s.runs}
                      pagination={{ pageSize: 10, showSizeChanger: false }}
                      locale={{ emptyText: '尚无同步记录' }}
                      rowClassName={(r) => (r.status === 'failed' ? 'row-failing' : '')}
                      columns={[
                        { title: '开始', dataIndex: 'startedAt', width: 140, render: dayTime },
                        { title: '方式', dataIndex: 'mode', width: 60, render: (m: string) => RUN_MODE[m] ?? m },
                        { title: '触发', dataIndex: 'trigger', width: 70, render: (t: string) => TRIGGERS[t] ?? t },
                        { title: '状态', dataIndex: 'status', width: 80, render: (st: string) => <Tag color={SYNC_STATUS[st]?.color}>{SYNC_STATUS[st]?.label ?? st}</Tag> },
                        { title: '数量', key: 'figures', render: (_: unknown, r) => <RunFigures run={r} /> },
                        { title: '错误', dataIndex: 'error', ellipsis: true, render: (e: string | null) => (e ? <Typography.Text type="danger">{e}</Typography.Text> : '—') },
                      ]}
                    />
                  ),
                },
                ...(seesRejections ? [{ key: 'rejections', label: `拒收记录（${count(s.rejectedTotal)}）`, children: <Rejections name={s.source} /> }] : []),
              ]}
            />
          </>
        )}
      </QueryState>
    </Drawer>
  );
}
