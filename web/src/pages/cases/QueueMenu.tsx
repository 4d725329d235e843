import { Badge, Menu } from 'antd';
import { QueryState } from '../../common/QueryState';
import { useQueues } from './queries';

/** The queues (待核实 ... 我的待办), each with its count; the selected one filters the list. */
export function QueueMenu({ value, onChange }: { value: string | undefined; onChange: (key: string | undefined) => void }) {
  const queues = useQueues();
  return (
    <QueryState query={queues}>
      {(qs) => (
        <Menu
          aria-label="案件队列"
          mode="inline"
          selectedKeys={[value ?? 'all']}
          onClick={(e) => onChange(e.key === 'all' ? undefined : e.key)}
          style={{ borderInlineEnd: 'none' }}
          items={[
            { key: 'all', label: '全部案件' },
            ...qs.map((q) => ({
              key: q.key,
              label: (
                <span style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
                  <span>{q.label}</span>
                  <Badge count={q.count} showZero overflowCount={99999} color={!q.count ? '#bfbfbf' : q.key === 'overdue' || q.key === 'inspection_past_due' ? 'red' : 'blue'} />
                </span>
              ),
            })),
          ]}
        />
      )}
    </QueryState>
  );
}
