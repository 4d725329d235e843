import type { UseQueryResult } from '@tanstack/react-query';
import { Button, Empty, Result, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

/** The service's message for a failed request. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return e instanceof Error && e.message ? e.message : '请求失败';
}

/** A failed query as a Result with the service's message and a retry button. */
export function QueryError({ error, retry }: { error: unknown; retry?: () => void }) {
  const status = error instanceof ApiError ? error.status : 0;
  return (
    <Result
      status={status === 403 ? '403' : status === 404 ? '404' : 'error'}
      title={status === 403 ? '无权访问' : status === 404 ? '未找到' : '加载失败'}
      subTitle={errorText(error)}
      extra={retry ? <Button onClick={retry}>重试</Button> : undefined}
    />
  );
}

/**
 * Renders a query's data, or its loading skeleton, error (with retry) or empty state: no page
 * shows a blank area while loading or after a failure.
 */
export function QueryState<T>({ query, empty, children }: { query: UseQueryResult<T>; empty?: (data: T) => boolean; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Skeleton active />;
  if (query.isError) return <QueryError error={query.error} retry={() => void query.refetch()} />;
  if (empty?.(query.data)) return <Empty description="暂无数据" />;
  return <>{children(query.data)}</>;
}
