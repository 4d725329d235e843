import { App, Button, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useMe } from '../../app/session';
import { bytes } from '../../common/bytes';
import { dayTime } from '../../common/format';
import { openInNewTab } from '../../common/open-file';
import { errorText, QueryError } from '../../common/QueryState';
import { useCaseAttachments, type CaseAttachment } from './queries';
import { UploadModal } from './UploadModal';
import { WithdrawModal } from './WithdrawModal';

/** Who may see an attachment's bytes, upload, withdraw (the routes' roles in src/attachments/attachments.controller.ts). */
const VIEWERS = ['admin', 'reviewer', 'inspector', 'auditor'];
const UPLOADERS = ['admin', 'reviewer', 'inspector'];
const WITHDRAWERS = ['admin', 'reviewer'];
const TYPE_NAMES: Record<string, string> = { 'image/jpeg': 'JPEG 图片', 'image/png': 'PNG 图片', 'application/pdf': 'PDF' };

/** The case's attachments (evidence, contest materials): 查看 in a new tab, 上传 and 撤回 unless read-only. */
export function AttachmentsTable({ caseId, readOnly }: { caseId: string; readOnly?: boolean }) {
  const role = useMe().data?.role ?? '';
  const list = useCaseAttachments(caseId);
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);
  const [withdrawing, setWithdrawing] = useState<CaseAttachment | null>(null);
  const canWithdraw = !readOnly && WITHDRAWERS.includes(role);

  const view = (a: CaseAttachment) => openInNewTab(`/api/cases/${caseId}/attachments/${a.id}`).catch((e: unknown) => void message.error(errorText(e)));

  if (list.isError) return <QueryError error={list.error} retry={() => void list.refetch()} />;
  return (
    <>
      {!readOnly && UPLOADERS.includes(role) && (
        <Button size="small" style={{ marginBottom: 8 }} onClick={() => setUploading(true)}>
          上传附件
        </Button>
      )}
      <Table<CaseAttachment>
        size="small"
        rowKey="id"
        pagination={false}
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: '没有附件' }}
        columns={[
          {
            title: '类别',
            dataIndex: 'kindLabel',
            width: 110,
            render: (l: string, a) => (
              <Space size={4} wrap>
                {l}
                {a.withdrawn && <Tag color="default">已撤回</Tag>}
              </Space>
            ),
          },
          { title: '类型', dataIndex: 'contentType', width: 90, render: (t: string) => TYPE_NAMES[t] ?? t },
          { title: '大小', dataIndex: 'size', width: 80, align: 'right', render: (n: number) => bytes(n) },
          {
            title: '上传',
            key: 'by',
            width: 140,
            render: (_, a) => (
              <>
                {a.uploadedBy}
                <Typography.Text type="secondary" style={{ display: 'block' }}>
                  {dayTime(a.uploadedAt)}
                </Typography.Text>
              </>
            ),
          },
          {
            title: '说明',
            key: 'note',
            render: (_, a) => (
              <>
                {a.note ?? '—'}
                {a.withdrawn && (
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                    撤回：{a.withdrawReason}（{a.withdrawnBy}，{dayTime(a.withdrawnAt)}）
                  </Typography.Paragraph>
                )}
              </>
            ),
          },
          {
            title: '操作',
            key: 'ops',
            width: 110,
            render: (_, a) => (
              <Space size={0}>
                {VIEWERS.includes(role) && (
                  <Tooltip title="在新标签页打开（记入审计日志）">
                    <Button type="link" size="small" onClick={() => void view(a)}>
                      查看
                    </Button>
                  </Tooltip>
                )}
                {canWithdraw && !a.withdrawn && (
                  <Button type="link" size="small" danger onClick={() => setWithdrawing(a)}>
                    撤回
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {!readOnly && <UploadModal caseId={caseId} role={role} open={uploading} onClose={() => setUploading(false)} />}
      {canWithdraw && <WithdrawModal caseId={caseId} attachment={withdrawing} onClose={() => setWithdrawing(null)} />}
    </>
  );
}
