import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import type { paths } from '../../api/schema';

export type CreateBody = paths['/api/users']['post']['requestBody']['content']['application/json'];
export type UpdateBody = NonNullable<paths['/api/users/{id}']['patch']['requestBody']>['content']['application/json'];

/** A page of users. */
export function useUsers(page: number, pageSize: number) {
  return useQuery({
    queryKey: ['users', 'list', page, pageSize],
    placeholderData: keepPreviousData,
    queryFn: () => ok(api.GET('/api/users', { params: { query: { page, pageSize } } })),
  });
}

/** The projects (and through them the towns) a scope can name. */
export function useProjects() {
  return useQuery({
    queryKey: ['users', 'projects'],
    staleTime: 5 * 60_000,
    queryFn: () => ok(api.GET('/api/projects', { params: { query: { pageSize: 500 } } })),
    select: (p) => ({
      projects: p.items.map((x) => ({ value: x.projectCode, label: `${x.projectCode} ${x.name}` })),
      towns: [...new Set(p.items.map((x) => x.town).filter((t): t is string => !!t))].sort().map((t) => ({ value: t, label: t })),
    }),
  });
}

function useUserMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: ['users', 'list'] }) });
}

/** Creates a user; a generated one-time password comes back once. */
export const useCreateUser = () => useUserMutation((body: CreateBody) => ok(api.POST('/api/users', { body })));

/** Changes display name, role, scope, or re-enables (active: true). */
export const useUpdateUser = () => useUserMutation(({ id, body }: { id: number; body: UpdateBody }) => ok(api.PATCH('/api/users/{id}', { params: { path: { id } }, body })));

/** Disables a user and ends their sessions. */
export const useDisableUser = () => useUserMutation((id: number) => ok(api.POST('/api/users/{id}/disable', { params: { path: { id } } })));

/** A new generated one-time password (shown once); the user's sessions end. */
export const useResetPassword = () => useUserMutation((id: number) => ok(api.POST('/api/users/{id}/reset-password', { params: { path: { id } }, body: {} })));
