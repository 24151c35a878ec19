import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { InputError, type Logger } from '@gx/platform';
import type { LogRecord } from '../../log/RecordLog.ts';
import { defineSink, type DeadLetter, type SinkTask } from '../../runtime/plugin.ts';
import { isSecretRef, type SecretRef } from '../../runtime/secrets.ts';
import {
  deadLetterOf,
  latestByKey,
  loadOptionsSchema,
  objectRecords,
  type ObjectRecord,
} from './sinkRecords.ts';

/** Options of `webhook` (schemas/json/connectors/webhook.schema.json). */
export interface WebhookOptions {
  url: string;
  signingKey: SecretRef;
  batchSize?: number;
  maxAttempts?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
  headers?: Record<string, string | SecretRef>;
}

/**
 * The signing scheme, documented for receivers in the options schema: `sha256=` and the hex
 * HMAC-SHA256, keyed with the shared signing key, of `<timestamp>.<raw body>`. The timestamp
 * is inside the MAC so that a captured request cannot be replayed later with a new one.
 */
export function signWebhook(
  body: string | Buffer,
  timestamp: string | number,
  key: string,
): string {
  const hmac = createHmac('sha256', key).update(`${timestamp}.`).update(body);
  return `sha256=${hmac.digest('hex')}`;
}

export interface VerifyWebhookSignatureOptions {
  /** how far the timestamp may be from now, in seconds; default 300 */
  toleranceS?: number;
  /** now, in Unix seconds (tests) */
  nowS?: number;
}

/**
 * For receivers: true when `signature` (the `X-GX-Signature` header) was made with `key` over
 * this raw body and `timestamp` (the `X-GX-Timestamp` header), and the timestamp lies within
 * the tolerance. Verify the bytes as received, before parsing the JSON.
 */
export function verifyWebhookSignature(
  body: string | Buffer,
  timestamp: string | number,
  signature: string,
  key: string,
  { toleranceS = 300, nowS = Date.now() / 1000 }: VerifyWebhookSignatureOptions = {},
): boolean {
  const ts = String(timestamp);
  if (!/^\d{1,12}$/.test(ts) || Math.abs(nowS - Number(ts)) > toleranceS) return false;
  if (!/^sha256=[0-9a-f]{64}$/.test(signature)) return false;
  const expected = Buffer.from(signWebhook(body, ts, key), 'latin1');
  return timingSafeEqual(expected, Buffer.from(signature, 'latin1'));
}

/** Headers the sink sets itself; the options may not replace them. */
const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'idempotency-key',
  'host',
  'connection',
  'transfer-encoding',
]);

/** Retry-After beyond this is taken as this: a wrong header must not park a task for days. */
const MAX_RETRY_AFTER_MS = 3_600_000;

type Attempt =
  { ok: true } | { ok: false; isRetryable: boolean; failure: string; retryAfterMs?: number };

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const ms = /^\d+$/.test(header.trim())
    ? Number(header.trim()) * 1000
    : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

function networkFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  // Only the error code: a message can carry the address, and the URL can carry a token.
  return code ? `Webhook 无法连接 (${code})` : 'Webhook 请求失败 (网络错误)';
}

interface WebhookTaskSettings {
  connector: string;
  logger: Logger;
  url: string;
  signingKey: string;
  headers: Record<string, string>;
  batchSize: number;
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
}

class WebhookTask implements SinkTask {
  readonly #settings: WebhookTaskSettings;

  constructor(settings: WebhookTaskSettings) {
    this.#settings = settings;
  }

  async write(
    records: readonly LogRecord[],
    { signal }: { signal: AbortSignal },
  ): Promise<{ deadLetters: DeadLetter[] }> {
    const { objects, deadLetters } = objectRecords(records);
    const latest = latestByKey(objects);
    for (let i = 0; i < latest.length; i += this.#settings.batchSize) {
      deadLetters.push(
        ...(await this.#deliver(latest.slice(i, i + this.#settings.batchSize), signal)),
      );
    }
    return { deadLetters };
  }

  /** One request, retried until it succeeds, fails for good or runs out of attempts. */
  async #deliver(items: ObjectRecord[], signal: AbortSignal): Promise<DeadLetter[]> {
    const { maxAttempts, initialBackoffMs, maxBackoffMs } = this.#settings;
    const records = items.map((item) => item.record);
    const body = JSON.stringify({
      records: items.map(({ record: r, value, isTombstone }) => ({
        op: isTombstone ? 'delete' : 'upsert',
        key: r.key,
        value,
        offset: r.offset,
        partition: r.partition,
      })),
    });
    // The same records give the same key, on a retry and on a redelivery cut the same way.
    const idempotencyKey = createHash('sha256')
      .update(records.map((r) => `${r.stream}/${r.partition}/${r.offset}`).join('\n'))
      .digest('hex');
    for (let attempt = 1; ; attempt++) {
      signal.throwIfAborted();
      const result = await this.#attempt(body, idempotencyKey, signal);
      if (result.ok) return [];
      const giveUp = !result.isRetryable || attempt >= maxAttempts;
      this.#settings.logger.warn(
        { connector: this.#settings.connector, attempt, records: records.length, giveUp },
        result.failure,
      );
      if (giveUp) {
        const reason = result.isRetryable
          ? `${result.failure}，已尝试 ${attempt} 次后放弃`
          : `${result.failure}，不可重试`;
        return records.map((r) => deadLetterOf(r, reason, { attempts: String(attempt) }));
      }
      // exponential backoff with full jitter, or longer if the server asked for it
      const ceiling = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (attempt - 1));
      const delay = Math.max(Math.random() * ceiling, result.retryAfterMs ?? 0);
      try {
        await sleep(delay, undefined, { signal });
      } catch (error) {
        signal.throwIfAborted();
        throw error;
      }
    }
  }

  async #attempt(body: string, idempotencyKey: string, signal: AbortSignal): Promise<Attempt> {
    const { url, signingKey, headers, timeoutMs, connector } = this.#settings;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          ...headers,
          'Content-Type': 'application/json',
          'X-GX-Timestamp': timestamp,
          'X-GX-Signature': signWebhook(body, timestamp, signingKey),
          'Idempotency-Key': idempotencyKey,
          'X-GX-Connector': connector,
        },
        body,
        // A redirected POST turns into a GET: an address that moved needs a new configuration.
        redirect: 'manual',
        signal: AbortSignal.any([signal, timeout]),
      });
      // read the answer to the end so that the connection can be reused
      await response.arrayBuffer();
      if (response.ok) return { ok: true };
      const { status } = response;
      const isRetryable = status === 408 || status === 429 || status >= 500;
      return {
        ok: false,
        isRetryable,
        failure: `Webhook 返回 ${status}`,
        retryAfterMs:
          status === 429 || status === 503
            ? retryAfterMs(response.headers.get('retry-after'))
            : undefined,
      };
    } catch (error) {
      signal.throwIfAborted();
      if (timeout.aborted) {
        return { ok: false, isRetryable: true, failure: `Webhook 请求超时 (${timeoutMs} 毫秒)` };
      }
      return { ok: false, isRetryable: true, failure: networkFailure(error) };
    }
  }

  async close(): Promise<void> {}
}

/**
 * POSTs delivered records to the consumer's HTTP endpoint, signed with HMAC-SHA256 (see
 * `verifyWebhookSignature`); retries what can succeed later, dead-letters the rest.
 *
 * Body: `{"records": [{"op", "key", "value", "offset", "partition"}, …]}`, the newest record of
 * each key. `op` is `upsert` (value: the record) or `delete` (a tombstone, ADR 0012: the key's
 * record is gone for the consumer; value: only its key fields as the grant's policy shapes
 * them). A deletion travels in the same signed, retried requests as the upserts, and the
 * receiver removes its copy by `key` (which is what its upserts carried), ignoring a key it
 * does not hold. Receivers written before deletions existed must check `op` before writing.
 */
export const webhookSink = defineSink<WebhookOptions>({
  kind: 'sink',
  type: 'webhook',
  title: 'Webhook 推送',
  optionsSchema: loadOptionsSchema('webhook'),
  async create(options, context) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      const lower = name.toLowerCase();
      if (RESERVED_HEADERS.has(lower) || lower.startsWith('x-gx-')) {
        throw new InputError(`请求头 ${name} 由连接器设置，不能在配置中指定`, [
          { path: `/headers/${name}`, message: '保留的请求头' },
        ]);
      }
      const resolved = isSecretRef(value) ? await context.secrets.resolve(value) : value;
      // HTTP header values are Latin-1 bytes without line breaks (the value is never echoed:
      // it can be a secret)
      if (!/^[\t\u0020-\u007e\u0080-\u00ff]*$/.test(resolved)) {
        throw new InputError(
          `请求头 ${name} 的值含有不允许的字符 (只能用 ASCII/Latin-1，不能换行)`,
          [{ path: `/headers/${name}`, message: '请求头的值无效' }],
        );
      }
      headers[name] = resolved;
    }
    return new WebhookTask({
      connector: context.connector,
      logger: context.logger,
      url: options.url,
      signingKey: await context.secrets.resolve(options.signingKey),
      headers,
      batchSize: options.batchSize ?? 100,
      maxAttempts: options.maxAttempts ?? 6,
      initialBackoffMs: options.initialBackoffMs ?? 500,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      timeoutMs: options.timeoutMs ?? 10_000,
    });
  },
});
