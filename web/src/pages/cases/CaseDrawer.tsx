import { Button, Descriptions, Drawer, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useMe } from '../../app/session';
import { day, dayTime } from '../../common/format';
import { QueryState } from '../../common/QueryState';
import { ActionModal } from './ActionModal';
import { ACTION_LABEL } from '../../common/vocabulary';
import { ACTIONS, actionsOf, INSPECTION_RESULTS, KIND_NAMES, OUTCOMES, type ActionName } from './actions';
import { AssignModal } from './AssignModal';
import { AttachmentsTable } from './AttachmentsTable';
import { CaseTimeline, FindingsTable, MeasuresTable } from './CaseSections';
import { DocumentsTable } from './DocumentsTable';
import { useCase, type CaseDetail } from './queries';
import { StatusTag } from './StatusTag';

/** A notice's service (送达) in words: its day and method, or 未登记. */
function served(s: { servedOn: string; method?: string | null } | null | undefined): string {
  return s ? `${day(s.servedOn)}${s.method ? `（${s.method}）` : ''}` : '未登记';
}

function Detail({ k }: { k: CaseDetail }) {
  const me = useMe().data;
  const [action, setAction] = useState<ActionName | null>(null);
  const [assigning, setAssigning] = useState(false);
  const mine = actionsOf(k.allowedActions);
  const canAssign = me?.role === 'admin' || me?.role === 'reviewer';
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        {mine.map((a) => (
          <Button key={a} type={a === 'dismiss' ? 'default' : 'primary'} danger={ACTIONS[a].danger} onClick={() => setAction(a)}>
            {ACTION_LABEL[a]}
          </Button>
        ))}
        {canAssign && k.status !== 'closed' && <Button onClick={() => setAssigning(true)}>指派</Button>}
        {!mine.length && !canAssign && <Typography.Text type="secondary">当前没有您可办理的操作</Typography.Text>}
      </Space>
      <Descriptions size="small" bordered column={2} styles={{ label: { width: 120 } }}>
        <Descriptions.Item label="家庭编号">
          <Link to={`/households/${encodeURIComponent(k.householdCode)}`}>{k.householdCode}</Link>
        </Descriptions.Item>
        <Descriptions.Item label="状态">
          <StatusTag status={k.status} label={k.statusLabel} />
        </Descriptions.Item>
        <Descriptions.Item label="类型">{KIND_NAMES[k.kind] ?? k.kind}</Descriptions.Item>
        <Descriptions.Item label="性质">{k.natureLabel ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="申报情况">{k.declaredLabel}</Descriptions.Item>
        <Descriptions.Item label="指派给">{k.assignee?.displayName ?? '未指派'}</Descriptions.Item>
        <Descriptions.Item label="立案时间">{dayTime(k.openedAt)}</Descriptions.Item>
        <Descriptions.Item label="入户核查期限">{day(k.inspectionDue)}</Descriptions.Item>
        <Descriptions.Item label="核查结果">{k.inspectionResult ? (INSPECTION_RESULTS[k.inspectionResult] ?? k.inspectionResult) : '—'}</Descriptions.Item>
        <Descriptions.Item label="认定日期">
          {day(k.confirmedAt)}
          {k.confirmedBy && `（${k.confirmedBy}）`}
        </Descriptions.Item>
        <Descriptions.Item label="告知书送达">{served(k.service.determination)}</Descriptions.Item>
        <Descriptions.Item label="申辩期限">{day(k.contestDeadline)}</Descriptions.Item>
        <Descriptions.Item label="通知日期">{day(k.noticeAt)}</Descriptions.Item>
        <Descriptions.Item label="通知书送达">{served(k.service.exitNotice)}</Descriptions.Item>
        <Descriptions.Item label="应退日期">{day(k.deadline)}</Descriptions.Item>
        <Descriptions.Item label="市场租金起计">{day(k.marketRentFrom)}</Descriptions.Item>
        <Descriptions.Item label="列入应退未退">{day(k.overdueAt)}</Descriptions.Item>
        <Descriptions.Item label="结案">{k.closedAt ? `${day(k.closedAt)}（${k.outcome ? (OUTCOMES[k.outcome] ?? k.outcome) : '—'}）` : '—'}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        案件所涉问题
      </Typography.Title>
      <FindingsTable findings={k.findings} />
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        整改措施
      </Typography.Title>
      <MeasuresTable measures={k.measures} />
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        文书
      </Typography.Title>
      <DocumentsTable k={k} />
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        附件
      </Typography.Title>
      <AttachmentsTable caseId={k.id} />
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        办理过程
      </Typography.Title>
      <CaseTimeline timeline={k.timeline} />
      <ActionModal caseId={k.id} action={action} onClose={() => setAction(null)} />
      {canAssign && <AssignModal caseId={k.id} current={k.assignee?.id ?? null} open={assigning} onClose={() => setAssigning(false)} />}
    </>
  );
}

/** A case in a drawer (its id in the URL as ?case=): state, dates, findings, measures, timeline and the steps the user may take. */
export function CaseDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const k = useCase(id);
  return (
    <Drawer open={!!id} onClose={onClose} size={860} title={id ? `案件 #${id}` : ''} destroyOnHidden>
      <QueryState query={k}>{(d) => <Detail k={d} />}</QueryState>
    </Drawer>
  );
}
