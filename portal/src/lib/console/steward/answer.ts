import { ServiceUnavailableError } from '../../api/errors.ts';

/** An API answer as a console page or form needs it: the data, or the status and problem. */
export type Answer<T> = { ok: true; data: T } | { ok: false; status: number; problem: unknown };

/**
 * openapi-fetch's result as an Answer. A 5xx is the service being unavailable (the page or
 * the form says 服务暂不可用); every 4xx keeps its problem+json so the person reads the API's
 * own Chinese reason.
 */
export function answerOf<T>(
  service: string,
  result: { data?: T; error?: unknown; response: Response },
): Answer<T> {
  const { status } = result.response;
  if (status >= 500) throw new ServiceUnavailableError(service, new Error(`HTTP ${status}`));
  if (result.response.ok) return { ok: true, data: result.data as T };
  return { ok: false, status, problem: result.error };
}

/** The data of an answer a page cannot do without; anything else is unavailability. */
export function dataOf<T>(service: string, answer: Answer<T>): T {
  if (answer.ok) return answer.data;
  throw new ServiceUnavailableError(service, new Error(`HTTP ${answer.status}`));
}
