import type { CaseStatus } from './case-machine';

/**
 * The work queues of the 案件 page: one per status of an exit (or waiting-list removal) case, the
 * tenant-change tasks, the closed cases, the inspections past due and the signed-in user's own.
 * Each is a filter of GET /api/cases (`queue=<key>`) and a count of GET /api/cases/queues.
 */
export const QUEUES = [
  { key: 'open', label: '待核实', status: 'open' },
  { key: 'inspection', label: '待入户核查', status: 'inspection' },
  { key: 'inspected', label: '已核查待认定', status: 'inspected' },
  { key: 'notified', label: '申辩期内', status: 'notified' },
  { key: 'contested', label: '申辩待复核', status: 'contested' },
  { key: 'notice_issued', label: '已发通知', status: 'notice_issued' },
  { key: 'overdue', label: '应退未退', status: 'overdue' },
  { key: 'tenant_change', label: '承租人变更' },
  { key: 'closed', label: '已结案', status: 'closed' },
  { key: 'inspection_past_due', label: '核查逾期' },
  { key: 'mine', label: '我的待办' },
] as const satisfies readonly { key: string; label: string; status?: CaseStatus }[];

export type QueueKey = (typeof QUEUES)[number]['key'];
export const QUEUE_KEYS = QUEUES.map((q) => q.key) as [QueueKey, ...QueueKey[]];

/** What a queue adds to the case list's filter. */
export interface QueueFilter {
  status?: CaseStatus;
  kind?: string;
  notKind?: string;
  openOnly?: boolean;
  inspectionPastDue?: boolean;
  assigneeId?: number;
}

/** A queue as a filter of the case list; `userId`: the signed-in user (for 我的待办). */
export function queueFilter(key: QueueKey, userId: number | undefined): QueueFilter {
  switch (key) {
    case 'tenant_change':
      return { kind: 'tenant_change', openOnly: true };
    case 'closed':
      return { status: 'closed' };
    case 'inspection_past_due':
      return { inspectionPastDue: true };
    case 'mine':
      // A token has no user: nothing is assigned to it.
      return { assigneeId: userId ?? -1 };
    default:
      return { status: key, notKind: 'tenant_change' };
  }
}

/** Each queue's count from the cases counted by status, kind and open (one grouped query). */
export function queueCounts(rows: { status: string; kind: string; open: boolean; n: number }[], pastDue: number, mine: number) {
  const count = (key: QueueKey): number => {
    switch (key) {
      case 'tenant_change':
        return rows.filter((r) => r.kind === 'tenant_change' && r.open).reduce((s, r) => s + r.n, 0);
      case 'closed':
        return rows.filter((r) => r.status === 'closed').reduce((s, r) => s + r.n, 0);
      case 'inspection_past_due':
        return pastDue;
      case 'mine':
        return mine;
      default:
        return rows.filter((r) => r.status === key && r.kind !== 'tenant_change').reduce((s, r) => s + r.n, 0);
    }
  };
  return QUEUES.map((q) => ({ key: q.key, label: q.label, count: count(q.key) }));
}
