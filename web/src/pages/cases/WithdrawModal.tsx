import { App, Form, Input, Modal, Typography } from 'antd';
import { errorText } from '../../common/QueryState';
import { useWithdrawAttachment, type CaseAttachment } from './queries';

/** Withdraws an attachment with a reason: it stays stored and listed, marked withdrawn. */
export function WithdrawModal({ caseId, attachment, onClose }: { caseId: string; attachment: CaseAttachment | null; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const withdraw = useWithdrawAttachment(caseId);
  const { message } = App.useApp();
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await withdraw.mutateAsync({ attachmentId: attachment!.id, reason: v.reason.trim() });
      void message.success('附件已撤回');
      onClose();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <Modal open={!!attachment} title="撤回附件" okText="撤回" okButtonProps={{ danger: true }} cancelText="取消" confirmLoading={withdraw.isPending} destroyOnHidden onCancel={onClose} onOk={() => void submit()}>
      <Typography.Paragraph type="secondary">撤回后附件仍保留并列出（标记为已撤回），撤回原因记入办理过程和审计日志。</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="reason" label="撤回原因" rules={[{ required: true, whitespace: true, message: '请填写撤回原因' }, { max: 500, message: '最多500字' }]}>
          <Input.TextArea rows={3} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
