import { Card, Descriptions, Empty, Typography } from 'antd';
import { Link } from 'react-router';
import { count, day, dayTime } from '../../common/format';
import { QueryError, QueryState } from '../../common/QueryState';
import { AttachmentsTable } from '../cases/AttachmentsTable';
import { CaseTimeline, FindingsTable, MeasuresTable } from '../cases/CaseSections';
import { DocumentsTable } from '../cases/DocumentsTable';
import { StatusTag } from '../cases/StatusTag';
import { useHouseholdCase } from './queries';

/** The household's case: its state, deadlines, declared or concealed findings, measures and timeline. */
export function CaseCard({ code }: { code: string }) {
  const { list, detail } = useHouseholdCase(code);
  return (
    <Card title="案件" extra={list.data && list.data.total > 1 && <Link to={`/cases?householdCode=${code}`}>共 {count(list.data.total)} 件</Link>}>
      <QueryState query={list}>
        {(l) =>
          !l.items.length ? (
            <Empty description="该家庭没有案件" />
          ) : detail.isError ? (
            <QueryError error={detail.error} retry={() => void detail.refetch()} />
          ) : (
            <QueryState query={detail}>
              {(k) => (
                <>
                  <Descriptions size="small" bordered column={2}>
                    <Descriptions.Item label="案件">
                      <Link to={`/cases?householdCode=${encodeURIComponent(code)}`}>#{k.id}</Link>
                    </Descriptions.Item>
                    <Descriptions.Item label="状态">
                      <StatusTag status={k.status} label={k.statusLabel} />
                    </Descriptions.Item>
                    <Descriptions.Item label="性质">{k.natureLabel ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label="申报情况">{k.declaredLabel}</Descriptions.Item>
                    <Descriptions.Item label="立案时间">{dayTime(k.openedAt)}</Descriptions.Item>
                    <Descriptions.Item label="入户核查期限">{day(k.inspectionDue)}</Descriptions.Item>
                    <Descriptions.Item label="申辩期限">{day(k.contestDeadline)}</Descriptions.Item>
                    <Descriptions.Item label="腾退期限">{day(k.deadline)}</Descriptions.Item>
                  </Descriptions>
                  <Typography.Title level={5} style={{ marginTop: 16 }}>
                    案件所涉问题
                  </Typography.Title>
                  <FindingsTable findings={k.findings} />
                  <Typography.Title level={5} style={{ marginTop: 16 }}>
                    整改措施
                  </Typography.Title>
                  <MeasuresTable measures={k.measures} />
                  <Typography.Title level={5} style={{ marginTop: 16 }}>
                    文书
                  </Typography.Title>
                  <DocumentsTable k={k} />
                  <Typography.Title level={5} style={{ marginTop: 16 }}>
                    附件
                  </Typography.Title>
                  <AttachmentsTable caseId={k.id} readOnly />
                  <Typography.Title level={5} style={{ marginTop: 16 }}>
                    办理过程
                  </Typography.Title>
                  <CaseTimeline timeline={k.timeline} />
                </>
              )}
            </QueryState>
          )
        }
      </QueryState>
    </Card>
  );
}
