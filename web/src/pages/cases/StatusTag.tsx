import { Tag } from 'antd';
import { CASE_STATUSES } from '../../common/vocabulary';

const LABEL = Object.fromEntries(CASE_STATUSES) as Record<string, string>;
const COLOR: Record<string, string> = {
  open: 'gold',
  inspection: 'cyan',
  inspected: 'blue',
  notified: 'purple',
  contested: 'magenta',
  notice_issued: 'orange',
  overdue: 'red',
  closed: 'default',
};

/** A case status as a coloured tag in Chinese. */
export function StatusTag({ status, label }: { status: string; label?: string }) {
  return <Tag color={COLOR[status] ?? 'default'}>{label ?? LABEL[status] ?? status}</Tag>;
}
