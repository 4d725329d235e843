import { App, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { ApiBody, Item } from '../../api/types';
import { count, day } from '../../common/format';
import { QueryError } from '../../common/QueryState';
import { useUrlList } from '../../common/url-list';
import { HOUSEHOLD_STATUS_NAMES, LEVEL_COLORS, LEVEL_NAMES } from '../../common/vocabulary';
import { FilterBar } from './FilterBar';
import { FILTER_KEYS } from './filters';
import { useFindings, type FindingsQuery } from './queries';

type Finding = Item<ApiBody<'/api/findings', 'get'>['items']>;
const keyOf = (f: Finding) => `${f.householdCode}:${f.rule}`;

/** 核查结果: the findings of a run, filtered and paged on the server; a row opens the household. */
export default function FindingsPage() {
  const list = useUrlList(FILTER_KEYS);
  const findings = useFindings(list.query as FindingsQuery);
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [selected, setSelected] = useState<string[]>([]);

  const copySelected = async () => {
    const codes = [...new Set(selected.map((k) => k.split(':')[0]))];
    await navigator.clipboard.writeText(codes.join('\n'));
    void message.success(`已复制 ${codes.length} 个家庭编号`);
  };
  const run = findings.data?.run;

  return (
    <Card
      title="核查结果"
      extra={run && <Typography.Text type="secondary">复核批次 #{run.id}（截至 {day(run.asOf)}，政策 {run.policyVersion}）</Typography.Text>}
    >
      <FilterBar value={list.filters} onChange={(k, v) => list.filter({ [k]: v })} onReset={() => list.reset()} />
      {selected.length > 0 && (
        <Space style={{ marginBottom: 12 }}>
          <Typography.Text>已选择 {count(selected.length)} 条</Typography.Text>
          <Button size="small" onClick={() => void copySelected()}>
            复制家庭编号
          </Button>
          <Button size="small" type="link" onClick={() => setSelected([])}>
            清除选择
          </Button>
        </Space>
      )}
      {findings.isError ? (
        <QueryError error={findings.error} retry={() => void findings.refetch()} />
      ) : (
        <Table<Finding>
          className="clickable-rows"
          size="middle"
          rowKey={keyOf}
          loading={findings.isFetching}
          dataSource={findings.data?.items ?? []}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)), preserveSelectedRowKeys: true }}
          onRow={(f) => ({ onClick: (e) => !(e.target as HTMLElement).closest('a,button,input,label') && void navigate(`/households/${f.householdCode}`) })}
          locale={{ emptyText: '没有符合条件的核查结果' }}
          tableLayout="fixed"
          pagination={list.pagination(findings.data?.total ?? 0)}
          columns={[
            { title: '家庭编号', dataIndex: 'householdCode', width: 120, render: (c: string) => <Link to={`/households/${c}`}>{c}</Link> },
            { title: '规则', dataIndex: 'name', width: 110 },
            {
              title: '风险等级',
              dataIndex: 'level',
              width: 90,
              render: (l: string | null) => (l ? <Tag color={LEVEL_COLORS[l]}>{LEVEL_NAMES[l] ?? l}</Tag> : '—'),
            },
            { title: '评分', dataIndex: 'score', width: 60, align: 'right', render: (s: number | null) => (s === null ? '—' : count(s)) },
            { title: '项目', dataIndex: 'projectCode', width: 90, render: (p: string | null) => p ?? '—' },
            { title: '镇（街道）', dataIndex: 'town', width: 110, render: (t: string | null) => t ?? '—' },
            { title: '家庭状态', dataIndex: 'status', width: 80, render: (s: string) => HOUSEHOLD_STATUS_NAMES[s] ?? s },
            {
              title: '申报',
              dataIndex: 'declared',
              width: 90,
              render: (d: boolean | null) => (d === null || d === undefined ? '—' : d ? <Tag color="green">主动申报</Tag> : <Tag color="red">瞒报</Tag>),
            },
            { title: '说明', dataIndex: 'explanation', ellipsis: true, render: (e: string | null) => e ?? '—' },
          ]}
        />
      )}
    </Card>
  );
}
