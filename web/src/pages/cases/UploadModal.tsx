import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Select, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { errorText } from '../../common/QueryState';
import { useUploadAttachments } from './queries';

/** The service's limits (src/attachments/attachments.schemas.ts, sniff.ts). */
const MAX_FILES = 10;
const MAX_BYTES = 10 * 1024 * 1024;
const TYPES = ['image/jpeg', 'image/png', 'application/pdf'];
export const ATTACHMENT_KINDS: Record<string, string> = { inspection: '核查取证', contest: '申辩材料', other: '其他材料' };

/** A file's problem the console sees before sending (the service checks the content again). */
function localProblem(f: File): string | null {
  if (f.size > MAX_BYTES) return '超过 10 MB';
  if (f.type && !TYPES.includes(f.type)) return '只接受 JPEG、PNG 或 PDF';
  return null;
}

/** Uploads JPEG/PNG/PDF files to a case (inspectors: 核查取证 only); a refusal shows the service's reason per file. */
export function UploadModal({ caseId, role, open, onClose }: { caseId: string; role: string; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ kind: string; note?: string }>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [reasons, setReasons] = useState<string[]>([]);
  const upload = useUploadAttachments(caseId);
  const { message } = App.useApp();
  const kinds = role === 'inspector' ? ['inspection'] : Object.keys(ATTACHMENT_KINDS);

  const close = () => {
    setFiles([]);
    setReasons([]);
    upload.reset();
    onClose();
  };
  const submit = async () => {
    const v = await form.validateFields();
    const bad = files.filter((f) => f.originFileObj && localProblem(f.originFileObj));
    if (!files.length) return setReasons(['请选择要上传的文件']);
    if (bad.length) return setReasons(bad.map((f) => `「${f.name}」${localProblem(f.originFileObj!)}`));
    setReasons([]);
    try {
      const r = await upload.mutateAsync({ files: files.map((f) => f.originFileObj!), kind: v.kind, note: v.note?.trim() || undefined });
      void message.success(`已上传 ${r.items.length} 个附件`);
      close();
    } catch (e) {
      const details = e instanceof ApiError ? e.details : [];
      // files[i]: the i-th file's reason; mark that file red in the list.
      setFiles((fs) => fs.map((f, i) => (details.some((d) => d.field === `files[${i}]`) ? { ...f, status: 'error', response: details.find((d) => d.field === `files[${i}]`)?.reason } : f)));
      setReasons(details.length ? details.map((d) => d.reason) : [errorText(e)]);
    }
  };

  return (
    <Modal open={open} title="上传附件" okText="上传" cancelText="取消" confirmLoading={upload.isPending} destroyOnHidden onCancel={close} onOk={() => void submit()}>
      <Form form={form} layout="vertical" preserve={false} initialValues={{ kind: kinds[0] }}>
        <Form.Item name="kind" label="附件类别" rules={[{ required: true, message: '请选择附件类别' }]}>
          <Select options={kinds.map((k) => ({ value: k, label: ATTACHMENT_KINDS[k] }))} />
        </Form.Item>
        <Form.Item label="文件" required extra={`JPEG、PNG 或 PDF，单个不超过 10 MB，一次最多 ${MAX_FILES} 个；按文件内容识别类型。`}>
          <Upload
            multiple
            accept=".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
            maxCount={MAX_FILES}
            fileList={files}
            beforeUpload={() => false}
            onChange={({ fileList }) => {
              setReasons([]);
              setFiles(fileList.map((f) => (f.originFileObj && localProblem(f.originFileObj) ? { ...f, status: 'error', response: localProblem(f.originFileObj) } : { ...f, status: 'done' })));
            }}
          >
            <Button icon={<UploadOutlined />}>选择文件</Button>
          </Upload>
        </Form.Item>
        <Form.Item name="note" label="说明" rules={[{ max: 500, message: '最多500字' }]}>
          <Input.TextArea rows={2} placeholder="例如：入户核查现场照片" />
        </Form.Item>
      </Form>
      {reasons.length > 0 && <Alert type="error" showIcon message={upload.isError ? errorText(upload.error) : '无法上传'} description={<ul style={{ margin: 0, paddingLeft: 20 }}>{reasons.map((r) => <li key={r}>{r}</li>)}</ul>} />}
    </Modal>
  );
}
