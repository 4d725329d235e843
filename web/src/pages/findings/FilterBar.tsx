import { Button, Input, Select, Space } from 'antd';
import { HOUSEHOLD_STATUS_NAMES, LEVEL_NAMES, RULE_NAMES } from '../../common/vocabulary';
import { DECLARED_NAMES, SORT_NAMES, type FilterKey } from './filters';
import { useFindingTowns } from './queries';

const options = (names: Record<string, string>) => Object.entries(names).map(([value, label]) => ({ value, label }));

/** Filters: rule, level, town, project, household status, 主动申报/瞒报, and the order (the ones GET /api/findings takes). */
export function FilterBar({ value, onChange, onReset }: { value: Partial<Record<FilterKey, string>>; onChange: (key: FilterKey, v: string | undefined) => void; onReset: () => void }) {
  const towns = useFindingTowns();
  return (
    <Space wrap style={{ marginBottom: 16 }}>
      <Select aria-label="规则" placeholder="规则" allowClear style={{ width: 140 }} value={value.rule} options={options(RULE_NAMES)} onChange={(v) => onChange('rule', v)} />
      <Select
        aria-label="风险等级"
        placeholder="风险等级"
        allowClear
        style={{ width: 120 }}
        value={value.level}
        options={['high', 'medium'].map((l) => ({ value: l, label: `${LEVEL_NAMES[l]}风险` }))}
        onChange={(v) => onChange('level', v)}
      />
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
      <Select aria-label="家庭状态" placeholder="家庭状态" allowClear style={{ width: 120 }} value={value.status} options={options(HOUSEHOLD_STATUS_NAMES)} onChange={(v) => onChange('status', v)} />
      <Select aria-label="申报情况" placeholder="申报情况" allowClear style={{ width: 110 }} value={value.declared} options={options(DECLARED_NAMES)} onChange={(v) => onChange('declared', v)} />
      <Select aria-label="排序" placeholder="排序" allowClear style={{ width: 140 }} value={value.sort} options={options(SORT_NAMES)} onChange={(v) => onChange('sort', v)} />
      <Button onClick={onReset}>重置</Button>
    </Space>
  );
}
