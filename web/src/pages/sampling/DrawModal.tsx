import { Form, Input, InputNumber, Modal, Radio } from 'antd';
import { errorText } from '../../common/QueryState';
import { useDraw } from './queries';

interface DrawForm {
  seed: string;
  by: 'rate' | 'count';
  percent?: number;
  count?: number;
}

/** 抽取样本: a seed, and a rate (percent of 在保 households, at least one per project) or a count. */
export function DrawModal({ open, onClose, onDrawn }: { open: boolean; onClose: () => void; onDrawn: (id: number, size: number) => void }) {
  const [form] = Form.useForm<DrawForm>();
  const draw = useDraw();
  const by = Form.useWatch('by', form);
  const submit = (v: DrawForm) =>
    draw.mutate(v.by === 'rate' ? { seed: v.seed.trim(), rate: v.percent! / 100 } : { seed: v.seed.trim(), count: v.count! }, {
      onSuccess: (s) => {
        onDrawn(s.id, s.size);
        form.resetFields();
      },
      onError: (e) => form.setFields([{ name: 'seed', errors: [errorText(e)] }]),
    });
  return (
    <Modal open={open} title="抽取样本" okText="抽取" cancelText="取消" confirmLoading={draw.isPending} onCancel={onClose} onOk={() => form.submit()} destroyOnHidden>
      <Form<DrawForm> form={form} layout="vertical" initialValues={{ by: 'rate', percent: 5, seed: `抽查-${new Date().toISOString().slice(0, 10)}` }} onFinish={submit} preserve={false}>
        <Form.Item name="seed" label="随机种子" extra="相同的种子抽出相同的家庭，便于复现" rules={[{ required: true, whitespace: true, message: '请填写随机种子' }, { max: 60, message: '最多60个字符' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="by" label="抽取方式">
          <Radio.Group options={[{ value: 'rate', label: '按比例' }, { value: 'count', label: '按户数' }]} />
        </Form.Item>
        {by === 'count' ? (
          <Form.Item name="count" label="户数" rules={[{ required: true, message: '请填写户数' }]}>
            <InputNumber min={1} precision={0} style={{ width: 160 }} suffix="户" />
          </Form.Item>
        ) : (
          <Form.Item name="percent" label="比例" extra="按项目分层抽取，每个项目至少一户" rules={[{ required: true, message: '请填写比例' }]}>
            <InputNumber min={0.1} max={100} step={1} style={{ width: 160 }} suffix="%" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
