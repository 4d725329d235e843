import { Card, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { ApiBody, Item } from '../../api/types';
import { count, dayTime } from '../../common/format';
import { QueryState } from '../../common/QueryState';
import { SOURCE_STATUS } from '../../common/vocabulary';
import { useSources } from './queries';

type Source = Item<ApiBody<'/api/sources', 'get'>>;

/** Each department source: its state, last success, and its current error in red. */
export function SourcesPanel() {
  const sources = useSources();
  return (
    <Card title="数据源" extra={<Link to="/sources">全部数据源</Link>}>
      <QueryState query={sources} empty={(s) => !s.length}>
        {(rows) => (
          <Table<Source>
            rowKey="source"
            size="small"
            pagination={false}
            dataSource={rows}
            rowClassName={(s) => (s.status === 'failing' ? 'row-failing' : '')}
            columns={[
              { title: '数据源', dataIndex: 'label', render: (label: string, s) => <Link to={`/sources?source=${s.source}`}>{label}</Link> },
              {
                title: '状态',
                dataIndex: 'status',
                width: 90,
                render: (st: string) => <Tag color={SOURCE_STATUS[st]?.color ?? 'default'}>{SOURCE_STATUS[st]?.label ?? st}</Tag>,
              },
              {
                title: '最近成功',
                dataIndex: 'lastSuccessAt',
                width: 150,
                render: (at: string | null, s) => <Typography.Text type={s.status === 'failing' ? 'danger' : undefined}>{dayTime(at)}</Typography.Text>,
              },
              { title: '记录数', dataIndex: ['records', 'current'], align: 'right', width: 90, render: (n: number, s) => <Link to={`/sources?source=${s.source}`}>{count(n)}</Link> },
              {
                title: '错误',
                dataIndex: 'error',
                ellipsis: true,
                render: (e: string | null) => (e ? <Typography.Text type="danger">{e}</Typography.Text> : '—'),
              },
            ]}
          />
        )}
      </QueryState>
    </Card>
  );
}
