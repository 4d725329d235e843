import { Card, Table, Tag } from 'antd';
import { Link } from 'react-router';
import type { ApiBody, Item } from '../../api/types';
import { day, dayTime } from '../../common/format';
import { QueryState } from '../../common/QueryState';
import { ruleName } from '../../common/vocabulary';
import { useHistory } from './queries';

type Run = Item<ApiBody<'/api/households/{code}/history', 'get'>>;

/** 历次核查: the household's rules in each completed run (date, policy version), "无问题" where it had none. */
export function HistoryCard({ code }: { code: string }) {
  const history = useHistory(code);
  return (
    <Card title="历次核查">
      <QueryState query={history}>
        {(runs) => (
          <Table<Run>
            size="small"
            rowKey="runId"
            pagination={{ pageSize: 5, size: 'small', hideOnSinglePage: true }}
            dataSource={runs}
            locale={{ emptyText: '尚无完成的复核批次' }}
            columns={[
              { title: '复核批次', dataIndex: 'runId', width: 100, render: (id: string) => <Link to={`/findings?runId=${id}`}>#{id}</Link> },
              { title: '截至日期', dataIndex: 'asOf', width: 110, render: (d: string) => day(d) },
              { title: '完成时间', dataIndex: 'finishedAt', width: 150, render: (t: string | null) => dayTime(t) },
              { title: '政策版本', dataIndex: 'policyVersion', width: 110 },
              {
                title: '问题',
                dataIndex: 'rules',
                render: (rules: string[]) =>
                  rules.length ? (
                    rules.map((r) => (
                      <Tag key={r} color="red">
                        {ruleName(r)}
                      </Tag>
                    ))
                  ) : (
                    <Tag color="green">无问题</Tag>
                  ),
              },
            ]}
          />
        )}
      </QueryState>
    </Card>
  );
}
