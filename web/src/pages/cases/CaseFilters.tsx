import { Button, Input, Select, Space } from 'antd';
import { useFindingTowns } from '../findings/queries';
import { NATURE_NAMES } from './actions';

export type CaseFilterValue = { town?: string; project?: string; nature?: string };

/** Town, project and (optionally) exit nature: the filters of GET /api/cases and of the exports. */
export function CaseFilters({ value, onChange, onReset, nature }: { value: CaseFilterValue; onChange: (key: keyof CaseFilterValue, v: string | undefined) => void; onReset: () => void; nature?: boolean }) {
  const towns = useFindingTowns();
  return (
    <Space wrap style={{ marginBottom: 16 }}>
      <Select
        aria-label="镇（街道）"
        placeholder="镇（街道）"
        allowClear
        showSearch
        style={{ width: 160 }}
        value={value.town}
        loading={towns.isPending}
        options={(towns.data ?? []).map((t) => ({ value: t, label: t }))}
        onChange={(v) => onChange('town', v)}
      />
      <Input.Search aria-label="项目编号" placeholder="项目编号" allowClear style={{ width: 160 }} defaultValue={value.project} key={value.project ?? ''} onSearch={(v) => onChange('project', v.trim() || undefined)} />
      {nature && (
        <Select
          aria-label="退出性质"
          placeholder="退出性质"
          allowClear
          style={{ width: 130 }}
          value={value.nature}
          options={Object.entries(NATURE_NAMES).map(([v, label]) => ({ value: v, label }))}
          onChange={(v) => onChange('nature', v)}
        />
      )}
      <Button onClick={onReset}>重置</Button>
    </Space>
  );
}
