import { Checkbox, Form, Input, Modal, Typography } from 'antd';
import { errorText } from '../../common/QueryState';
import { RULE_NAMES } from '../../common/vocabulary';
import { useRecordCheck } from './queries';

export interface CheckTarget {
  code: string;
  rules: string[];
  note: string | null;
}

/** 记录核查: the problems found on site (none ticked: the household is as it should be) and a note. */
export function CheckModal({ sampleId, target, onClose }: { sampleId: number; target: CheckTarget | null; onClose: () => void }) {
  const [form] = Form.useForm<{ rules: string[]; note?: string }>();
  const record = useRecordCheck(sampleId);
  return (
    <Modal
      open={!!target}
      title={target ? `记录核查 · ${target.code}` : '记录核查'}
      okText="保存"
      cancelText="取消"
      width={560}
      confirmLoading={record.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {target && (
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ rules: target.rules, note: target.note ?? '' }}
          onFinish={(v) =>
            record.mutate({ code: target.code, rules: v.rules ?? [], note: v.note?.trim() || undefined }, { onSuccess: onClose, onError: (e) => form.setFields([{ name: 'note', errors: [errorText(e)] }]) })
          }
        >
          <Typography.Paragraph type="secondary">勾选实地核查发现的问题；未勾选表示核查无问题。</Typography.Paragraph>
          <Form.Item name="rules" label="核查发现的问题">
            <Checkbox.Group style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', rowGap: 8 }} options={Object.entries(RULE_NAMES).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="note" label="备注" rules={[{ max: 500, message: '最多500字' }]}>
            <Input.TextArea rows={3} placeholder="例如：入户核实，家中有人居住" />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
