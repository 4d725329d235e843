import { Tag } from 'antd';
import { STATUS_LABEL } from '../../common/vocabulary';

const LABEL: Record<string, string> = STATUS_LABEL;
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
