import { App, Button, Space, Table, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useMe } from '../../app/session';
import { download } from '../../common/download';
import { day } from '../../common/format';
import { PurposeModal } from '../../common/PurposeModal';
import { errorText, QueryError } from '../../common/QueryState';
import { useCaseDocuments, type CaseDetail, type CaseDocument } from './queries';

/** Who may download a notice (it carries the full ID number): GET /api/cases/:id/documents/:docId. */
const DOWNLOADERS = ['admin', 'reviewer'];

/** The case steps that write a notice (KIND_ACTION in src/documents/document-kinds.ts). */
const STEP_KIND: Record<string, string> = { order_inspection: 'inspection_notice', confirm: 'exit_determination', issue_notice: 'exit_notice' };
/** How long after a step its notice is waited for (the job normally takes seconds). */
const WAIT_MS = 2 * 60_000;

/** Whether a recent step's notice has not been written yet (its job is queued): then the list is polled. */
function waitingFor(k: CaseDetail): (items: CaseDocument[]) => boolean {
  return (items) => {
    const now = Date.now();
    const expected: Record<string, number> = {};
    let recent = false;
    for (const e of k.timeline) {
      const kind = STEP_KIND[e.action];
      if (!kind) continue;
      expected[kind] = (expected[kind] ?? 0) + 1;
      if (now - new Date(e.at).getTime() < WAIT_MS) recent = true;
    }
    if (!recent) return false;
    return Object.entries(expected).some(([kind, n]) => items.filter((d) => d.kind === kind).length < n);
  };
}

/** The case's notices (kind, number, date, template version, hash); admins and reviewers download them with a purpose. */
export function DocumentsTable({ k }: { k: CaseDetail }) {
  const role = useMe().data?.role;
  const docs = useCaseDocuments(k.id, waitingFor(k));
  const { message } = App.useApp();
  const [asked, setAsked] = useState<{ doc: CaseDocument; format: 'docx' | 'pdf' } | null>(null);
  const [busy, setBusy] = useState(false);
  const canDownload = !!role && DOWNLOADERS.includes(role);

  const save = async (purpose: string) => {
    if (!asked) return;
    const q = new URLSearchParams({ purpose });
    if (asked.format === 'pdf') q.set('format', 'pdf');
    setBusy(true);
    try {
      const name = await download(`/api/cases/${k.id}/documents/${asked.doc.id}?${q.toString()}`, `${asked.doc.number}.${asked.format}`);
      void message.success(`已下载 ${name}`);
      setAsked(null);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (docs.isError) return <QueryError error={docs.error} retry={() => void docs.refetch()} />;
  return (
    <>
      <Table<CaseDocument>
        size="small"
        rowKey="id"
        pagination={false}
        loading={docs.isPending}
        dataSource={docs.data?.items ?? []}
        locale={{ emptyText: '尚未生成文书（认定、下达通知、催告等步骤会自动生成）' }}
        columns={[
          { title: '文书', dataIndex: 'kindLabel', width: 120 },
          { title: '文号', dataIndex: 'number', render: (n: string) => <Typography.Text copyable={{ text: n, tooltips: ['复制文号', '已复制'] }}>{n}</Typography.Text> },
          { title: '生成日期', dataIndex: 'createdAt', width: 100, render: (t: string) => day(t) },
          { title: '模板', dataIndex: 'templateVersion', width: 80, render: (v: number) => (v === 0 ? '默认模板' : `第 ${v} 版`) },
          {
            title: '校验值',
            dataIndex: 'sha256',
            width: 120,
            render: (h: string) => (
              <Tooltip title={h}>
                <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                  {h.slice(0, 8)}…
                </Typography.Text>
              </Tooltip>
            ),
          },
          ...(canDownload
            ? [
                {
                  title: '下载',
                  key: 'download',
                  width: 130,
                  render: (_: unknown, d: CaseDocument) => (
                    <Space size={0}>
                      <Button type="link" size="small" aria-label={`下载 ${d.kindLabel} DOCX`} onClick={() => setAsked({ doc: d, format: 'docx' })}>
                        DOCX
                      </Button>
                      <Button type="link" size="small" aria-label={`下载 ${d.kindLabel} PDF`} onClick={() => setAsked({ doc: d, format: 'pdf' })}>
                        PDF
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <PurposeModal
        open={!!asked}
        title={asked ? `下载${asked.doc.kindLabel}（${asked.format.toUpperCase()}）` : ''}
        okText="下载"
        hint="文书含承租人完整身份证号。请说明用途，本次下载将记入审计日志。"
        placeholder="例如：打印送达"
        busy={busy}
        onCancel={() => setAsked(null)}
        onOk={(p) => void save(p)}
      />
    </>
  );
}
