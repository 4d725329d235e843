import { Alert, Button, Form, InputNumber, Select, Space } from 'antd';
import { errorText } from '../../common/QueryState';
import type { Draft } from './DraftModal';
import { valueAt } from './parameters';
import { useStartSimulation } from './queries';
import { EDITABLE, paramLabel } from './simulation-text';

interface SweepValues {
  parameter: string;
  from: number;
  to: number;
  step: number;
}

/** A range around the draft's value: ±20 % in 10 steps (whole numbers for scores and months). */
function rangeAround(draft: Draft, parameter: string): Omit<SweepValues, 'parameter'> {
  const v = Number(valueAt(draft.document.parameters, parameter)) || 1;
  const e = EDITABLE.find((x) => x.path === parameter);
  if (e?.integer) return { from: Math.max(e.min, v - 5), to: v + 5, step: 1 };
  const step = Math.max(0.01, Number((v * 0.04).toPrecision(2)));
  return { from: Math.max(0, v - 5 * step), to: v + 5 * step, step };
}

/** 参数扫描: one parameter from/to/step (at most 41 points) over the draft; the service runs every point on one read of the data. */
export function SweepForm({ draft, onStarted }: { draft: Draft; onStarted: (id: string) => void }) {
  const [form] = Form.useForm<SweepValues>();
  const start = useStartSimulation();
  const submit = async () => {
    const sweep = await form.validateFields();
    start.mutate({ draft: draft.id, sweep }, { onSuccess: (r) => onStarted(r.id) });
  };
  return (
    <>
      {start.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} message="扫描未启动" description={errorText(start.error)} />}
      <Form<SweepValues>
        form={form}
        layout="inline"
        initialValues={{ parameter: 'incomePerCapita', ...rangeAround(draft, 'incomePerCapita') }}
        onValuesChange={(changed: Partial<SweepValues>) => {
          if (changed.parameter) form.setFieldsValue(rangeAround(draft, changed.parameter));
        }}
      >
        <Form.Item name="parameter" label="扫描参数">
          <Select style={{ width: 260 }} options={EDITABLE.map((e) => ({ value: e.path, label: paramLabel(e.path) }))} />
        </Form.Item>
        <Form.Item name="from" label="从" rules={[{ required: true, message: '请填写起点' }]}>
          <InputNumber min={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item
          name="to"
          label="到"
          dependencies={['from']}
          rules={[
            { required: true, message: '请填写终点' },
            ({ getFieldValue }) => ({ validator: (_, v: number) => (v < Number(getFieldValue('from')) ? Promise.reject(new Error('终点不能小于起点')) : Promise.resolve()) }),
          ]}
        >
          <InputNumber min={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item
          name="step"
          label="步长"
          dependencies={['from', 'to']}
          rules={[
            { required: true, message: '请填写步长' },
            ({ getFieldValue }) => ({
              validator: (_, v: number) =>
                Math.floor((Number(getFieldValue('to')) - Number(getFieldValue('from'))) / v + 1e-9) + 1 > 41 ? Promise.reject(new Error('最多 41 个取值点，请加大步长')) : Promise.resolve(),
            }),
          ]}
        >
          <InputNumber min={0.01} style={{ width: 110 }} />
        </Form.Item>
        <Space>
          <Button type="primary" loading={start.isPending} onClick={() => void submit().catch(() => undefined)}>
            运行扫描
          </Button>
        </Space>
      </Form>
    </>
  );
}
