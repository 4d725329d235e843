import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText } from '../../common/QueryState';
import { ACTION_LABEL } from '../../common/vocabulary';
import { ACTIONS, type ActionName, type Field } from './actions';
import { useAct } from './queries';

function FieldInput({ f }: { f: Field }) {
  switch (f.name) {
    case 'reason':
      return (
        <Form.Item name="reason" label={f.label} rules={f.required ? [{ required: true, whitespace: true, message: f.message }, { min: 2, message: f.message }] : []}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      );
    case 'dueDays':
      return (
        <Form.Item name="dueDays" label={f.label}>
          <InputNumber min={1} max={365} precision={0} style={{ width: 160 }} />
        </Form.Item>
      );
    case 'result':
    case 'decision':
    case 'measure':
    case 'notice':
    case 'method':
      return (
        <Form.Item name={f.name} label={f.label} rules={[{ required: true, message: `请选择${f.label}` }]}>
          <Select options={f.options} placeholder={`请选择${f.label}`} />
        </Form.Item>
      );
    case 'takenOn':
    case 'handedOverOn':
      return (
        <Form.Item name={f.name} label={f.label} rules={f.required ? [{ required: true, message: `请选择${f.label}` }] : []}>
          <DatePicker style={{ width: 200 }} />
        </Form.Item>
      );
    case 'servedOn':
      // A notice cannot have been served after today (the service refuses it too).
      return (
        <Form.Item name="servedOn" label={f.label} rules={[{ required: true, message: `请选择${f.label}` }]}>
          <DatePicker style={{ width: 200 }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
      );
    case 'progress':
      return (
        <Form.Item name="progress" label={f.label} rules={[{ required: true, whitespace: true, message: '请填写进展' }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      );
  }
}

/** The form's values as the action's body: dates as YYYY-MM-DD, empty optional fields left out. */
function bodyOf(values: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null || (typeof v === 'string' && !v.trim())) continue;
    body[k] = typeof v === 'string' ? v.trim() : typeof v === 'object' && 'format' in v ? (v as Dayjs).format('YYYY-MM-DD') : v;
  }
  return body;
}

/** One action on a case as a form with exactly the fields its body takes; a refusal shows the service's reason. */
export function ActionModal({ caseId, action, onClose }: { caseId: string; action: ActionName | null; onClose: () => void }) {
  const [form] = Form.useForm<Record<string, unknown>>();
  const act = useAct(caseId);
  const { message } = App.useApp();
  const spec = action ? ACTIONS[action] : null;
  const submit = async () => {
    if (!action) return;
    const values = await form.validateFields();
    act.mutate(
      { action, body: bodyOf(values) },
      {
        onSuccess: () => {
          void message.success(`已${ACTION_LABEL[action]}`);
          onClose();
        },
      },
    );
  };
  return (
    <Modal
      open={!!action}
      title={action && ACTION_LABEL[action]}
      okText="提交"
      cancelText="取消"
      okButtonProps={{ danger: spec?.danger, loading: act.isPending }}
      destroyOnHidden
      afterClose={() => act.reset()}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
    >
      {act.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} message="操作未执行" description={errorText(act.error)} />}
      {spec?.note && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={spec.note} />}
      <Form form={form} layout="vertical" preserve={false}>
        {spec?.fields.map((f) => <FieldInput key={f.name} f={f} />)}
      </Form>
    </Modal>
  );
}
