import { CloudSyncOutlined, SyncOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { ApiBody, Item } from '../../api/types';
import { useMe } from '../../app/session';
import { count, dayTime } from '../../common/format';
import { errorText, QueryState } from '../../common/QueryState';
import { SOURCE_STATUS } from '../../common/vocabulary';
import { ImportModal } from './ImportModal';
import { RunFigures } from './RunFigures';
import { SourceDrawer } from './SourceDrawer';
import { useSources, useSync } from './queries';

type Source = Item<ApiBody<'/api/sources', 'get'>>;

/** 数据源: each department source's state, last run and error; its runs and rejections; syncs and ledger uploads (admin). */
export default function SourcesPage() {
  const [params, setParams] = useSearchParams();
  const selected = params.get('source');
  const sources = useSources();
  const me = useMe().data;
  const admin = me?.role === 'admin';
  const seesRejections = !!me && ['admin', 'reviewer', 'auditor'].includes(me.role) && me.scope.city;
  const sync = useSync();
  const { message } = App.useApp();
  const [importing, setImporting] = useState(false);

  const open = (name: string | null) => setParams(name ? { source: name } : {});
  const trigger = (name: string | null, label: string) =>
    sync.mutate(name, {
      onSuccess: (r) => void message.success(`已提交同步：${label}（${count(r.jobs.length)} 个任务）`),
      onError: (e) => void message.error(errorText(e)),
    });

  return (
    <Card
      title="数据源"
      extra={
        admin && (
          <Space>
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
              上传台账
            </Button>
            <Button type="primary" icon={<CloudSyncOutlined />} loading={sync.isPending && sync.variables === null} onClick={() => trigger(null, '全部数据源')}>
              全部同步
            </Button>
          </Space>
        )
      }
    >
      <QueryState query={sources} empty={(s) => !s.length}>
        {(rows) => (
          <Table<Source>
            rowKey="source"
            size="middle"
            pagination={false}
            dataSource={rows}
            loading={sources.isFetching && !sources.isRefetching}
            rowClassName={(s) => (s.status === 'failing' ? 'row-failing' : '')}
            columns={[
              {
                title: '数据源',
                dataIndex: 'label',
                width: 150,
                render: (label: string, s) => (
                  <Typography.Link onClick={() => open(s.source)} strong={s.status === 'failing'} type={s.status === 'failing' ? 'danger' : undefined}>
                    {label}
                  </Typography.Link>
                ),
              },
              { title: '状态', dataIndex: 'status', width: 90, render: (st: string) => <Tag color={SOURCE_STATUS[st]?.color ?? 'default'}>{SOURCE_STATUS[st]?.label ?? st}</Tag> },
              { title: '最近成功', dataIndex: 'lastSuccessAt', width: 140, render: (at: string | null) => dayTime(at) },
              { title: '现有记录', dataIndex: ['records', 'current'], width: 90, align: 'right', render: (n: number) => count(n) },
              { title: '最近一次同步', key: 'lastRun', width: 330, render: (_: unknown, s) => (s.lastRun ? <RunFigures run={s.lastRun} /> : '尚未同步') },
              { title: '当前错误', dataIndex: 'error', ellipsis: true, render: (e: string | null) => (e ? <Typography.Text type="danger">{e}</Typography.Text> : '—') },
              {
                title: '操作',
                key: 'actions',
                width: admin ? 150 : 70,
                render: (_: unknown, s) => (
                  <Space size={4}>
                    <Button size="small" type="link" onClick={() => open(s.source)}>
                      详情
                    </Button>
                    {admin && (
                      <Button
                        size="small"
                        icon={<SyncOutlined />}
                        disabled={s.status === 'not_configured'}
                        loading={sync.isPending && sync.variables === s.source}
                        onClick={() => trigger(s.source, s.label)}
                      >
                        触发同步
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </QueryState>
      <SourceDrawer name={selected} seesRejections={seesRejections} onClose={() => open(null)} />
      {admin && <ImportModal open={importing} onClose={() => setImporting(false)} />}
    </Card>
  );
}
