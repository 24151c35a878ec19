/**
 * Is this error "the database cannot be reached right now" rather than a fault in the request or
 * the code? While PostgreSQL is down or restarting, every query fails with one of these; the
 * answer must be 503 with Retry-After (clients retry, monitoring sees an outage), not 500.
 *
 * The error arrives in many shapes: from `pg` (socket errors, SQLSTATE class 08 and 57P0x,
 * "Connection terminated", the pool's connection timeout) and from Prisma's pg adapter, which
 * wraps them (P1001, P1017, a driver adapter error whose cause has a `kind`). The `cause` chain
 * and AggregateError members are searched.
 */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
// can't reach the server, timed out reaching it, server closed the connection, pool timeout
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|the database system is (shutting down|starting up|in recovery)|terminating connection due to administrator command|Can't reach database server/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 6) return false;
  const e = error as {
    code?: unknown;
    kind?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  if (typeof e.code === 'string') {
    if (SOCKET_CODES.has(e.code) || SQLSTATES.has(e.code) || PRISMA_CODES.has(e.code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(e.code)) return true;
  }
  if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1)))
    return true;
  return (
    isDatabaseUnavailable(e.cause, depth + 1) ||
    isDatabaseUnavailable(e.meta?.driverAdapterError, depth + 1)
  );
}
