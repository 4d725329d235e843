import { Card, Col, Row, Table, Tabs, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import type { ApiBody, Item } from '../../api/types';
import { dayTime } from '../../common/format';
import { useMe } from '../../app/session';
import { QueryState } from '../../common/QueryState';
import { PolicyParameters } from './PolicyParameters';
import { usePolicies, usePolicy } from './queries';
import { SimulationTab } from './SimulationTab';
import { TemplatesTab } from './TemplatesTab';

type Version = Item<ApiBody<'/api/policies', 'get'>>;

/** The version in force today: the latest effective date not after today. */
function inForce(versions: readonly Version[]): Version | undefined {
  const today = new Date().toLocaleDateString('sv-SE');
  return [...versions].filter((v) => v.effectiveFrom <= today).sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom) || b.id - a.id)[0];
}

/** 政策: the policy versions and a version's parameters in words; 模拟测算 (?tab=simulation) runs draft policies on today's data; 文书模板 (?tab=templates, admin) the notices' templates. */
export default function PoliciesPage() {
  const [params, setParams] = useSearchParams();
  const versions = usePolicies();
  const current = versions.data ? inForce(versions.data) : undefined;
  const selected = params.get('version') ?? current?.version ?? versions.data?.[0]?.version ?? null;
  const doc = usePolicy(selected);
  const inForceDoc = usePolicy(current?.version ?? null);
  const admin = useMe().data?.role === 'admin';
  const asked = params.get('tab');
  const tab = asked === 'simulation' ? 'simulation' : asked === 'templates' && admin ? 'templates' : 'parameters';
  const set = (patch: Record<string, string | null>) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(patch)) if (v === null) next.delete(k);
      else next.set(k, v);
      return next;
    });

  return (
    <Row gutter={16}>
      {tab === 'parameters' && (
      <Col span={7}>
        <Card title="政策版本">
          <QueryState query={versions} empty={(v) => !v.length}>
            {(rows) => (
              <Table<Version>
                rowKey="id"
                size="small"
                className="clickable-rows"
                pagination={false}
                dataSource={rows}
                rowClassName={(v) => (v.version === selected ? 'ant-table-row-selected' : '')}
                onRow={(v) => ({ onClick: () => setParams({ version: v.version }) })}
                columns={[
                  {
                    title: '版本',
                    dataIndex: 'version',
                    render: (v: string) => (
                      <span style={{ whiteSpace: 'nowrap' }}>
                        <Typography.Link onClick={() => setParams({ version: v })}>{v}</Typography.Link> {v === current?.version && <Tag color="green">现行</Tag>}
                      </span>
                    ),
                  },
                  { title: '生效日期', dataIndex: 'effectiveFrom', width: 100, render: (d: string, v) => <span title={`${v.createdBy} 创建于 ${dayTime(v.createdAt)}`}>{d}</span> },
                ]}
              />
            )}
          </QueryState>
        </Card>
      </Col>
      )}
      <Col span={tab === 'parameters' ? 17 : 24}>
        <Card title={tab === 'simulation' ? '政策模拟测算' : tab === 'templates' ? '文书模板' : selected ? `政策 ${selected}` : '政策'}>
          <Tabs
            activeKey={tab}
            onChange={(k) => setParams(k === 'simulation' || k === 'templates' ? { tab: k } : selected ? { version: selected } : {})}
            items={[
              {
                key: 'parameters',
                label: '参数',
                children: selected ? <QueryState query={doc}>{(d) => <PolicyParameters doc={d} />}</QueryState> : null,
              },
              { key: 'simulation', label: '模拟测算', children: tab === 'simulation' ? <SimulationTab inForce={inForceDoc.data} params={params} set={set} /> : null },
              ...(admin ? [{ key: 'templates', label: '文书模板', children: tab === 'templates' ? <TemplatesTab /> : null }] : []),
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
