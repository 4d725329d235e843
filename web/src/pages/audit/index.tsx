import { Card, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { ApiBody, Item } from '../../api/types';
import { roleLabel } from '../../app/roles';
import { QueryError } from '../../common/QueryState';
import { useUrlList } from '../../common/url-list';
import dayjs from 'dayjs';
import { actionName, ENTITY_NAMES } from './actions';
import { FilterBar } from './FilterBar';
import { FILTER_KEYS } from './filters';
import { useAudit } from './queries';

type Entry = Item<ApiBody<'/api/audit', 'get'>['items']>;

/** The household an entry is about, when its detail names it. */
const householdOf = (e: Entry): string | null => {
  const code = e.detail.householdCode;
  return typeof code === 'string' ? code : null;
};

/** 审计日志: who did what to which record and why, newest first, filtered and paged on the server. */
export default function AuditPage() {
  const list = useUrlList(FILTER_KEYS);
  const audit = useAudit(list.query);

  return (
    <Card title="审计日志">
      <FilterBar value={list.filters} onChange={list.filter} onReset={() => list.reset()} />
      {audit.isError ? (
        <QueryError error={audit.error} retry={() => void audit.refetch()} />
      ) : (
        <Table<Entry>
          rowKey="id"
          size="small"
          loading={audit.isFetching}
          dataSource={audit.data?.items ?? []}
          locale={{ emptyText: '没有符合条件的审计记录' }}
          tableLayout="fixed"
          expandable={{
            expandedRowRender: (e) => <pre style={{ margin: 0, maxHeight: 320, overflow: 'auto', fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(e.detail, null, 2)}</pre>,
            rowExpandable: (e) => Object.keys(e.detail).length > 0,
          }}
          pagination={list.pagination(audit.data?.total ?? 0)}
          columns={[
            { title: '时间', dataIndex: 'at', width: 160, render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm:ss') },
            {
              title: '用户',
              dataIndex: 'actor',
              width: 170,
              render: (a: string, e) => (
                <>
                  <Typography.Link onClick={() => list.filter({ actor: a })}>{a}</Typography.Link> <Typography.Text type="secondary">{roleLabel(e.role)}</Typography.Text>
                </>
              ),
            },
            {
              title: '操作',
              dataIndex: 'action',
              render: (a: string) => (
                <span title={a}>
                  {a.includes('reveal') ? <Tag color="orange">{actionName(a)}</Tag> : actionName(a)}
                </span>
              ),
            },
            {
              title: '对象',
              key: 'entity',
              width: 190,
              render: (_: unknown, e) => {
                const code = householdOf(e);
                const name = ENTITY_NAMES[e.entityType] ?? e.entityType;
                if (code) return <>{name} <Link to={`/households/${code}`}>{code}</Link></>;
                return e.entityId ? `${name} #${e.entityId}` : name;
              },
            },
            { title: '用途', dataIndex: 'purpose', width: 200, ellipsis: true, render: (p: string | null) => p ?? '—' },
          ]}
        />
      )}
    </Card>
  );
}
