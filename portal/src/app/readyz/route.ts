/**
 * Readiness: the portal serves as soon as it listens. It does not wait for the catalog or the
 * exchange: when they are down its pages say 服务暂不可用 themselves.
 */
export function GET(): Response {
  return Response.json({ status: 'ready', service: 'portal' });
}

export const dynamic = 'force-dynamic';
