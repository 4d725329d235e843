import { Checkbox, Descriptions, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import type { ApiBody } from '../../api/types';
import { count } from '../../common/format';
import { CATEGORY_NAMES } from './parameters';
import { delta } from './simulation-text';

export type SimulationResult = ApiBody<'/api/simulations/{id}', 'get'>;
type Comparison = NonNullable<SimulationResult['comparison']>;
interface Row {
  key: string;
  label: string;
  inForce: number;
  draft: number;
}

/** 现行 / 草案 / 变化 per row: more households failing in red, fewer in green; by default only the rows that change. */
function CompareTable({ title, rows: all }: { title: string; rows: Row[] }) {
  const [onlyChanged, setOnlyChanged] = useState(true);
  const changed = all.filter((r) => r.inForce !== r.draft);
  const rows = onlyChanged ? changed : all;
  return (
    <>
      <Checkbox checked={onlyChanged} onChange={(e) => setOnlyChanged(e.target.checked)} style={{ marginBottom: 8 }}>
        只显示有变化的{title}（{count(changed.length)} / {count(all.length)}）
      </Checkbox>
    <Table<Row>
      size="small"
      rowKey="key"
      pagination={rows.length > 12 ? { pageSize: 12, size: 'small', showSizeChanger: false } : false}
      dataSource={rows}
      locale={{ emptyText: onlyChanged ? `各${title}户数均无变化` : '没有不符合条件的家庭' }}
      columns={[
        { title, dataIndex: 'label' },
        { title: '现行政策（户）', dataIndex: 'inForce', align: 'right', width: 140, render: (n: number) => count(n) },
        { title: '草案（户）', dataIndex: 'draft', align: 'right', width: 120, render: (n: number) => count(n) },
        {
          title: '变化',
          key: 'delta',
          align: 'right',
          width: 100,
          render: (_, r) => <Typography.Text type={r.draft > r.inForce ? 'danger' : r.draft < r.inForce ? 'success' : 'secondary'}>{delta(r.inForce, r.draft)}</Typography.Text>,
        },
      ]}
    />
    </>
  );
}

/** The comparison of a simulation: households failing under the policy in force and under the draft, per rule, town, project and category. */
export function ComparisonTables({ sim, comparison: c }: { sim: SimulationResult; comparison: Comparison }) {
  return (
    <>
      <Descriptions size="small" column={4} style={{ marginBottom: 8 }}>
        <Descriptions.Item label="测算日期">{sim.asOf}</Descriptions.Item>
        <Descriptions.Item label="对照现行政策">{sim.policyInForce}</Descriptions.Item>
        <Descriptions.Item label="参与测算">{count(sim.households)} 户</Descriptions.Item>
        <Descriptions.Item label="不符合条件">
          {count(c.failing.inForce)} → {count(c.failing.draft)} 户（{delta(c.failing.inForce, c.failing.draft)}）
        </Descriptions.Item>
      </Descriptions>
      <Tabs
        size="small"
        items={[
          { key: 'rule', label: '按问题', children: <CompareTable title="问题" rows={c.byRule.map((r) => ({ key: r.rule, label: r.name, inForce: r.inForce, draft: r.draft }))} /> },
          { key: 'town', label: '按镇街', children: <CompareTable title="镇街" rows={c.byTown.map((r) => ({ key: r.town, label: r.town, inForce: r.inForce, draft: r.draft }))} /> },
          { key: 'project', label: '按项目', children: <CompareTable title="项目" rows={c.byProject.map((r) => ({ key: r.projectCode, label: r.projectCode, inForce: r.inForce, draft: r.draft }))} /> },
          {
            key: 'category',
            label: '按保障类别',
            children: <CompareTable title="保障类别" rows={c.byCategory.map((r) => ({ key: r.category, label: CATEGORY_NAMES[r.category] ?? r.category, inForce: r.inForce, draft: r.draft }))} />,
          },
        ]}
      />
    </>
  );
}
