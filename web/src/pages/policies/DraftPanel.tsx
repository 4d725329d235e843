import { Alert, Button, Descriptions, Empty, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ApiBody, Item } from '../../api/types';
import { dayTime } from '../../common/format';
import { errorText } from '../../common/QueryState';
import { AdoptModal } from './AdoptModal';
import { DraftModal, type Draft } from './DraftModal';
import { valueAt } from './parameters';
import { useSimulations, useStartSimulation } from './queries';
import { SimulationView } from './SimulationView';
import { EDITABLE, paramLabel, paramValue } from './simulation-text';
import { SweepForm } from './SweepForm';

type PolicyDoc = ApiBody<'/api/policies/{version}', 'get'>;
type Head = Item<ApiBody<'/api/simulations', 'get'>['items']>;
const STATUS: Record<string, string> = { running: '测算中', completed: '已完成', failed: '失败' };
const runLabel = (s: Head) => `#${s.id} · ${dayTime(s.startedAt)} · ${STATUS[s.status] ?? s.status}${s.sweep ? ` · ${paramLabel(s.sweep.parameter)}` : ''}`;

/** The thresholds the draft sets differently from the policy in force. */
function ChangedParameters({ draft, inForce }: { draft: Draft; inForce: PolicyDoc | undefined }) {
  const rows = EDITABLE.map((e) => ({ path: e.path, inForce: valueAt(inForce?.parameters, e.path), draft: valueAt(draft.document.parameters, e.path) })).filter((r) => r.inForce !== r.draft);
  if (!inForce) return null;
  if (!rows.length) return <Alert type="info" showIcon message={`各项标准与现行政策 ${inForce.version} 相同`} />;
  return (
    <Table
      size="small"
      rowKey="path"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: '调整的标准', dataIndex: 'path', render: (p: string) => paramLabel(p) },
        { title: `现行（${inForce.version}）`, dataIndex: 'inForce', width: 170, render: (v: number, r) => paramValue(r.path, v) },
        { title: '草案', dataIndex: 'draft', width: 170, render: (v: number, r) => <Typography.Text strong>{paramValue(r.path, v)}</Typography.Text> },
      ]}
    />
  );
}

/**
 * One draft: the thresholds it changes, 修改 / 运行测算 / 采纳 (admins), the comparison with the
 * policy in force and the households that change, and 参数扫描 with its curve. The runs shown are
 * in the URL (?sim=, ?sweep=, ?view=); others read it all without the buttons.
 */
export function DraftPanel({ draft, inForce, admin, params, set }: { draft: Draft; inForce: PolicyDoc | undefined; admin: boolean; params: URLSearchParams; set: (patch: Record<string, string | null>) => void }) {
  const [editing, setEditing] = useState(false);
  const [adopting, setAdopting] = useState(false);
  const runs = useSimulations();
  const start = useStartSimulation();
  const mine = (runs.data?.items ?? []).filter((s) => s.draft.id === draft.id);
  const compares = mine.filter((s) => s.kind === 'compare');
  const sweeps = mine.filter((s) => s.kind === 'sweep');
  const simId = params.get('sim') ?? compares[0]?.id ?? null;
  const sweepId = params.get('sweep') ?? sweeps[0]?.id ?? null;
  const view = params.get('view') === 'sweep' ? 'sweep' : 'compare';
  const open = draft.status === 'draft';

  const run = () => start.mutate({ draft: draft.id }, { onSuccess: (r) => set({ sim: r.id, view: 'compare', list: null, rule: null, lpage: null }) });

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {draft.name}
          </Typography.Title>
          {open ? <Tag color="blue">草案</Tag> : <Tag color="green">已采纳为 {draft.adoptedVersion}</Tag>}
        </Space>
        {admin && (
          <Space>
            {open && <Button onClick={() => setEditing(true)}>修改草案</Button>}
            <Button type="primary" loading={start.isPending} onClick={run}>
              运行测算
            </Button>
            {open && <Button onClick={() => setAdopting(true)}>采纳</Button>}
          </Space>
        )}
      </Space>
      {start.isError && <Alert type="error" showIcon message="测算未启动" description={errorText(start.error)} />}
      <Descriptions size="small" column={3}>
        <Descriptions.Item label="底稿版本">{draft.baseVersion}</Descriptions.Item>
        <Descriptions.Item label="创建人">{draft.createdBy ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="最近修改">{dayTime(draft.updatedAt)}</Descriptions.Item>
      </Descriptions>
      <ChangedParameters draft={draft} inForce={inForce} />
      <Tabs
        activeKey={view}
        onChange={(k) => set({ view: k === 'sweep' ? 'sweep' : null })}
        items={[
          {
            key: 'compare',
            label: '对比测算',
            children: (
              <Space orientation="vertical" style={{ width: '100%' }}>
                {compares.length > 1 && (
                  <Select aria-label="测算记录" style={{ width: 360 }} value={simId} options={compares.map((s) => ({ value: s.id, label: runLabel(s) }))} onChange={(v: string) => set({ sim: v, lpage: null })} />
                )}
                {simId ? <SimulationView key={simId} id={simId} /> : <Empty description={admin ? '尚未测算：点击“运行测算”，用当前数据对比现行政策' : '尚未测算'} />}
              </Space>
            ),
          },
          {
            key: 'sweep',
            label: '参数扫描',
            children: (
              <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                {admin && <SweepForm draft={draft} onStarted={(id) => set({ sweep: id, view: 'sweep' })} />}
                {sweeps.length > 1 && (
                  <Select aria-label="扫描记录" style={{ width: 420 }} value={sweepId} options={sweeps.map((s) => ({ value: s.id, label: runLabel(s) }))} onChange={(v: string) => set({ sweep: v })} />
                )}
                {sweepId ? <SimulationView key={sweepId} id={sweepId} /> : <Empty description="尚未进行参数扫描" />}
              </Space>
            ),
          },
        ]}
      />
      {admin && open && <DraftModal open={editing} base={undefined} draft={draft} onClose={() => setEditing(false)} onSaved={() => undefined} />}
      {admin && open && <AdoptModal draft={draft} open={adopting} onClose={() => setAdopting(false)} />}
    </Space>
  );
}
