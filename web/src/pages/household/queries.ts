import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';

/** The household as the registry holds it: lease, unit, members (ID numbers masked). */
export function useHousehold(code: string) {
  return useQuery({ queryKey: ['household', code, 'detail'], queryFn: () => ok(api.GET('/api/households/{code}', { params: { path: { code } } })) });
}

/**
 * The same with ID numbers in clear, for a stated purpose (audited by the service). Never kept
 * in the cache once the page leaves it.
 */
export function useRevealedHousehold(code: string, purpose: string | null) {
  return useQuery({
    queryKey: ['household', code, 'revealed', purpose],
    enabled: !!purpose,
    gcTime: 0,
    staleTime: Infinity,
    retry: false,
    queryFn: () => ok(api.GET('/api/households/{code}', { params: { path: { code }, query: { reveal: 'true', purpose: purpose! } } })),
  });
}

/** The household's verdict in the latest completed run: each finding with its evidence. */
export function useVerdict(code: string) {
  return useQuery({ queryKey: ['household', code, 'verdict'], queryFn: () => ok(api.GET('/api/households/{code}/verdict', { params: { path: { code } } })) });
}

/** The household's cases (newest first as the service lists them) and the detail of the first. */
export function useHouseholdCase(code: string) {
  const list = useQuery({
    queryKey: ['household', code, 'cases'],
    queryFn: () => ok(api.GET('/api/cases', { params: { query: { householdCode: code, pageSize: 20 } } })),
  });
  const id = list.data?.items[0]?.id;
  const detail = useQuery({
    queryKey: ['cases', 'detail', id],
    enabled: !!id,
    queryFn: () => ok(api.GET('/api/cases/{id}', { params: { path: { id: id! } } })),
  });
  return { list, detail };
}

/** Source names → their Chinese labels (民政, 不动产登记, ...). */
export function useSourceLabels() {
  return useQuery({
    queryKey: ['sources', 'list'],
    queryFn: () => ok(api.GET('/api/sources')),
    select: (rows) => Object.fromEntries(rows.map((s) => [s.source, s.label])) as Record<string, string>,
    staleTime: 5 * 60_000,
  });
}

/** The household's rules in each of the latest completed runs, newest first (历次核查). */
export function useHistory(code: string) {
  return useQuery({ queryKey: ['household', code, 'history'], queryFn: () => ok(api.GET('/api/households/{code}/history', { params: { path: { code } } })) });
}
