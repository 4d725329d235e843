import type { IncomingMessage } from 'node:http';

/** What a request that matched no route is reported under (a 404, a refused URL): never its raw path. */
export const NO_ROUTE = '(unmatched)';

/**
 * The route template a request matched (`/api/cases/:id`), once routed; NO_ROUTE otherwise. The
 * catch-all paths that middleware is mounted on (`{/*splat}`) are not routes: a request that only
 * met those matched nothing.
 */
export function routeTemplate(req: IncomingMessage): string {
  const r = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  const path = r.route?.path;
  return typeof path === 'string' && !path.includes('*') ? `${r.baseUrl ?? ''}${path}` : NO_ROUTE;
}
