import { Card, Table, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { count } from '../../common/format';
import { QueryState } from '../../common/QueryState';
import { ruleName } from '../../common/vocabulary';
import { useFindingCounts } from './queries';

/** 轮候 households have no unit, hence no town: the service counts them under this name. */
const WAITING = '（轮候）';

interface Row {
  town: string;
  total: number;
  byRule: Record<string, number>;
}

/** The list behind a town's count (and a rule's): 轮候 households are found by their status. */
function listLink(town: string, rule?: string): string {
  const q = new URLSearchParams(town === WAITING ? { status: 'waiting' } : { town });
  if (rule) q.set('rule', rule);
  return `/findings?${q.toString()}`;
}

/** Findings by town and rule; every number is a link to the filtered list. */
export function TownTable() {
  const counts = useFindingCounts();
  return (
    <Card title="各镇（街道）核查结果">
      <QueryState query={counts} empty={(c) => !Object.keys(c.byTown).length}>
        {(c) => {
          const rules = Object.keys(c.byRule).sort();
          const rows: Row[] = Object.entries(c.byTown)
            .map(([town, byRule]) => ({ town, byRule, total: Object.values(byRule).reduce((a, b) => a + b, 0) }))
            .sort((a, b) => b.total - a.total);
          const columns: TableColumnsType<Row> = [
            { title: '镇（街道）', dataIndex: 'town', fixed: 'left', width: 140 },
            { title: '合计', dataIndex: 'total', align: 'right', width: 80, render: (n: number, r) => <Link to={listLink(r.town)}>{count(n)}</Link> },
            ...rules.map((rule) => ({
              title: ruleName(rule),
              key: rule,
              align: 'right' as const,
              render: (_: unknown, r: Row) => (r.byRule[rule] ? <Link to={listLink(r.town, rule)}>{count(r.byRule[rule])}</Link> : <span style={{ color: '#bbb' }}>0</span>),
            })),
          ];
          return <Table<Row> rowKey="town" size="small" columns={columns} dataSource={rows} pagination={false} scroll={{ x: 'max-content' }} />;
        }}
      </QueryState>
    </Card>
  );
}
