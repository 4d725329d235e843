import { DownloadOutlined } from '@ant-design/icons';
import { Button, Dropdown, Space } from 'antd';

type Filter = { town?: string; project?: string; nature?: string };

/** An export's URL: the browser downloads it with the session cookie (a GET needs no XSRF header). */
function exportUrl(kind: 'overdue' | 'cases' | 'summary', format: 'xlsx' | 'csv', filter: Filter): string {
  const q = new URLSearchParams({ format });
  if (kind !== 'summary') for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
  return `/api/exports/${kind}?${q.toString()}`;
}

const EXPORTS = [
  { kind: 'overdue', label: '应退未退整改情况表' },
  { kind: 'cases', label: '问题整改清单' },
  { kind: 'summary', label: '成果清单' },
] as const;

/** The bureau's three lists, as XLSX or CSV, with the page's filters (成果清单 has none). */
export function ExportButtons({ filter }: { filter: Filter }) {
  return (
    <Space wrap>
      {EXPORTS.map((e) => (
        <Dropdown
          key={e.kind}
          menu={{
            items: (['xlsx', 'csv'] as const).map((f) => ({
              key: f,
              label: (
                <a href={exportUrl(e.kind, f, filter)} download>
                  {f === 'xlsx' ? 'Excel（XLSX）' : 'CSV'}
                </a>
              ),
            })),
          }}
        >
          <Button icon={<DownloadOutlined />}>{e.label}</Button>
        </Dropdown>
      ))}
    </Space>
  );
}
