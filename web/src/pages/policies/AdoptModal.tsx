import { Alert, App, DatePicker, Form, Input, Modal } from 'antd';
import type { Dayjs } from 'dayjs';
import { errorText } from '../../common/QueryState';
import type { Draft } from './DraftModal';
import { useAdoptDraft } from './queries';

/** 采纳: the draft becomes policy version `version`, in force from a date, after a confirmation; it can no longer change. */
export function AdoptModal({ draft, open, onClose }: { draft: Draft; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ version: string; effectiveFrom: Dayjs }>();
  const adopt = useAdoptDraft(draft.id);
  const { message, modal } = App.useApp();
  const submit = async () => {
    const v = await form.validateFields();
    const body = { version: v.version.trim(), effectiveFrom: v.effectiveFrom.format('YYYY-MM-DD') };
    modal.confirm({
      title: '确认采纳草案？',
      content: `草案「${draft.name}」将作为政策版本 ${body.version}，自 ${body.effectiveFrom} 起生效；采纳后草案不能再修改。`,
      okText: '确认采纳',
      cancelText: '取消',
      onOk: () =>
        adopt.mutateAsync(body).then(
          () => {
            void message.success(`已采纳为政策版本 ${body.version}`);
            onClose();
          },
          () => undefined,
        ),
    });
  };
  return (
    <Modal
      open={open}
      title={`采纳草案「${draft.name}」`}
      okText="采纳"
      cancelText="取消"
      okButtonProps={{ loading: adopt.isPending }}
      destroyOnHidden
      afterClose={() => adopt.reset()}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
    >
      {adopt.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} message="未采纳" description={errorText(adopt.error)} />}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="version"
          label="政策版本号"
          rules={[
            { required: true, whitespace: true, message: '请填写政策版本号' },
            { pattern: /^[\w.-]{1,60}$/, message: '只能含字母、数字、_ . -，最多 60 个字符' },
          ]}
        >
          <Input placeholder="例如：2027.1" />
        </Form.Item>
        <Form.Item name="effectiveFrom" label="生效日期" rules={[{ required: true, message: '请选择生效日期' }]}>
          <DatePicker style={{ width: 200 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
