import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, ok } from '../api/client';
import type { ApiBody } from '../api/types';
import type { Role } from './roles';

/** GET /api/auth/me: a signed-in user, or (for an API token) its name and role. */
export type MeBody = ApiBody<'/api/auth/me', 'get'>;

/** Who is signed in, as the console shows it. */
export interface Me {
  name: string;
  role: Role;
  scope: { towns: string[]; projects: string[]; city: boolean };
  mustChangePassword: boolean;
}

function toMe(b: MeBody): Me {
  if ('mustChangePassword' in b) return { name: b.user.displayName, role: b.role, scope: b.scope, mustChangePassword: b.mustChangePassword };
  return { name: b.name, role: b.role, scope: b.scope, mustChangePassword: false };
}

export const ME_KEY = ['auth', 'me'] as const;

/** The signed-in user, or null when nobody is signed in (401). */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<Me | null> => {
      try {
        return toMe(await ok(api.GET('/api/auth/me')));
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => ok(api.POST('/api/auth/login', { body })),
    onSuccess: async () => {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      await qc.invalidateQueries({ queryKey: ME_KEY });
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => ok(api.POST('/api/auth/logout')),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(ME_KEY, null);
    },
  });
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { current: string; next: string }) => ok(api.POST('/api/auth/password', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ME_KEY }),
  });
}

/** The user's scope in words: 全市, or the towns / projects. */
export function scopeText(me: Me): string {
  const s = me.scope;
  if (s.city) return '全市';
  const parts = [...s.towns, ...s.projects.map((p) => `项目 ${p}`)];
  return parts.join('、');
}
