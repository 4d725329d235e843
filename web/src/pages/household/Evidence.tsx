import { Descriptions, Table, Typography } from 'antd';
import type { ReactNode } from 'react';
import { day } from '../../common/format';
import { COMPARISON, fieldLabel } from './evidence-labels';

const number = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T/;

/** The names that evidence refers to: person ids → names, source codes → labels. */
export interface EvidenceNames {
  person: (id: number) => string;
  source: (code: string) => string;
}

type RecordRef = { source: string; recordId: string; updatedAt?: string };
const isRecordRef = (v: unknown): v is RecordRef => typeof v === 'object' && v !== null && 'source' in v && 'recordId' in v;

/** A department record in one line: source, record number, last update. */
export function recordText(r: { source?: string; recordId?: string; updatedAt?: string }, names: EvidenceNames): string {
  return `${names.source(r.source ?? '')} · 记录 ${r.recordId ?? '—'}${r.updatedAt ? ` · 更新于 ${day(r.updatedAt)}` : ''}`;
}

/** One value of a finding's evidence, in words: numbers with separators, people by name, lists as tables. */
export function EvidenceValue({ k, v, names }: { k: string; v: unknown; names: EvidenceNames }): ReactNode {
  if (v === null || v === undefined || v === '') return '—';
  if (k === 'personId' && typeof v === 'number') return names.person(v);
  if (k === 'source' && typeof v === 'string') return names.source(v);
  if (k === 'comparison' && typeof v === 'string') return COMPARISON[v] ?? v;
  if ((k === 'record' || k === 'records') && isRecordRef(v)) return recordText(v, names);
  if (typeof v === 'number') return number.format(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string') return DATE_TIME.test(v) ? day(v) : v;
  if (Array.isArray(v)) {
    if (!v.length) return '无';
    if (v.every((x) => typeof x !== 'object' || x === null)) return v.map(String).join('、');
    const rows = v as Record<string, unknown>[];
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return (
      <Table
        size="small"
        pagination={false}
        rowKey={(_, i) => String(i)}
        scroll={{ x: 'max-content' }}
        dataSource={rows}
        columns={keys.map((key) => ({ title: fieldLabel(key), dataIndex: key, render: (x: unknown) => <EvidenceValue k={key} v={x} names={names} /> }))}
      />
    );
  }
  if (typeof v === 'object') {
    return (
      <Descriptions size="small" column={1}>
        {Object.entries(v as Record<string, unknown>).map(([key, x]) => (
          <Descriptions.Item key={key} label={fieldLabel(key)}>
            <EvidenceValue k={key} v={x} names={names} />
          </Descriptions.Item>
        ))}
      </Descriptions>
    );
  }
  return JSON.stringify(v);
}

/** A block of evidence (values or thresholds) as labelled rows. */
export function EvidenceBlock({ title, data, names }: { title: string; data: Record<string, unknown> | undefined; names: EvidenceNames }) {
  const entries = Object.entries(data ?? {});
  return (
    <>
      <Typography.Text strong>{title}</Typography.Text>
      {entries.length ? (
        <Descriptions size="small" bordered column={1} style={{ marginTop: 4, marginBottom: 12 }} styles={{ label: { width: 180 } }}>
          {entries.map(([k, v]) => (
            <Descriptions.Item key={k} label={fieldLabel(k)}>
              <EvidenceValue k={k} v={v} names={names} />
            </Descriptions.Item>
          ))}
        </Descriptions>
      ) : (
        <Typography.Paragraph type="secondary">无</Typography.Paragraph>
      )}
    </>
  );
}
