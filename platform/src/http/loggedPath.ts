import type { Request } from 'express';

/** Path parameters that hold a record's key: an ID number, say, which is personal data. */
const PERSONAL_PARAMS = new Set(['key']);

/**
 * The path as the request log shows it: a record key in it stays the route's `:key`, so that
 * the log of a get-by-key or a deletion does not hold the person's ID number. Other parameters
 * (a resource code, a grant id) are shown as sent.
 */
export function loggedPath(req: Request): string {
  // the route Express matched; before routing (a request the spec refused), the spec's
  const openapi = (req as { openapi?: { expressRoute?: unknown } }).openapi;
  let route = routeLabel(req);
  if (route === 'unmatched' && typeof openapi?.expressRoute === 'string') {
    route = openapi.expressRoute;
  }
  if (route === 'unmatched') return req.path;
  const template = route.split('/');
  if (!template.some((segment) => PERSONAL_PARAMS.has(segment.slice(1)))) return req.path;
  // segment by segment (req.params is gone by the time an error reaches the log)
  const sent = req.path.split('/');
  if (sent.length !== template.length) return route;
  return template
    .map((segment, i) =>
      segment.startsWith(':') && !PERSONAL_PARAMS.has(segment.slice(1)) ? sent[i] : segment,
    )
    .join('/');
}

/** The route template a request matched, for metric labels with bounded cardinality. */
export function routeLabel(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  return 'unmatched';
}
