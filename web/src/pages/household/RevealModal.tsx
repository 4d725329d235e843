import { Form, Input, Modal, Typography } from 'antd';

/** Mirrors the service's rule (src/auth/purpose.ts): at least two letters or CJK characters. */
const LETTERS = /\p{L}/gu;

/** Asks why the full ID numbers are needed; the service records the purpose in the audit log. */
export function RevealModal({ open, onCancel, onReveal }: { open: boolean; onCancel: () => void; onReveal: (purpose: string) => void }) {
  const [form] = Form.useForm<{ purpose: string }>();
  return (
    <Modal
      open={open}
      title="查看完整身份证号"
      okText="查看"
      cancelText="取消"
      destroyOnHidden
      onCancel={onCancel}
      onOk={() => void form.validateFields().then((v) => onReveal(v.purpose.trim()))}
    >
      <Typography.Paragraph type="secondary">完整身份证号属于个人信息。请说明用途，本次查看将记入审计日志。</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="purpose"
          label="用途"
          rules={[
            { required: true, whitespace: true, message: '请说明用途' },
            { max: 200, message: '用途说明过长（最多200字）' },
            { validator: (_, v: string | undefined) => ((v ?? '').match(LETTERS)?.length ?? 0) >= 2 || !v ? Promise.resolve() : Promise.reject(new Error('说明用途（至少2个汉字或字母）')) },
          ]}
        >
          <Input autoFocus placeholder="例如：入户核查" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
