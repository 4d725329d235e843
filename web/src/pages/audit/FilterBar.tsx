import { Button, DatePicker, Input, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { ACTION_NAMES } from './actions';
import type { FilterKey } from './filters';

type Values = Partial<Record<FilterKey, string>>;

/** Filters: user (actor), action, household code, days from/to. */
export function FilterBar({ value, onChange, onReset }: { value: Values; onChange: (changes: Values) => void; onReset: () => void }) {
  return (
    <Space wrap style={{ marginBottom: 16 }}>
      <Input.Search aria-label="用户" placeholder="用户（登录名）" allowClear style={{ width: 200 }} defaultValue={value.actor} key={`a${value.actor ?? ''}`} onSearch={(v) => onChange({ actor: v.trim() || undefined })} />
      <Select
        aria-label="操作"
        placeholder="操作"
        allowClear
        showSearch
        optionFilterProp="label"
        style={{ width: 240 }}
        value={value.action}
        options={Object.entries(ACTION_NAMES).map(([v, label]) => ({ value: v, label }))}
        onChange={(v) => onChange({ action: v })}
      />
      <Input.Search aria-label="家庭编号" placeholder="家庭编号" allowClear style={{ width: 160 }} defaultValue={value.household} key={`h${value.household ?? ''}`} onSearch={(v) => onChange({ household: v.trim() || undefined })} />
      <DatePicker.RangePicker
        aria-label="日期"
        placeholder={['开始日期', '结束日期']}
        value={[value.from ? dayjs(value.from) : null, value.to ? dayjs(value.to) : null]}
        allowEmpty={[true, true]}
        onChange={(r) => onChange({ from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD') })}
      />
      <Button onClick={onReset}>重置</Button>
    </Space>
  );
}
