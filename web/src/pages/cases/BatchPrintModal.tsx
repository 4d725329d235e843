import { App, Alert, Button, Form, Input, Modal, Progress, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { download } from '../../common/download';
import { bytes } from '../../common/bytes';
import { count } from '../../common/format';
import { PurposeModal } from '../../common/PurposeModal';
import { errorText } from '../../common/QueryState';
import { CASE_STATUSES } from '../../common/vocabulary';
import { useFindingTowns } from '../findings/queries';
import { useBatch, useStartBatch, type BatchBody } from './queries';

/** The notices the service writes (DOCUMENT_KINDS in src/documents/document-kinds.ts). */
export const DOCUMENT_KINDS: Record<BatchBody['kind'], string> = {
  inspection_notice: '入户核查通知书',
  exit_determination: '退出认定告知书',
  exit_notice: '退出通知书',
  reminder: '催告书',
};

export type Filter = NonNullable<BatchBody['filter']>;
type FormValues = { kind: BatchBody['kind'] } & Filter;

/** 批量打印: one kind's notices of the cases matching the filters (the page's, as a start) as one ZIP, made by a queued job. */
export function BatchPrintModal({ open, initial, onClose }: { open: boolean; initial: Filter; onClose: () => void }) {
  const [form] = Form.useForm<FormValues>();
  const towns = useFindingTowns();
  const start = useStartBatch();
  const [batchId, setBatchId] = useState<string | null>(null);
  const batch = useBatch(batchId);
  const [asking, setAsking] = useState(false);
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();
  const b = batch.data;

  const close = () => {
    setBatchId(null);
    start.reset();
    onClose();
  };
  const submit = async () => {
    const v = await form.validateFields();
    const filter: Filter = {};
    if (v.status) filter.status = v.status;
    if (v.town) filter.town = v.town;
    if (v.project?.trim()) filter.project = v.project.trim();
    try {
      setBatchId((await start.mutateAsync({ kind: v.kind, filter })).id);
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const save = async (purpose: string) => {
    setSaving(true);
    try {
      const name = await download(`/api/documents/batches/${batchId}/file?${new URLSearchParams({ purpose }).toString()}`, `批量文书-${batchId}.zip`);
      void message.success(`已下载 ${name}`);
      setAsking(false);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  const done = b?.status === 'completed';
  const percent = b?.total ? Math.round((b.done / b.total) * 100) : done ? 100 : 0;
  return (
    <Modal
      open={open}
      title="批量打印文书"
      destroyOnHidden
      onCancel={close}
      footer={
        batchId ? (
          <Space>
            <Button onClick={close}>关闭</Button>
            <Button type="primary" disabled={!done || !b?.done} onClick={() => setAsking(true)}>
              下载 ZIP
            </Button>
          </Space>
        ) : (
          <Space>
            <Button onClick={close}>取消</Button>
            <Button type="primary" loading={start.isPending} onClick={() => void submit()}>
              生成
            </Button>
          </Space>
        )
      }
    >
      {!batchId ? (
        <Form form={form} layout="vertical" preserve={false} initialValues={{ kind: 'exit_determination', ...initial }}>
          <Typography.Paragraph type="secondary">按筛选条件把所选文书打包成一个 ZIP（只含您管辖范围内的案件）。筛选条件默认取自当前列表。</Typography.Paragraph>
          <Form.Item name="kind" label="文书" rules={[{ required: true, message: '请选择文书' }]}>
            <Select options={Object.entries(DOCUMENT_KINDS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="status" label="案件状态">
            <Select allowClear placeholder="全部状态" options={CASE_STATUSES.map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="town" label="镇（街道）">
            <Select allowClear showSearch placeholder="全部" loading={towns.isPending} options={(towns.data ?? []).map((t) => ({ value: t, label: t }))} />
          </Form.Item>
          <Form.Item name="project" label="项目编号">
            <Input allowClear placeholder="全部" />
          </Form.Item>
        </Form>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            {b ? `${b.kindLabel}：${b.status === 'failed' ? '生成失败' : done ? '已生成' : b.status === 'queued' ? '排队中' : '生成中'}` : '已提交'}
          </Typography.Text>
          <Progress percent={percent} status={b?.status === 'failed' ? 'exception' : done ? 'success' : 'active'} format={() => `${count(b?.done ?? 0)} / ${b?.total === null || !b ? '?' : count(b.total)}`} />
          {b?.status === 'failed' && <Alert type="error" showIcon message={b.error ?? '生成失败'} />}
          {done && !b.done && <Alert type="info" showIcon message="没有符合条件的文书" />}
          {done && b.done > 0 && <Typography.Text type="secondary">共 {count(b.done)} 份，{bytes(b.size)}</Typography.Text>}
        </Space>
      )}
      <PurposeModal
        open={asking}
        title="下载批量文书（ZIP）"
        okText="下载"
        hint="文书含承租人完整身份证号。请说明用途，本次下载将记入审计日志。"
        placeholder="例如：打印送达"
        busy={saving}
        onCancel={() => setAsking(false)}
        onOk={(p) => void save(p)}
      />
    </Modal>
  );
}
