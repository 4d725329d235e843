import { Alert, App, Form, Input, InputNumber, Modal } from 'antd';
import type { ApiBody } from '../../api/types';
import { errorText } from '../../common/QueryState';
import { valueAt } from './parameters';
import { useCreateDraft, useUpdateDraft, type DraftPatch } from './queries';
import { EDITABLE, paramLabel } from './simulation-text';

type PolicyDoc = ApiBody<'/api/policies/{version}', 'get'>;
export type Draft = ApiBody<'/api/policies/drafts/{id}', 'get'>;

/** The edited thresholds that differ from `doc`'s, as a parameters patch (a group's one by one). */
function patchOf(values: Record<string, unknown>, doc: PolicyDoc): DraftPatch {
  const patch: Record<string, unknown> = {};
  for (const e of EDITABLE) {
    const v = valueAt(values, e.path);
    if (typeof v !== 'number' || v === valueAt(doc.parameters, e.path)) continue;
    const [group, name] = e.path.split('.');
    if (name) patch[group] = { ...(patch[group] as object), [name]: v };
    else patch[group] = v;
  }
  return patch;
}

/**
 * 新建草案 (a copy of the version in force, `base`) or 修改草案 (`draft`): its name and the
 * thresholds, each with its unit; only the changed ones are sent, the service checks the whole.
 */
export function DraftModal({ open, base, draft, onClose, onSaved }: { open: boolean; base: PolicyDoc | undefined; draft?: Draft; onClose: () => void; onSaved: (id: number) => void }) {
  const [form] = Form.useForm<Record<string, unknown>>();
  const create = useCreateDraft();
  const update = useUpdateDraft(draft?.id ?? 0);
  const save = draft ? update : create;
  const { message } = App.useApp();
  const doc = (draft?.document ?? base);

  const submit = async () => {
    if (!doc) return;
    const values = await form.validateFields();
    const name = String(values.name).trim();
    const parameters = patchOf(values, doc);
    const done = (d: Draft) => {
      void message.success(draft ? '草案已保存' : '草案已创建');
      onSaved(d.id);
      onClose();
    };
    if (draft) update.mutate({ name, parameters }, { onSuccess: done });
    else create.mutate({ name, parameters }, { onSuccess: done });
  };

  return (
    <Modal
      open={open}
      title={draft ? `修改草案「${draft.name}」` : '新建政策草案'}
      okText="保存"
      cancelText="取消"
      width={640}
      okButtonProps={{ loading: save.isPending, disabled: !doc }}
      destroyOnHidden
      afterClose={() => save.reset()}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
    >
      {save.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} message="草案未保存" description={errorText(save.error)} />}
      {!draft && doc && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={`以现行政策 ${doc.version} 为底稿，调整下列标准；其余参数与现行政策相同。`} />}
      {doc && (
        <Form form={form} layout="horizontal" labelCol={{ span: 13 }} wrapperCol={{ span: 11 }} preserve={false} initialValues={{ name: draft?.name ?? '', ...doc.parameters }}>
          <Form.Item name="name" label="草案名称" labelCol={{ span: 6 }} wrapperCol={{ span: 18 }} rules={[{ required: true, whitespace: true, message: '请填写草案名称' }, { max: 100, message: '最多 100 个字' }]}>
            <Input placeholder="例如：2027 年收入线调整" />
          </Form.Item>
          {EDITABLE.map((e) => (
            <Form.Item
              key={e.path}
              name={e.path.split('.')}
              label={paramLabel(e.path)}
              dependencies={e.path === 'sublet.mediumScore' ? [['sublet', 'highScore']] : undefined}
              rules={[
                { required: true, message: `请填写${paramLabel(e.path)}` },
                ...(e.path === 'sublet.mediumScore'
                  ? [
                      ({ getFieldValue }: { getFieldValue: (n: string[]) => unknown }) => ({
                        validator: (_: unknown, v: number) =>
                          typeof v === 'number' && v >= Number(getFieldValue(['sublet', 'highScore'])) ? Promise.reject(new Error('中风险分数线须低于高风险分数线')) : Promise.resolve(),
                      }),
                    ]
                  : []),
              ]}
            >
              <InputNumber min={e.positive ? 0.01 : e.min} precision={e.integer ? 0 : 2} style={{ width: 200 }} suffix={e.unit} />
            </Form.Item>
          ))}
        </Form>
      )}
    </Modal>
  );
}
