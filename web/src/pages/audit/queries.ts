import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import type { ApiQuery } from '../../api/types';

export type AuditQuery = ApiQuery<'/api/audit', 'get'>;

/** A page of the audit log, newest first, filtered on the server. */
export function useAudit(query: AuditQuery) {
  return useQuery({
    queryKey: ['audit', 'list', query],
    placeholderData: keepPreviousData,
    queryFn: () => ok(api.GET('/api/audit', { params: { query } })),
  });
}
