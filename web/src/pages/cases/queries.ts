import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import type { ApiBody, ApiQuery } from '../../api/types';
import type { ActionName } from './actions';

export type CasesQuery = ApiQuery<'/api/cases', 'get'>;
export type CaseDetail = ApiBody<'/api/cases/{id}', 'get'>;

/** The queues with their counts in the caller's scope. */
export function useQueues() {
  return useQuery({ queryKey: ['cases', 'queues'], queryFn: () => ok(api.GET('/api/cases/queues')) });
}

/** One page of cases, filtered (and queued) on the server. */
export function useCases(query: CasesQuery) {
  return useQuery({
    queryKey: ['cases', 'list', query],
    queryFn: () => ok(api.GET('/api/cases', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** A case with its findings, measures, allowed actions and timeline. */
export function useCase(id: string | null) {
  return useQuery({
    queryKey: ['cases', 'detail', id],
    enabled: !!id,
    queryFn: () => ok(api.GET('/api/cases/{id}', { params: { path: { id: id! } } })),
  });
}

/** Everything a change to a case may move: its detail, the lists, the queue counts, the household's card. */
function useInvalidateCase() {
  const qc = useQueryClient();
  return (code?: string) =>
    Promise.all([qc.invalidateQueries({ queryKey: ['cases'] }), code ? qc.invalidateQueries({ queryKey: ['household', code] }) : Promise.resolve()]);
}

/** Takes an action on a case (POST /api/cases/:id/actions/:action) with the action's body. */
export function useAct(id: string) {
  const invalidate = useInvalidateCase();
  return useMutation({
    mutationFn: ({ action, body }: { action: ActionName; body: Record<string, unknown> }) =>
      // The body's shape per action is checked by the form (actions.ts) and again by the service.
      ok(api.POST('/api/cases/{id}/actions/{action}', { params: { path: { id, action } }, body: body as never })),
    onSuccess: (k) => invalidate(k.householdCode),
  });
}

/** Who the case may be assigned to (admin, reviewer). */
export function useAssignees(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['cases', 'assignees', id],
    enabled,
    queryFn: () => ok(api.GET('/api/cases/{id}/assignees', { params: { path: { id } } })),
  });
}

/** Assigns the case to a user, or clears it (null). */
export function useAssign(id: string) {
  const invalidate = useInvalidateCase();
  return useMutation({
    mutationFn: (userId: number | null) => ok(api.PUT('/api/cases/{id}/assignee', { params: { path: { id } }, body: { userId } })),
    onSuccess: (k) => invalidate(k.householdCode),
  });
}
