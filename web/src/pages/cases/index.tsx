import { Button, Card, Col, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useMe } from '../../app/session';
import { useUrlList } from '../../common/url-list';
import { CASE_STATUSES } from '../../common/vocabulary';
import { BatchPrintModal, type Filter } from './BatchPrintModal';
import { CaseDrawer } from './CaseDrawer';
import { CaseFilters } from './CaseFilters';
import { CaseTable } from './CaseTable';
import { FILTER_KEYS, STAGE_NAMES } from './filters';
import { useCases, useQueues, type CasesQuery } from './queries';
import { QueueMenu } from './QueueMenu';

const STATUS_KEYS = new Set<string>(CASE_STATUSES.map(([s]) => s));

/** 案件: the queues with their counts, a queue's cases paged on the server, a case in a drawer with its steps. */
export default function CasesPage() {
  const list = useUrlList(FILTER_KEYS);
  const { filters: query, update } = list;
  const cases = useCases(list.query as CasesQuery);
  const queues = useQueues();
  const queueLabel = queues.data?.find((q) => q.key === query.queue)?.label ?? '全部案件';
  const opened = list.params.get('case');
  const role = useMe().data?.role;
  const [printing, setPrinting] = useState(false);
  const canPrint = role === 'admin' || role === 'reviewer';
  // A queue that is one status (待核实 = open, ...) preselects that status in 批量打印.
  const status = query.status ?? queues.data?.find((q) => q.key === query.queue && STATUS_KEYS.has(q.key))?.key;
  return (
    <Row gutter={16} wrap={false}>
      <Col flex="220px">
        <Card title="案件队列" size="small" styles={{ body: { padding: 4 } }}>
          <QueueMenu value={query.queue} onChange={(q) => list.filter({ queue: q, status: undefined })} />
        </Card>
      </Col>
      <Col flex="auto" style={{ minWidth: 0 }}>
        <Card
          title={queueLabel}
          extra={
            <Space>
              {query.stage && (
                <Tag closable color="blue" onClose={() => list.filter({ stage: undefined })}>
                  工作台：{STAGE_NAMES[query.stage] ?? query.stage}
                </Tag>
              )}
              {query.householdCode && <Typography.Text type="secondary">家庭 {query.householdCode}</Typography.Text>}
              {canPrint && <Button onClick={() => setPrinting(true)}>批量打印</Button>}
            </Space>
          }
        >
          <CaseFilters
            value={{ town: query.town, project: query.project }}
            onChange={(k, v) => list.filter({ [k]: v })}
            onReset={() => list.reset({ queue: query.queue })}
          />
          <CaseTable
            query={cases}
            pagination={list.pagination}
            empty="该队列没有案件"
            onOpen={(id) => update({ case: id })}
          />
        </Card>
      </Col>
      <CaseDrawer id={opened} onClose={() => update({ case: undefined })} />
      {canPrint && <BatchPrintModal open={printing} initial={{ status: status as Filter['status'], town: query.town, project: query.project }} onClose={() => setPrinting(false)} />}
    </Row>
  );
}
