import { Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import type { ApiBody } from '../../api/types';
import { CATEGORY_NAMES, PARAM_GROUPS, pathsOf, specOf, valueAt } from './parameters';

type PolicyDoc = ApiBody<'/api/policies/{version}', 'get'>;

const show = (path: string, v: unknown): string => {
  const spec = specOf(path);
  if (typeof v === 'number' && spec) return spec.format(v);
  if (Array.isArray(v)) return v.map((c) => CATEGORY_NAMES[String(c)] ?? String(c)).join('、') || '无';
  return String(v);
};

/** A version's parameters in words, grouped by rule, with the per-category overrides. */
export function PolicyParameters({ doc }: { doc: PolicyDoc }) {
  const overrides = Object.entries(doc.categoryOverrides ?? {}).filter(([, o]) => o && Object.keys(o).length);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Descriptions size="small" column={3}>
        <Descriptions.Item label="政策名称">{doc.name}</Descriptions.Item>
        <Descriptions.Item label="地区代码">{doc.regionCode}</Descriptions.Item>
        <Descriptions.Item label="生效日期">{doc.effectiveFrom}</Descriptions.Item>
      </Descriptions>
      {PARAM_GROUPS.map((g) => (
        <Descriptions key={g.title} title={g.title} size="small" bordered column={2} styles={{ content: { whiteSpace: 'nowrap', minWidth: 110 } }}>
          {g.params.map((p) => (
            <Descriptions.Item key={p.path} label={p.label}>
              {show(p.path, valueAt(doc.parameters, p.path))}
            </Descriptions.Item>
          ))}
          {g.title === '资格条件' && (
            <Descriptions.Item label="户籍迁出：不适用的保障类别" styles={{ content: { whiteSpace: 'normal' } }}>{show('hukouExemptCategories', doc.parameters.hukouExemptCategories)}</Descriptions.Item>
          )}
        </Descriptions>
      ))}
      <div>
        <Typography.Title level={5}>按保障类别的差异</Typography.Title>
        {overrides.length ? (
          <Table
            size="small"
            pagination={false}
            rowKey={(r) => `${r.category}:${r.path}`}
            dataSource={overrides.flatMap(([category, o]) => pathsOf(o as Record<string, unknown>).map((path) => ({ category, path, value: valueAt(o, path) })))}
            columns={[
              { title: '保障类别', dataIndex: 'category', width: 160, render: (c: string) => <Tag>{CATEGORY_NAMES[c] ?? c}</Tag> },
              { title: '参数', dataIndex: 'path', render: (p: string) => specOf(p)?.label ?? p },
              { title: '该类别适用值', dataIndex: 'value', width: 220, render: (v: unknown, r) => show(r.path, v) },
            ]}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="各保障类别适用相同参数" />
        )}
      </div>
    </Space>
  );
}
