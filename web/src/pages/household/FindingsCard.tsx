import { Card, Collapse, Empty, Space, Tag, Typography } from 'antd';
import type { ApiBody, Item } from '../../api/types';
import { EvidenceBlock, recordText, type EvidenceNames } from './Evidence';

type Verdict = ApiBody<'/api/households/{code}/verdict', 'get'>;
type Finding = Item<Verdict['findings']>;
type RecordRef = { source?: string; recordId?: string; updatedAt?: string };

/** Each finding of the run with its evidence in words: the reason, values against thresholds, records, policy. */
export function FindingsCard({ verdict, names }: { verdict: Verdict; names: EvidenceNames }) {
  return (
    <Card title={`核查结果（${verdict.findings.length} 项）`}>
      {verdict.findings.length === 0 ? (
        <Empty description="本批次复核未发现问题" />
      ) : (
        <Collapse
          defaultActiveKey={verdict.findings.map((f) => f.code)}
          items={verdict.findings.map((f: Finding) => ({
            key: f.code,
            label: (
              <Space>
                <Tag color={f.nature === 'violation' ? 'volcano' : 'red'}>{f.name}</Tag>
                <Typography.Text>{f.nature === 'violation' ? '违规' : '资格不符'}</Typography.Text>
              </Space>
            ),
            children: (
              <>
                <Typography.Paragraph>{f.explanation}</Typography.Paragraph>
                <EvidenceBlock title="核查数值" data={f.values} names={names} />
                <EvidenceBlock title="政策标准" data={f.thresholds} names={names} />
                <Typography.Text strong>依据记录</Typography.Text>
                <ul style={{ marginTop: 4 }}>
                  {((f.records ?? []) as RecordRef[]).map((r, i) => (
                    <li key={i}>{recordText(r, names)}</li>
                  ))}
                  {!f.records?.length && <li>无</li>}
                </ul>
                <Typography.Text type="secondary">政策版本：{f.policyVersion ?? verdict.run.policyVersion}</Typography.Text>
              </>
            ),
          }))}
        />
      )}
    </Card>
  );
}
