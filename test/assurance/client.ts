/** What the suites look at in an answer. */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
  /** a transport failure (connection reset, timeout): always a finding */
  error?: string;
}

/** Longer than any honest answer of the test fixture; a hang is a finding, not a wait. */
const TIMEOUT_MS = 20_000;

/**
 * Send one request. An event stream (a subscription that opened) is closed at once: it has no
 * end to wait for, and its status line is the answer.
 */
export async function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  try {
    const res = await fetch(url, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const contentType = res.headers.get('content-type') ?? '';
    if (contentType.startsWith('text/event-stream')) {
      await res.body?.cancel();
      return { status: res.status, contentType, text: '' };
    }
    return { status: res.status, contentType, text: await res.text() };
  } catch (error) {
    return { status: 0, contentType: '', text: '', error: (error as Error).message };
  }
}

/**
 * Whether an error answer is what a client may rely on: problem+json with type, title and the
 * same status (RFC 9457), or for the CKAN-compatible API CKAN's own error envelope.
 */
export function wellFormedError(answer: Answer, ckan: boolean): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `not JSON: ${answer.contentType} ${answer.text.slice(0, 80)}`;
  }
  if (ckan) {
    if (!answer.contentType.includes('application/json'))
      return `CKAN error as ${answer.contentType}`;
    if (typeof body === 'string' && body.startsWith('请求错误 - ')) return undefined;
    const envelope = body as { success?: unknown; error?: { __type?: unknown } };
    return envelope?.success === false && typeof envelope.error?.__type === 'string'
      ? undefined
      : 'not a CKAN error envelope';
  }
  if (!answer.contentType.includes('application/problem+json'))
    return `content-type ${answer.contentType}`;
  const problem = body as { type?: unknown; title?: unknown; status?: unknown };
  if (typeof problem?.type !== 'string' || typeof problem.title !== 'string')
    return 'problem without type/title';
  if (problem.status !== answer.status) return `problem status ${String(problem.status)}`;
  if (/\.ts:\d+|at .+\(.+:\d+:\d+\)/.test(answer.text)) return 'leaks a stack trace';
  return undefined;
}
