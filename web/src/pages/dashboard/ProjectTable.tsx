import { Card, Table } from 'antd';
import { Link } from 'react-router';
import type { ApiBody, Item } from '../../api/types';
import { count } from '../../common/format';
import { QueryState } from '../../common/QueryState';
import { useDashboard } from './queries';

type ProjectRow = Item<ApiBody<'/api/dashboard', 'get'>['findings']['byProject']>;

/** Findings by project (households and findings), each a link to the project's list. */
export function ProjectTable() {
  const dashboard = useDashboard();
  return (
    <Card title="各项目核查结果">
      <QueryState query={dashboard} empty={(d) => !d.findings.byProject.length}>
        {(d) => (
          <Table<ProjectRow>
            size="small"
            rowKey={(p) => `${p.town}:${p.projectCode ?? ''}`}
            dataSource={[...d.findings.byProject].sort((a, b) => b.findings - a.findings)}
            pagination={{ pageSize: 5, size: 'small', hideOnSinglePage: true, showTotal: (n) => `共 ${count(n)} 个项目` }}
            columns={[
              { title: '项目', dataIndex: 'projectName', render: (name: string | null, p) => (p.projectCode ? <Link to={`/findings?project=${encodeURIComponent(p.projectCode)}`}>{name ?? p.projectCode}</Link> : '（轮候，无房源）') },
              { title: '镇（街道）', dataIndex: 'town' },
              { title: '家庭', dataIndex: 'households', align: 'right', render: (n: number) => count(n) },
              {
                title: '核查结果',
                dataIndex: 'findings',
                align: 'right',
                render: (n: number, p) => (p.projectCode ? <Link to={`/findings?project=${encodeURIComponent(p.projectCode)}`}>{count(n)}</Link> : <Link to="/findings?status=waiting">{count(n)}</Link>),
              },
            ]}
          />
        )}
      </QueryState>
    </Card>
  );
}
