import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import type { paths } from '../../api/schema';
import type { ApiQuery } from '../../api/types';

/** The policy versions (without their documents). */
export function usePolicies() {
  return useQuery({ queryKey: ['policies', 'list'], queryFn: () => ok(api.GET('/api/policies')) });
}

/** A version's whole document. */
export function usePolicy(version: string | null) {
  return useQuery({
    queryKey: ['policies', 'detail', version],
    enabled: !!version,
    queryFn: () => ok(api.GET('/api/policies/{version}', { params: { path: { version: version! } } })),
  });
}

/** The draft policies (newest first). */
export function useDrafts() {
  return useQuery({ queryKey: ['policies', 'drafts'], queryFn: () => ok(api.GET('/api/policies/drafts')) });
}

export type DraftBody = NonNullable<paths['/api/policies/drafts']['post']['requestBody']>['content']['application/json'];
export type DraftPatch = NonNullable<DraftBody['parameters']>;

/** 新建草案: a copy of the version in force with some parameters changed. */
export function useCreateDraft() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DraftBody) => ok(api.POST('/api/policies/drafts', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['policies', 'drafts'] }),
  });
}

/** Changes a draft's name or parameters (until it is adopted). */
export function useUpdateDraft(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name?: string; parameters?: DraftPatch }) => ok(api.PATCH('/api/policies/drafts/{id}', { params: { path: { id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['policies', 'drafts'] }),
  });
}

/** 采纳: the draft becomes an immutable version in force from a date. */
export function useAdoptDraft(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { version: string; effectiveFrom: string }) => ok(api.POST('/api/policies/drafts/{id}/adopt', { params: { path: { id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['policies'] }),
  });
}

/** The latest simulations (all drafts; the page picks a draft's). */
export function useSimulations() {
  return useQuery({ queryKey: ['policies', 'simulations'], queryFn: () => ok(api.GET('/api/simulations', { params: { query: { page: 1, pageSize: 200 } } })) });
}

/** A simulation's comparison or curve; polled while its shards run. */
export function useSimulation(id: string | null) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: ['policies', 'simulation', id],
    enabled: !!id,
    queryFn: async () => {
      const r = await ok(api.GET('/api/simulations/{id}', { params: { path: { id: id! } } }));
      // The list shows each run's status: refresh it once this one is done.
      if (r.status !== 'running') void qc.invalidateQueries({ queryKey: ['policies', 'simulations'] });
      return r;
    },
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 1000 : false),
  });
}

export type SimulationBody = NonNullable<paths['/api/simulations']['post']['requestBody']>['content']['application/json'];

/** 运行测算 / 参数扫描. */
export function useStartSimulation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SimulationBody) => ok(api.POST('/api/simulations', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['policies', 'simulations'] }),
  });
}

/** One page of the households whose verdict the draft changes. */
export function useSimulationChanges(id: string | null, query: ApiQuery<'/api/simulations/{id}/households', 'get'>) {
  return useQuery({
    queryKey: ['policies', 'simulation', id, 'households', query],
    enabled: !!id,
    queryFn: () => ok(api.GET('/api/simulations/{id}/households', { params: { path: { id: id! }, query } })),
    placeholderData: keepPreviousData,
  });
}

/** The notice templates: uploaded versions, the built-in defaults, which is in use, the placeholders (admin). */
export function useTemplates(enabled: boolean) {
  return useQuery({ queryKey: ['policies', 'templates'], enabled, queryFn: () => ok(api.GET('/api/templates')) });
}

/** Uploads a new version of a kind's template (multipart `kind`, `file`): refused with every reason when it is wrong. */
export function useUploadTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, file }: { kind: string; file: File }) => {
      const form = new FormData();
      form.append('kind', kind);
      form.append('file', file, file.name);
      // openapi-fetch sends a FormData body as it is (the browser sets the multipart boundary).
      return ok(api.POST('/api/templates', { body: form as never, bodySerializer: () => form }));
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['policies', 'templates'] }),
  });
}
