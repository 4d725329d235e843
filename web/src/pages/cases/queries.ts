import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import type { paths } from '../../api/schema';
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

export type CaseDocument = ApiBody<'/api/cases/{id}/documents', 'get'>['items'][number];
export type CaseAttachment = ApiBody<'/api/cases/{id}/attachments', 'get'>['items'][number];
export type DocumentBatch = ApiBody<'/api/documents/batches/{id}', 'get'>;
export type BatchBody = paths['/api/documents/batch']['post']['requestBody']['content']['application/json'];

/** The notices generated for a case; polled every 2 s while `waiting` (a step's notice is written by a queued job). */
export function useCaseDocuments(id: string, waiting: (items: CaseDocument[]) => boolean) {
  return useQuery({
    queryKey: ['cases', 'documents', id],
    queryFn: () => ok(api.GET('/api/cases/{id}/documents', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && waiting(q.state.data.items) ? 2000 : false),
  });
}

/** The case's attachments (metadata only; withdrawn ones marked). */
export function useCaseAttachments(id: string) {
  return useQuery({
    queryKey: ['cases', 'attachments', id],
    queryFn: () => ok(api.GET('/api/cases/{id}/attachments', { params: { path: { id } } })),
  });
}

/** Uploads files (multipart `files`, `kind`, `note`): the service checks each file's content and refuses all with each reason. */
export function useUploadAttachments(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ files, kind, note }: { files: File[]; kind: string; note?: string }) => {
      const form = new FormData();
      for (const f of files) form.append('files', f, f.name);
      form.append('kind', kind);
      if (note) form.append('note', note);
      // openapi-fetch sends a FormData body as it is (the browser sets the multipart boundary).
      return ok(api.POST('/api/cases/{id}/attachments', { params: { path: { id } }, body: form as never, bodySerializer: () => form }));
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['cases'] }),
  });
}

/** Withdraws an attachment with the reason (it stays listed, marked withdrawn). */
export function useWithdrawAttachment(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ attachmentId, reason }: { attachmentId: string; reason: string }) =>
      ok(api.POST('/api/cases/{id}/attachments/{attachmentId}/withdraw', { params: { path: { id, attachmentId } }, body: { reason } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['cases'] }),
  });
}

/** Starts a batch of notices (one ZIP) for the matching cases in the caller's scope. */
export function useStartBatch() {
  return useMutation({ mutationFn: (body: BatchBody) => ok(api.POST('/api/documents/batch', { body })) });
}

/** A batch's progress, polled every second until it has completed or failed. */
export function useBatch(id: string | null) {
  return useQuery({
    queryKey: ['cases', 'batch', id],
    enabled: !!id,
    queryFn: () => ok(api.GET('/api/documents/batches/{id}', { params: { path: { id: id! } } })),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'completed' || q.state.data.status === 'failed') ? false : 1000),
  });
}
