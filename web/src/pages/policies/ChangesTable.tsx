import { Button, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import type { ApiBody, Item } from '../../api/types';
import { count } from '../../common/format';
import { QueryError } from '../../common/QueryState';
import { ruleName } from '../../common/vocabulary';
import { useSimulationChanges } from './queries';

type Change = Item<ApiBody<'/api/simulations/{id}/households', 'get'>['items']>;
type ChangeKind = Change['change'];
const CHANGE_LABELS: Record<ChangeKind, string> = { newly_failing: '新增不符合条件', newly_passing: '转为符合条件', changed: '问题有变化' };
const KINDS = Object.entries(CHANGE_LABELS).map(([value, label]) => ({ value: value as ChangeKind, label }));

/** The households whose verdict the draft changes (server-paged; the list, rule and page in the URL), each with what decided it in words. */
export function ChangesTable({ simulationId, rules }: { simulationId: string; rules: { rule: string; name: string }[] }) {
  const [params, setParams] = useSearchParams();
  const change = (KINDS.find((k) => k.value === params.get('list'))?.value ?? 'newly_failing');
  const rule = params.get('rule') ?? undefined;
  const page = Number(params.get('lpage') ?? 1) || 1;
  const pageSize = 10;
  const q = useSimulationChanges(simulationId, { change, rule, page, pageSize });
  // 政策模拟测算逐户变化表 from the service, with the list's filters (audited there).
  const exportUrl = (format: 'xlsx' | 'csv') =>
    `/api/simulations/${encodeURIComponent(simulationId)}/export?${new URLSearchParams({ format, change, ...(rule ? { rule } : {}) }).toString()}`;
  const set = (patch: Record<string, string | null>) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(patch)) if (v === null) next.delete(k);
      else next.set(k, v);
      return next;
    });

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented<ChangeKind> aria-label="变化类型" value={change} options={KINDS} onChange={(v) => set({ list: v, lpage: null })} />
        <Select
          aria-label="问题"
          allowClear
          placeholder="全部问题"
          style={{ width: 160 }}
          value={rule}
          options={rules.map((r) => ({ value: r.rule, label: r.name }))}
          onChange={(v?: string) => set({ rule: v ?? null, lpage: null })}
        />
        {q.data && <Typography.Text type="secondary">共 {count(q.data.total)} 户</Typography.Text>}
        <Button disabled={!q.data?.total} href={exportUrl('xlsx')}>
          导出 XLSX
        </Button>
        <Button disabled={!q.data?.total} href={exportUrl('csv')}>
          导出 CSV
        </Button>
      </Space>
      {q.isError ? (
        <QueryError error={q.error} retry={() => void q.refetch()} />
      ) : (
        <Table<Change>
          size="small"
          rowKey="householdCode"
          loading={q.isFetching}
          dataSource={q.data?.items ?? []}
          locale={{ emptyText: '没有家庭' }}
          pagination={{ current: page, pageSize, total: q.data?.total ?? 0, showSizeChanger: false, size: 'small', onChange: (p) => set({ lpage: String(p) }) }}
          columns={[
            { title: '家庭编号', dataIndex: 'householdCode', width: 130, render: (c: string) => <Link to={`/households/${encodeURIComponent(c)}`}>{c}</Link> },
            { title: '镇街', dataIndex: 'town', width: 90, render: (t: string | null) => t ?? '—' },
            {
              title: '判定问题',
              key: 'rules',
              width: 110,
              render: (_, r) => r.decided.map((d) => <Tag key={d.rule} color={d.firesUnder === 'draft' ? 'red' : 'green'}>{ruleName(d.rule)}</Tag>),
            },
            {
              title: '现行与草案标准对照',
              key: 'decided',
              render: (_, r) => r.decided.map((d) => <div key={d.rule}>{d.text}</div>),
            },
          ]}
        />
      )}
    </>
  );
}
