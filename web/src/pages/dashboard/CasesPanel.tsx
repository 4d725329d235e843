import { Card, List, Skeleton, Typography } from 'antd';
import { Link } from 'react-router';
import { QueryError } from '../../common/QueryState';
import { count } from '../../common/format';
import { useCaseCounts } from './queries';

/** The case funnel: how many cases are in each status (each a link to that queue). */
export function CasesPanel() {
  const { statuses, pastDue } = useCaseCounts();
  const failed = statuses.find((q) => q.isError);
  return (
    <Card title="案件进度">
      {failed ? (
        <QueryError error={failed.error} retry={() => statuses.forEach((q) => void q.refetch())} />
      ) : (
        <List
          size="small"
          dataSource={statuses}
          renderItem={(q, i) => (
            <List.Item key={i} extra={q.data ? <Link to={`/cases?status=${q.data.status}`}>{count(q.data.total)}</Link> : <Skeleton.Button size="small" active />}>
              <Typography.Text>{q.data?.label ?? ' '}</Typography.Text>
            </List.Item>
          )}
          footer={
            <div style={{ display: 'flex', justifyContent: 'space-between' }}>
              <Typography.Text type="danger">核查逾期</Typography.Text>
              {pastDue.isError ? <Typography.Text type="secondary">加载失败</Typography.Text> : pastDue.data === undefined ? <Skeleton.Button size="small" active /> : <Link to="/cases?inspectionPastDue=true">{count(pastDue.data)}</Link>}
            </div>
          }
        />
      )}
    </Card>
  );
}
