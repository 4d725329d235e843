import { useQueries, useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { CASE_STATUSES } from '../../common/vocabulary';

/**
 * Every API call of the dashboard, in one place: when the service offers a GET /api/dashboard,
 * only this file changes.
 */

/** Findings of the latest completed run by rule and by town. */
export function useFindingCounts() {
  return useQuery({ queryKey: ['dashboard', 'findingCounts'], queryFn: () => ok(api.GET('/api/findings/counts')) });
}

/** Findings of a run by level (the total of the filtered list). */
export function useLevelCounts(runId: string | undefined) {
  return useQueries({
    queries: (['high', 'medium'] as const).map((level) => ({
      queryKey: ['dashboard', 'level', runId, level],
      enabled: !!runId,
      queryFn: async () => ({ level, total: (await ok(api.GET('/api/findings', { params: { query: { runId, level, pageSize: 1 } } }))).total }),
    })),
  });
}

/** Cases in each status, and those whose inspection is past due. */
export function useCaseCounts() {
  const statuses = useQueries({
    queries: CASE_STATUSES.map(([status, label]) => ({
      queryKey: ['dashboard', 'cases', status],
      queryFn: async () => ({ status, label, total: (await ok(api.GET('/api/cases', { params: { query: { status, pageSize: 1 } } }))).total }),
    })),
  });
  const pastDue = useQuery({
    queryKey: ['dashboard', 'cases', 'inspectionPastDue'],
    queryFn: async () => (await ok(api.GET('/api/cases', { params: { query: { inspectionPastDue: 'true', pageSize: 1 } } }))).total,
  });
  return { statuses, pastDue };
}

/** Each source's state and freshness. */
export function useSources() {
  return useQuery({ queryKey: ['dashboard', 'sources'], queryFn: () => ok(api.GET('/api/sources')) });
}

/** Recompute runs, newest first. */
export function useRuns() {
  return useQuery({ queryKey: ['dashboard', 'runs'], queryFn: () => ok(api.GET('/api/recompute/runs')) });
}

/** What changed in a run against the previous completed run of the same date. */
export function useRunChanges(runId: string | undefined) {
  return useQuery({
    queryKey: ['dashboard', 'runChanges', runId],
    enabled: !!runId,
    queryFn: () => ok(api.GET('/api/recompute/runs/{id}/changes', { params: { path: { id: runId! } } })),
  });
}
