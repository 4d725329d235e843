import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Progress, Table, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { ApiBody, Item } from '../../api/types';
import { useMe } from '../../app/session';
import { count, dayTime } from '../../common/format';
import { QueryError } from '../../common/QueryState';
import { DrawModal } from './DrawModal';
import { SampleDetail } from './SampleDetail';
import { useSamples } from './queries';

type Sample = Item<ApiBody<'/api/samples', 'get'>['items']>;

/** 抽查核实: seeded samples of 在保 households, the on-site checks, and where they disagree with the service. */
export default function SamplingPage() {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const samples = useSamples(page);
  const role = useMe().data?.role;
  const canDraw = role === 'admin' || role === 'reviewer';
  const [drawing, setDrawing] = useState(false);
  const { message } = App.useApp();
  const selected = Number(params.get('sample')) || samples.data?.items[0]?.id || null;
  const set = (changes: Record<string, string | number | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, String(v));
    }
    setParams(next);
  };

  return (
    <>
      <Card
        title="抽查核实"
        extra={
          canDraw && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawing(true)}>
              抽取样本
            </Button>
          )
        }
      >
        {samples.isError ? (
          <QueryError error={samples.error} retry={() => void samples.refetch()} />
        ) : (
          <Table<Sample>
            rowKey="id"
            size="small"
            className="clickable-rows"
            loading={samples.isFetching}
            dataSource={samples.data?.items ?? []}
            rowClassName={(s) => (s.id === selected ? 'ant-table-row-selected' : '')}
            onRow={(s) => ({ onClick: () => set({ sample: s.id }) })}
            locale={{ emptyText: <Empty description={canDraw ? '尚无抽查批次，点击“抽取样本”开始' : '尚无抽查批次'} /> }}
            pagination={{ current: page, pageSize: 5, total: samples.data?.total ?? 0, showSizeChanger: false, onChange: (p) => set({ page: p }), showTotal: (n) => `共 ${count(n)} 批` }}
            columns={[
              {
                title: '批次',
                dataIndex: 'id',
                width: 90,
                render: (id: number) => (
                  <Typography.Link onClick={() => set({ sample: id })}>#{id}</Typography.Link>
                ),
              },
              { title: '抽取时间', dataIndex: 'createdAt', width: 150, render: (t: string) => dayTime(t) },
              { title: '抽取人', dataIndex: 'createdBy', width: 120 },
              { title: '随机种子', dataIndex: 'seed', ellipsis: true },
              { title: '比例', dataIndex: 'rate', width: 90, align: 'right', render: (r: number) => `${(r * 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 })}%` },
              { title: '户数', dataIndex: 'size', width: 80, align: 'right', render: (n: number) => count(n) },
              {
                title: '核查进度',
                key: 'progress',
                width: 220,
                render: (_: unknown, s) => (
                  <Progress percent={s.size ? Math.round((s.checked / s.size) * 100) : 0} size="small" format={() => `${count(s.checked)}/${count(s.size)}`} />
                ),
              },
            ]}
          />
        )}
      </Card>
      {selected && <SampleDetail key={selected} id={selected} canCheck={canDraw} />}
      <DrawModal
        open={drawing}
        onClose={() => setDrawing(false)}
        onDrawn={(id, size) => {
          setDrawing(false);
          void message.success(`已抽取 ${count(size)} 户（批次 #${id}）`);
          set({ sample: id, page: null });
        }}
      />
    </>
  );
}
