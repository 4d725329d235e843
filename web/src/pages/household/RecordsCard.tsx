import { Card, Empty, Table } from 'antd';
import type { ApiBody } from '../../api/types';
import { dayTime } from '../../common/format';
import type { EvidenceNames } from './Evidence';

type Verdict = ApiBody<'/api/households/{code}/verdict', 'get'>;
interface Row {
  source: string;
  recordId: string;
  updatedAt?: string;
  rules: string[];
}

/** The department records the findings rest on, by source (the API exposes them through the evidence). */
export function RecordsCard({ verdict, names }: { verdict: Verdict; names: EvidenceNames }) {
  const rows = new Map<string, Row>();
  for (const f of verdict.findings) {
    for (const r of (f.records ?? []) as { source?: string; recordId?: string; updatedAt?: string }[]) {
      const key = `${r.source}:${r.recordId}`;
      const row = rows.get(key) ?? { source: r.source ?? '', recordId: r.recordId ?? '', updatedAt: r.updatedAt, rules: [] };
      if (!row.rules.includes(f.name)) row.rules.push(f.name);
      rows.set(key, row);
    }
  }
  const data = [...rows.values()].sort((a, b) => a.source.localeCompare(b.source) || a.recordId.localeCompare(b.recordId));
  return (
    <Card title="部门数据（按来源）">
      {data.length ? (
        <Table<Row>
          size="small"
          rowKey={(r) => `${r.source}:${r.recordId}`}
          pagination={false}
          dataSource={data}
          columns={[
            { title: '来源', dataIndex: 'source', render: (s: string) => names.source(s) },
            { title: '记录编号', dataIndex: 'recordId' },
            { title: '更新时间', dataIndex: 'updatedAt', render: (t?: string) => dayTime(t) },
            { title: '涉及问题', dataIndex: 'rules', render: (r: string[]) => r.join('、') },
          ]}
        />
      ) : (
        <Empty description="核查结果未引用部门记录" />
      )}
    </Card>
  );
}
