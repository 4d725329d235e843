import { Breadcrumb, Card, Col, Descriptions, Result, Row, Space, Tag } from 'antd';
import { Link, useParams } from 'react-router';
import { useMe } from '../../app/session';
import { day, dayTime } from '../../common/format';
import { QueryState } from '../../common/QueryState';
import { ruleName } from '../../common/vocabulary';
import { CaseCard } from './CaseCard';
import type { EvidenceNames } from './Evidence';
import { FindingsCard } from './FindingsCard';
import { HistoryCard } from './HistoryCard';
import { MembersCard } from './MembersCard';
import { useHousehold, useSourceLabels, useVerdict } from './queries';
import { RecordsCard } from './RecordsCard';

/** 一户一档: everything the service knows about one household, on one page. */
export default function HouseholdPage() {
  const code = useParams().code ?? '';
  const me = useMe();
  const household = useHousehold(code);
  const verdict = useVerdict(code);
  const sources = useSourceLabels();
  if (!code) return <Result status="404" title="未指定家庭" />;

  const names: EvidenceNames = {
    person: (id) => verdict.data?.persons.find((p) => p.personId === id)?.name ?? `人员 ${id}`,
    source: (s) => sources.data?.[s] ?? s,
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/findings">核查结果</Link> }, { title: `一户一档 ${code}` }]} />
      <QueryState query={household}>
        {(h) => (
          <Card
            title={
              <Space>
                <span>一户一档 · {h.householdCode}</span>
                <Tag color={h.status === 'active' ? 'green' : h.status === 'waiting' ? 'blue' : 'default'}>{h.statusLabel}</Tag>
              </Space>
            }
          >
            <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }}>
              <Descriptions.Item label="保障类别">{h.categoryLabel ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="项目">{h.projectCode ? `${h.projectName ?? ''}（${h.projectCode}）` : '—'}</Descriptions.Item>
              <Descriptions.Item label="镇（街道）">{h.town ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="房源">{h.unitCode ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="地址" span={2}>
                {h.address ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label="租赁起始">{day(h.lease.start)}</Descriptions.Item>
              <Descriptions.Item label="租赁截止">{day(h.lease.end)}</Descriptions.Item>
              <Descriptions.Item label="轮候登记">{day(h.queuedOn)}</Descriptions.Item>
            </Descriptions>
          </Card>
        )}
      </QueryState>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <QueryState query={household}>{(h) => me.data && <MembersCard code={code} members={h.members} role={me.data.role} />}</QueryState>
        </Col>
        <Col xs={24} xl={12}>
          <Card title="复核结论">
            <QueryState query={verdict}>
              {(v) => (
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label="结论">{v.verdict === 'clean' ? <Tag color="green">未发现问题</Tag> : <Tag color="red">发现问题</Tag>}</Descriptions.Item>
                  <Descriptions.Item label="问题">{v.rules.length ? v.rules.map((r) => <Tag key={r}>{ruleName(r)}</Tag>) : '无'}</Descriptions.Item>
                  <Descriptions.Item label="复核批次">
                    #{v.run.id}（截至 {day(v.run.asOf)}，{dayTime(v.run.finishedAt)} 完成）
                  </Descriptions.Item>
                  <Descriptions.Item label="政策版本">{v.run.policyVersion}</Descriptions.Item>
                  {v.subletLevel && v.subletScore !== null && (
                    <Descriptions.Item label="转租转借评分">
                      {v.subletScore}（{v.subletLevel === 'high' ? '高' : v.subletLevel === 'medium' ? '中' : '低'}风险）
                    </Descriptions.Item>
                  )}
                </Descriptions>
              )}
            </QueryState>
          </Card>
        </Col>
      </Row>
      <QueryState query={verdict}>{(v) => <FindingsCard verdict={v} names={names} />}</QueryState>
      <HistoryCard code={code} />
      <CaseCard code={code} />
      <QueryState query={verdict}>{(v) => <RecordsCard verdict={v} names={names} />}</QueryState>
    </Space>
  );
}
