import { Button, Table, Tag, Tooltip } from 'antd';
import type { TableProps } from 'antd';
import { Link } from 'react-router';
import type { Item } from '../../api/types';
import { day } from '../../common/format';
import { QueryError } from '../../common/QueryState';
import type { UrlList } from '../../common/url-list';
import { ruleName } from '../../common/vocabulary';
import { NATURE_NAMES } from './actions';
import type { useCases } from './queries';
import { StatusTag } from './StatusTag';

export type CaseRow = Item<NonNullable<ReturnType<typeof useCases>['data']>['items']>;

/** The case list's columns; `open` opens a case (a button in the first cell, reachable by keyboard). */
export function caseColumns(open: (id: string) => void): NonNullable<TableProps<CaseRow>['columns']> {
  return [
    {
      title: '案件',
      dataIndex: 'id',
      width: 80,
      render: (id: string) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => open(id)}>
          #{id}
        </Button>
      ),
    },
    { title: '家庭编号', dataIndex: 'householdCode', width: 120, render: (c: string) => <Link to={`/households/${encodeURIComponent(c)}`}>{c}</Link> },
    { title: '状态', dataIndex: 'status', width: 130, render: (s: string, r) => <StatusTag status={s} label={r.statusLabel} /> },
    { title: '性质', dataIndex: 'nature', width: 90, render: (n: string | null) => (n ? (NATURE_NAMES[n] ?? n) : '—') },
    {
      title: '问题',
      dataIndex: 'rules',
      width: 200,
      render: (rules: string[], r) => (
        <>
          {rules.map((code) => (
            <Tooltip key={code} title={r.declared ? '主动申报' : undefined}>
              <Tag color={r.declared ? 'green' : 'volcano'}>{ruleName(code)}</Tag>
            </Tooltip>
          ))}
          {!rules.length && '—'}
        </>
      ),
    },
    { title: '镇（街道）', dataIndex: 'town', width: 110, render: (t: string | null) => t ?? '—' },
    { title: '项目', dataIndex: 'projectCode', width: 90 },
    { title: '应退日期', dataIndex: 'deadline', width: 110, render: (d: string | null) => day(d) },
    { title: '指派给', dataIndex: 'assignee', width: 100, render: (a: CaseRow['assignee']) => a?.displayName ?? '—' },
  ];
}

/** A server-paged list of cases; a click on a row (or its 案件 button) opens the case. */
export function CaseTable({
  query,
  pagination,
  onOpen,
  columns,
  expandable,
  empty,
}: {
  query: ReturnType<typeof useCases>;
  /** The URL's pagination (useUrlList). */
  pagination: UrlList['pagination'];
  onOpen: (id: string) => void;
  columns?: TableProps<CaseRow>['columns'];
  expandable?: TableProps<CaseRow>['expandable'];
  empty: string;
}) {
  if (query.isError) return <QueryError error={query.error} retry={() => void query.refetch()} />;
  return (
    <Table<CaseRow>
      className="clickable-rows"
      size="middle"
      rowKey="id"
      loading={query.isFetching}
      dataSource={query.data?.items ?? []}
      expandable={expandable}
      onRow={(r) => ({ onClick: (e) => !(e.target as HTMLElement).closest('a,button,input,label,.ant-table-row-expand-icon-cell') && onOpen(r.id) })}
      locale={{ emptyText: empty }}
      pagination={pagination(query.data?.total ?? 0, '件')}
      columns={columns ?? caseColumns(onOpen)}
    />
  );
}
