/**
 * A service the page depends on did not answer, or answered with a server error. Pages let it
 * reach the error boundary (src/app/error.tsx), which says 服务暂不可用: the visitor can do
 * nothing about it but try again later, and must never see a stack trace.
 */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
  constructor(
    readonly service: string,
    cause?: unknown,
  ) {
    super(`${service} is unavailable`, { cause });
  }
}

/**
 * What a page needs to know of an API answer: the data, "not found" (404, or 400 for a
 * malformed identifier that cannot exist), "refused" (401/403: needs an API key), or — for
 * anything else — the service is unavailable.
 */
export type Outcome<T> =
  | { kind: 'ok'; data: T }
  | { kind: 'not-found' }
  | { kind: 'refused'; status: number }
  | { kind: 'conflict' };

export function outcome<T>(
  service: string,
  result: { data?: T; error?: unknown; response: Response },
): Outcome<T> {
  const { status } = result.response;
  if (result.response.ok && result.data !== undefined) return { kind: 'ok', data: result.data };
  if (status === 404 || status === 400) return { kind: 'not-found' };
  if (status === 401 || status === 403) return { kind: 'refused', status };
  if (status === 409) return { kind: 'conflict' };
  throw new ServiceUnavailableError(service, new Error(`HTTP ${status}`));
}

/** The data of an answer that must succeed (lists, facets): anything else is unavailability. */
export function required<T>(
  service: string,
  result: { data?: T; error?: unknown; response: Response },
): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  throw new ServiceUnavailableError(service, new Error(`HTTP ${result.response.status}`));
}

export type Availability<T> = { ok: true; value: T } | { ok: false };

/**
 * Runs a page's data loading; an unavailable service becomes `{ ok: false }`, for the page to
 * render <ServiceUnavailable /> itself. Error boundaries (error.tsx) are client components that
 * only show after JavaScript has run; this way 服务暂不可用 is in the server's HTML. Every
 * other error (notFound() included) goes on as thrown.
 */
export async function whenAvailable<T>(load: () => Promise<T>): Promise<Availability<T>> {
  try {
    return { ok: true, value: await load() };
  } catch (error) {
    if (error instanceof ServiceUnavailableError) return { ok: false };
    throw error;
  }
}
