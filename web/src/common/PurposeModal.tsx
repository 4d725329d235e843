import { Form, Input, Modal, Typography } from 'antd';

/** Mirrors the service's rule (src/auth/purpose.ts): at least two letters or CJK characters. */
const LETTERS = /\p{L}/gu;

/** The 用途 field's rules, shared by every form that asks why personal data is needed. */
export const PURPOSE_RULES = [
  { required: true, whitespace: true, message: '请说明用途' },
  { max: 200, message: '用途说明过长（最多200字）' },
  {
    validator: (_: unknown, v: string | undefined) =>
      ((v ?? '').match(LETTERS)?.length ?? 0) >= 2 || !v ? Promise.resolve() : Promise.reject(new Error('说明用途（至少2个汉字或字母）')),
  },
];

/**
 * Asks why personal data is needed (a full ID number, a notice, a batch of notices); the service
 * records the purpose in the audit log.
 */
export function PurposeModal({
  open,
  title,
  okText,
  hint,
  placeholder = '例如：入户核查',
  busy,
  onCancel,
  onOk,
}: {
  open: boolean;
  title: string;
  okText: string;
  hint: string;
  placeholder?: string;
  busy?: boolean;
  onCancel: () => void;
  onOk: (purpose: string) => void;
}) {
  const [form] = Form.useForm<{ purpose: string }>();
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText="取消"
      confirmLoading={busy}
      destroyOnHidden
      onCancel={onCancel}
      onOk={() => void form.validateFields().then((v) => onOk(v.purpose.trim()))}
    >
      <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="purpose" label="用途" rules={PURPOSE_RULES}>
          <Input autoFocus placeholder={placeholder} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
