import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { ApiBody, Item } from '../../api/types';
import { count, dayTime } from '../../common/format';
import { QueryState } from '../../common/QueryState';
import { ruleName } from '../../common/vocabulary';
import { CheckModal, type CheckTarget } from './CheckModal';
import { type Discrepancy, useDiscrepancies, useSample } from './queries';

type SampleItem = Item<ApiBody<'/api/samples/{id}', 'get'>>;

const RuleTags = ({ rules, none }: { rules: string[]; none: string }) =>
  rules.length ? (
    <Space size={[4, 4]} wrap>
      {rules.map((r) => (
        <Tag key={r}>{ruleName(r)}</Tag>
      ))}
    </Space>
  ) : (
    <Typography.Text type="secondary">{none}</Typography.Text>
  );

function Discrepancies({ id }: { id: number }) {
  const q = useDiscrepancies(id);
  return (
    <QueryState query={q}>
      {(rows) => (
        <>
          <Space style={{ marginBottom: 12 }}>
            <Typography.Text>
              漏报 {count(rows.filter((d) => d.kind === '漏报').length)} 项，误报 {count(rows.filter((d) => d.kind === '误报').length)} 项
            </Typography.Text>
            <Button size="small" icon={<DownloadOutlined />} href={`/api/samples/${id}/discrepancies?format=csv`} download>
              下载 CSV
            </Button>
          </Space>
          <Table<Discrepancy>
            rowKey={(d) => `${d.householdCode}:${d.rule}:${d.kind}`}
            size="small"
            dataSource={rows}
            pagination={{ pageSize: 10, showSizeChanger: false }}
            locale={{ emptyText: '已核查家庭与系统结论一致（或尚未核查）' }}
            columns={[
              { title: '家庭编号', dataIndex: 'householdCode', width: 140, render: (c: string) => <Link to={`/households/${c}`}>{c}</Link> },
              { title: '项目', dataIndex: 'projectCode', width: 100, render: (p: string | null) => p ?? '—' },
              { title: '问题', dataIndex: 'name', width: 140 },
              {
                title: '差异类型',
                dataIndex: 'kind',
                render: (k: string) => <Tag color={k === '漏报' ? 'red' : 'orange'}>{k === '漏报' ? '漏报（核查发现，系统未报）' : '误报（系统报出，核查未发现）'}</Tag>,
              },
            ]}
          />
        </>
      )}
    </QueryState>
  );
}

/** A sample's households with the service's verdict and the check, and the discrepancies between them. */
export function SampleDetail({ id, canCheck }: { id: number; canCheck: boolean }) {
  const q = useSample(id);
  const [target, setTarget] = useState<CheckTarget | null>(null);
  const checked = q.data?.filter((i) => i.checked).length ?? 0;
  return (
    <Card
      title={`抽查批次 #${id}`}
      extra={q.data && <Typography.Text type="secondary">共 {count(q.data.length)} 户，已核查 {count(checked)} 户</Typography.Text>}
      style={{ marginTop: 16 }}
    >
      <Tabs
        items={[
          {
            key: 'households',
            label: '抽查家庭',
            children: (
              <QueryState query={q} empty={(d) => !d.length}>
                {(rows) => (
                  <Table<SampleItem>
                    rowKey="householdCode"
                    size="small"
                    loading={q.isFetching}
                    dataSource={rows}
                    pagination={{ pageSize: 10, showSizeChanger: false, showTotal: (n) => `共 ${count(n)} 户` }}
                    columns={[
                      { title: '家庭编号', dataIndex: 'householdCode', width: 120, render: (c: string) => <Link to={`/households/${c}`}>{c}</Link> },
                      { title: '项目', dataIndex: 'projectCode', width: 80, render: (p: string | null) => p ?? '—' },
                      { title: '系统结论', dataIndex: 'serviceRules', render: (r: string[]) => <RuleTags rules={r} none="无问题" /> },
                      {
                        title: '核查结论',
                        dataIndex: 'checkRules',
                        render: (r: string[] | null, i) => (i.checked ? <RuleTags rules={r ?? []} none="无问题" /> : <Tag>未核查</Tag>),
                      },
                      { title: '备注', dataIndex: 'note', ellipsis: true, render: (n: string | null) => n ?? '—' },
                      { title: '核查人', dataIndex: 'checkedBy', width: 90, render: (n: string | null) => n ?? '—' },
                      { title: '核查时间', dataIndex: 'checkedAt', width: 130, render: (t: string | null) => dayTime(t) },
                      ...(canCheck
                        ? [
                            {
                              title: '操作',
                              key: 'check',
                              width: 90,
                              render: (_: unknown, i: SampleItem) => (
                                <Button size="small" onClick={() => setTarget({ code: i.householdCode, rules: i.checkRules ?? [], note: i.note })}>
                                  {i.checked ? '修改核查' : '记录核查'}
                                </Button>
                              ),
                            },
                          ]
                        : []),
                    ]}
                  />
                )}
              </QueryState>
            ),
          },
          { key: 'discrepancies', label: '差异（漏报/误报）', children: <Discrepancies id={id} /> },
        ]}
      />
      <CheckModal sampleId={id} target={target} onClose={() => setTarget(null)} />
    </Card>
  );
}
