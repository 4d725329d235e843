import { Button, Col, Empty, Row, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ApiBody } from '../../api/types';
import { useMe } from '../../app/session';
import { day } from '../../common/format';
import { QueryState } from '../../common/QueryState';
import { DraftModal, type Draft } from './DraftModal';
import { DraftPanel } from './DraftPanel';
import { useDrafts } from './queries';

type PolicyDoc = ApiBody<'/api/policies/{version}', 'get'>;

/**
 * 模拟测算: the draft policies and, for the chosen one (?draft=), its comparison with the policy in
 * force on today's data and its sweeps. Admins create, edit, run and adopt; others read.
 */
export function SimulationTab({ inForce, params, set }: { inForce: PolicyDoc | undefined; params: URLSearchParams; set: (patch: Record<string, string | null>) => void }) {
  const admin = useMe().data?.role === 'admin';
  const drafts = useDrafts();
  const [creating, setCreating] = useState(false);
  const chosen = Number(params.get('draft')) || drafts.data?.[0]?.id;
  const draft = drafts.data?.find((d) => d.id === chosen);
  const pick = (id: number) => set({ draft: String(id), sim: null, sweep: null, view: null, list: null, rule: null, lpage: null });

  return (
    <Row gutter={16}>
      <Col span={7}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 8 }}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            政策草案
          </Typography.Title>
          {admin && (
            <Button type="primary" size="small" disabled={!inForce} onClick={() => setCreating(true)}>
              新建草案
            </Button>
          )}
        </div>
        <QueryState query={drafts}>
          {(rows) => (
            <Table<Draft>
              rowKey="id"
              size="small"
              className="clickable-rows"
              pagination={rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
              dataSource={rows}
              locale={{ emptyText: admin ? '暂无草案：点击“新建草案”' : '暂无草案' }}
              rowClassName={(d) => (d.id === chosen ? 'ant-table-row-selected' : '')}
              onRow={(d) => ({ onClick: () => pick(d.id) })}
              columns={[
                { title: '草案', dataIndex: 'name', render: (n: string, d) => <Typography.Link onClick={() => pick(d.id)}>{n}</Typography.Link> },
                {
                  title: '状态',
                  dataIndex: 'status',
                  width: 90,
                  render: (s: string, d) => (s === 'draft' ? <Tag color="blue">草案</Tag> : <Tag color="green">{d.adoptedVersion}</Tag>),
                },
                { title: '修改', dataIndex: 'updatedAt', width: 96, render: (t: string) => day(t) },
              ]}
            />
          )}
        </QueryState>
      </Col>
      <Col span={17}>{draft ? <DraftPanel key={draft.id} draft={draft} inForce={inForce} admin={admin} params={params} set={set} /> : <Empty description="请选择或新建草案" />}</Col>
      {admin && <DraftModal open={creating} base={inForce} onClose={() => setCreating(false)} onSaved={pick} />}
    </Row>
  );
}
