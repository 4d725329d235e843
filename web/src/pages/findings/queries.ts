import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import type { ApiQuery } from '../../api/types';

export type FindingsQuery = ApiQuery<'/api/findings', 'get'>;

/** One page of a run's findings (the latest completed run unless runId is given), filtered on the server. */
export function useFindings(query: FindingsQuery) {
  return useQuery({
    queryKey: ['findings', 'list', query],
    queryFn: () => ok(api.GET('/api/findings', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** The towns that have findings (for the town filter). */
export function useFindingTowns() {
  return useQuery({
    queryKey: ['findings', 'counts'],
    queryFn: () => ok(api.GET('/api/findings/counts')),
    select: (c) => Object.keys(c.byTown).filter((t) => t !== '（轮候）').sort(),
  });
}
