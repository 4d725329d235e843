import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';

/** Every department source: status, last success, last run's figures, current error. */
export function useSources() {
  return useQuery({ queryKey: ['sources', 'list'], queryFn: () => ok(api.GET('/api/sources')), refetchInterval: 15_000 });
}

/** One source with its last runs. */
export function useSource(name: string | null) {
  return useQuery({
    queryKey: ['sources', 'detail', name],
    enabled: !!name,
    queryFn: () => ok(api.GET('/api/sources/{name}', { params: { path: { name: name! } } })),
  });
}

/** A page of a source's rejected records (masked by the service). */
export function useSourceRejections(name: string | null, page: number, enabled: boolean) {
  return useQuery({
    queryKey: ['sources', 'rejections', name, page],
    enabled: !!name && enabled,
    placeholderData: keepPreviousData,
    queryFn: () => ok(api.GET('/api/sources/{name}/rejections', { params: { path: { name: name! }, query: { page, pageSize: 10 } } })),
  });
}

/** A key per press: a repeated request (a retry) enqueues the same job. */
const idempotencyKey = () => `console-${crypto.randomUUID()}`;

/** Enqueues a sync of one source, or of all (name null). */
export function useSync() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string | null) => {
      const headers = { 'Idempotency-Key': idempotencyKey() };
      return name
        ? ok(api.POST('/api/sources/{name}/sync', { params: { path: { name } }, body: { mode: 'incremental' }, headers }))
        : ok(api.POST('/api/sources/sync', { body: { mode: 'incremental' }, headers }));
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['sources'] }),
  });
}

/** Uploads ledger files (multipart `files`); answers the import report, file by file. */
export function useRegistryImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (files: File[]) => {
      const form = new FormData();
      for (const f of files) form.append('files', f, f.name);
      return ok(api.POST('/api/registry/import', { body: form as never, bodySerializer: (b: unknown) => b as FormData }));
    },
    onSuccess: () => void qc.invalidateQueries(),
  });
}

/** A page of an import's rejected lines. */
export function useImportRejections(id: number | null, page: number) {
  return useQuery({
    queryKey: ['sources', 'import-rejections', id, page],
    enabled: id !== null,
    placeholderData: keepPreviousData,
    queryFn: () => ok(api.GET('/api/registry/imports/{id}/rejections', { params: { path: { id: id! }, query: { page, pageSize: 10 } } })),
  });
}
