import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';

/** Every API call of the 工作台, in one place. */

/** GET /api/dashboard: findings by rule, town and project; the case funnel; 应退未退 by week; the latest run's changes. */
export function useDashboard() {
  return useQuery({ queryKey: ['dashboard', 'summary'], queryFn: () => ok(api.GET('/api/dashboard')) });
}

/** Findings of the latest completed run by town and rule (the cross table). */
export function useFindingCounts() {
  return useQuery({ queryKey: ['dashboard', 'findingCounts'], queryFn: () => ok(api.GET('/api/findings/counts')) });
}

/** The case queues of the 案件 page with their counts. */
export function useCaseQueues() {
  return useQuery({ queryKey: ['dashboard', 'caseQueues'], queryFn: () => ok(api.GET('/api/cases/queues')) });
}

/** Each source's state and freshness. */
export function useSources() {
  return useQuery({ queryKey: ['dashboard', 'sources'], queryFn: () => ok(api.GET('/api/sources')) });
}

/** Recompute runs, newest first (the running one with its progress). */
export function useRuns() {
  return useQuery({
    queryKey: ['dashboard', 'runs'],
    queryFn: () => ok(api.GET('/api/recompute/runs')),
    // While the latest run is running, its progress is refetched every 2 s.
    refetchInterval: (q) => (q.state.data?.[0]?.status === 'running' ? 2000 : false),
  });
}

/** What changed in a run against the previous completed run of the same date. */
export function useRunChanges(runId: string | undefined) {
  return useQuery({
    queryKey: ['dashboard', 'runChanges', runId],
    enabled: !!runId,
    queryFn: () => ok(api.GET('/api/recompute/runs/{id}/changes', { params: { path: { id: runId! } } })),
  });
}
