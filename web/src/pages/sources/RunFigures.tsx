import { Space, Typography } from 'antd';
import type { ApiBody, Item } from '../../api/types';
import { count } from '../../common/format';

export type SyncRun = NonNullable<Item<ApiBody<'/api/sources', 'get'>>['lastRun']>;

/** A run's figures in one line: received, new, changed, deleted, rejected. */
export function RunFigures({ run }: { run: SyncRun | null }) {
  if (!run) return <>—</>;
  return (
    <Space size={8} wrap>
      <span>接收 {count(run.received)}</span>
      <span>新增 {count(run.inserted)}</span>
      <span>更新 {count(run.updated)}</span>
      <span>删除 {count(run.deleted)}</span>
      {run.rejected > 0 ? <Typography.Text type="danger">拒收 {count(run.rejected)}</Typography.Text> : <span>拒收 0</span>}
    </Space>
  );
}
