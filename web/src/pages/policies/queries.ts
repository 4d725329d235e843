import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';

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
