import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import type { paths } from '../../api/schema';

type CheckBody = paths['/api/samples/{id}/households/{code}']['put']['requestBody']['content']['application/json'];
type DiscrepancyList = paths['/api/samples/{id}/discrepancies']['get']['responses'][200]['content']['application/json'];
export type Discrepancy = DiscrepancyList[number];

/** A page of samples, newest first (those touching the reader's scope, sized by its part). */
export function useSamples(page: number) {
  return useQuery({
    queryKey: ['sampling', 'list', page],
    placeholderData: keepPreviousData,
    queryFn: () => ok(api.GET('/api/samples', { params: { query: { page, pageSize: 5 } } })),
  });
}

/** A sample's households with the service's rules and the checks recorded so far. */
export function useSample(id: number | null) {
  return useQuery({
    queryKey: ['sampling', 'detail', id],
    enabled: id !== null,
    queryFn: () => ok(api.GET('/api/samples/{id}', { params: { path: { id: id! } } })),
  });
}

/** 漏报 and 误报 of the checked households. */
export function useDiscrepancies(id: number | null) {
  return useQuery({
    queryKey: ['sampling', 'discrepancies', id],
    enabled: id !== null,
    // JSON (the default format; the CSV is a download link).
    queryFn: async () => (await ok(api.GET('/api/samples/{id}/discrepancies', { params: { path: { id: id! } } }))) as DiscrepancyList,
  });
}

export type DrawInput = { seed: string; rate: number } | { seed: string; count: number };

/** Draws a seeded sample (rate or count); the same seed draws the same households. */
export function useDraw() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DrawInput) => ok(api.POST('/api/samples', { body })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['sampling', 'list'] }),
  });
}

/** Records a household's on-site check: the rules found (none: nothing wrong) and a note. */
export function useRecordCheck(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { code: string; rules: string[]; note?: string }) =>
      ok(api.PUT('/api/samples/{id}/households/{code}', { params: { path: { id, code: v.code } }, body: { rules: v.rules as CheckBody['rules'], note: v.note } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['sampling'] }),
  });
}
