import type { Writable } from 'node:stream';
import type { Pool } from 'pg';
import {
  canonicalJson,
  DomainError,
  UnauthenticatedError,
  InputError,
  problemType,
  QuotaExceededError,
  recordKey,
  ResyncRequiredError,
  type Problem,
} from '@gx/platform';
import { digestOf } from '../evidence/digestRecords.ts';
import type { OpenedGrant } from '../sharing/openGrant.ts';
import type { ChangeNotifications } from './changeNotifications.ts';
import { chargeDelivery, openForRead } from './readRecords.ts';
import { recordGrantDelivery } from './recordGrantDelivery.ts';
import { horizonOf } from './recordDeletionRetention.ts';
import { currentRecordSchema } from './recordSchemas.ts';

/** records read, delivered and evidenced together */
export const SUBSCRIPTION_BATCH = 500;
/**
 * The grant is re-read this often even without a notification: a revocation, suspension or
 * expiry ends the stream within a second on every process, even if a notification was missed
 * (DESIGN §5: "on running streams within one second").
 */
export const GRANT_RECHECK_MS = 500;
/** an SSE comment this often keeps proxies and load balancers from closing an idle stream */
export const HEARTBEAT_MS = 15_000;
/** how long a stream whose client no longer reads may take to flush its final event */
const FINAL_FLUSH_MS = 1_000;
const MAX_EVENT_ID = 2n ** 63n - 1n;

export type SubscriptionEnd = 'closed' | 'refused' | 'shutdown' | 'failed';

/** what every consumer read starts from: the caller, the grant, the purpose, the request hash */
type ReadContext = Parameters<typeof openForRead>[0];

export interface SubscribeRecordsOptions extends ReadContext {
  notifications: ChangeNotifications;
  /** resume after this event (SSE `Last-Event-ID`: a change sequence number) */
  lastEventId?: string;
  /** without `lastEventId`: changes from now on (default), or every current record first */
  from?: 'now' | 'beginning';
  out: Writable;
  /** aborted when the client goes away */
  signal: AbortSignal;
  /** polled with the grant re-check: the process is shutting down, end so the client reconnects elsewhere */
  isStopping?: () => boolean;
  /** the compact JWS of an evidence receipt, sent to the client after each batch */
  receiptJws(receipt: unknown): string | undefined;
  /** called once the grant is open, before the first byte: set the headers here */
  onStart(): void;
}

export interface SubscriptionResult {
  end: SubscriptionEnd;
  /** records delivered */
  delivered: number;
  /** what broke the stream, when `end` is `failed` */
  error?: unknown;
}

interface ChangeRow {
  seq: string;
  /** null when the grant's row filter excludes the record, or for a removal */
  data: Record<string, unknown> | null;
  /**
   * a deletion the grant could see (ADR 0012): the record's key fields as its policy shaped
   * them; null for a change
   */
  removed: Record<string, unknown> | null;
  /**
   * the grant's deletion horizon (`record_deletion_grant_horizons`), null when no deletion it
   * could see was purged
   */
  horizonSeq: string | null;
  horizonThrough: Date | null;
}

function parseEventId(value: string): bigint {
  const id = /^[0-9]{1,19}$/.test(value) ? BigInt(value) : -1n;
  if (id < 0n || id > MAX_EVENT_ID) {
    throw new InputError('Last-Event-ID 无效', [
      { path: 'Last-Event-ID', message: '应为上次收到的事件编号（非负整数）' },
    ]);
  }
  return id;
}

function sseEvent(event: string, data: unknown, id?: string): string {
  // canonical JSON has no raw line breaks, so the data is one `data:` line
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${canonicalJson(data)}\n\n`;
}

/**
 * The final event of a refused stream: named after the grant's status when that is the reason,
 * `resync` when the stream fell behind the deletions' retention.
 */
function refusalEvent(error: DomainError): string {
  const status = error instanceof ResyncRequiredError ? 'resync' : error.extensions.grantStatus;
  const problem: Problem = {
    ...error.extensions,
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    detail: error.message,
  };
  // a spent quota comes back at midnight: a client that reconnects on its own (EventSource)
  // waits until then instead of being refused every second
  if (error instanceof QuotaExceededError) {
    problem.retryAfterSeconds = error.retryAfterSeconds;
    return `retry: ${error.retryAfterSeconds * 1000}\n${sseEvent('refused', problem)}`;
  }
  return sseEvent(typeof status === 'string' ? status : 'refused', problem);
}

/** the records a spent records-per-day quota still lets out today (`remaining` of its problem) */
function quotaLeft(error: DomainError): number {
  const remaining = error instanceof QuotaExceededError ? error.extensions.remaining : undefined;
  return typeof remaining === 'number' && remaining > 0 ? remaining : 0;
}

const FAILED_EVENT = sseEvent('error', {
  type: problemType('unavailable'),
  title: '服务暂不可用',
  status: 503,
  detail: '订阅中断，请稍后携带 Last-Event-ID 重新连接，不会遗漏数据',
} satisfies Problem);

/**
 * 订阅: the records of a granted resource as Server-Sent Events — first the changes after the
 * client's position (`Last-Event-ID`, or every current record with `from=beginning`), then live
 * changes as providers write them. Each record passes the grant's row filter (in SQL) and is
 * shaped by its policy (fields, masks); its event id is its change sequence number, so a client
 * resumes exactly where it stopped: nothing skipped, nothing twice. Each batch is one evidence
 * entry (record count, digest of the delivered data, event id range), appended before the batch
 * is sent, followed by an `event: receipt` carrying the signed receipt.
 *
 * The grant is re-checked when PostgreSQL notifies a change of it and every 500 ms regardless;
 * a refusal (revoked, suspended, expired, purpose withdrawn…) is evidence, sent as a final event
 * named after the status, and ends the response. Resolves when the stream has ended; only a
 * refusal before the first byte is thrown (answered as problem+json).
 */
export async function subscribeRecords(
  options: SubscribeRecordsOptions,
): Promise<SubscriptionResult> {
  const { pool, notifications, out, signal } = options;
  const resumeAfter =
    options.lastEventId === undefined ? undefined : parseEventId(options.lastEventId);
  let opened = await openForRead(options, 'subscription');
  const { keyFields } = await currentRecordSchema(options.prisma, opened.resourceId);
  // Deletions older than the retention are purged (ADR 0012): a client resuming from before
  // the purged ones may hold a record whose removal it can no longer be told of
  const atStart = await horizonOf(pool, opened.resourceId, opened.grantId);
  if (resumeAfter !== undefined && resumeAfter < atStart.seq) throw resyncRequired(resumeAfter);
  // a position beyond every event of the resource was never sent: resuming there would skip
  // the changes up to it unseen
  const latest = await latestChange(pool, opened.resourceId);
  if (resumeAfter !== undefined && resumeAfter > latest) {
    throw new InputError('Last-Event-ID 无效', [
      {
        path: 'Last-Event-ID',
        message: `不是本资源发出过的事件编号（最新为 ${latest}）：请用上次收到的事件编号，或不带 Last-Event-ID 重新订阅`,
      },
    ]);
  }
  let position = resumeAfter ?? (options.from === 'beginning' ? 0n : latest);

  let ended: SubscriptionEnd | undefined;
  let started = false;
  let failure: unknown;
  let delivered = 0;
  let wantDrain = true;
  let wake = () => {};
  const poke = () => wake();
  let ticker: NodeJS.Timeout | undefined = undefined;
  let unsubscribe = () => {};
  /** the batch being evidenced and handed to the socket: the final event waits for it */
  let inflight: Promise<unknown> = Promise.resolve();
  let resolveEnded!: () => void;
  const whenEnded = new Promise<void>((resolve) => (resolveEnded = resolve));

  const finish = (end: SubscriptionEnd, finalEvent?: string, error?: unknown) => {
    if (ended) return;
    ended = end;
    failure = error;
    clearInterval(ticker);
    unsubscribe();
    poke();
    void inflight
      .catch(() => undefined)
      .then(() => {
        if (!out.destroyed && !out.writableEnded) {
          if (finalEvent) out.write(finalEvent);
          out.end();
          // a client that stopped reading must not keep the stream (or a revoked grant's data
          // in its buffer) alive
          setTimeout(() => {
            if (!out.writableFinished) out.destroy();
          }, FINAL_FLUSH_MS).unref();
        }
        resolveEnded();
      });
  };

  let checking = false;
  let checkAgain = false;
  async function recheck(): Promise<void> {
    if (ended || !started) return;
    if (checking) {
      checkAgain = true;
      return;
    }
    checking = true;
    try {
      do {
        checkAgain = false;
        // the token that opened the stream vouches for the caller only until it expires
        const expiresAt = 'expiresAt' in options.actor ? options.actor.expiresAt : undefined;
        if (expiresAt !== undefined && Date.now() >= expiresAt)
          throw new UnauthenticatedError('访问令牌已过期：请用新令牌带 Last-Event-ID 重新订阅');
        opened = await openForRead(options, 'subscription');
      } while (checkAgain && !ended);
    } catch (error) {
      if (error instanceof DomainError) finish('refused', refusalEvent(error));
      else finish('failed', FAILED_EVENT, error);
    } finally {
      checking = false;
    }
  }

  async function deliver(rows: ChangeRow[]): Promise<void> {
    const events = rows.map((row) => {
      if (row.removed) {
        const data = { key: recordKey(row.removed, keyFields) ?? null };
        return { id: row.seq, event: 'removed', data };
      }
      const record = opened.policy.shape(row.data!);
      const data = { key: recordKey(record, keyFields) ?? null, record };
      return { id: row.seq, event: 'record', data };
    });
    const records = events.filter((e) => e.event === 'record').length;
    try {
      // a grant's records-per-day quota counts deliveries: over it, the stream ends (a refusal);
      // a removal hands out no data and is not counted
      if (records > 0) await chargeDelivery(options, opened, 'subscription', records);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // what the day's quota still allows goes out first, in order; the rest of the batch then
      // meets the spent quota, and that refusal (remaining 0) ends the stream
      let refusal = error;
      const left = quotaLeft(error);
      if (left > 0) {
        let seen = 0;
        const upTo = events.findIndex((e) => e.event === 'record' && ++seen === left);
        try {
          await chargeDelivery(options, opened, 'subscription', left);
          await send(events.slice(0, upTo + 1));
          await chargeDelivery(options, opened, 'subscription', records - left);
          // the day turned meanwhile: the rest goes out as well
          await send(events.slice(upTo + 1));
          return;
        } catch (again) {
          if (!(again instanceof DomainError)) throw again;
          refusal = again;
        }
      }
      finish('refused', refusalEvent(refusal));
      return;
    }
    await send(events);
  }

  /** evidence for the events, then the events and their receipt on the stream */
  async function send(events: { id: string; event: string; data: unknown }[]): Promise<void> {
    const removed = events.filter((e) => e.event === 'removed').length;
    const firstEventId = events[0]!.id;
    const lastEventId = events.at(-1)!.id;
    const receipt = await recordGrantDelivery(options, opened, {
      operation: 'subscription-delivery',
      recordCount: events.length,
      // over the events' data, one line each: what a client can recompute from what it parsed
      deliveredDigest: digestOf(events.map((e) => e.data)),
      details: { firstEventId, lastEventId, ...(removed > 0 ? { removed } : {}) },
    });
    let chunk = events.map((e) => sseEvent(e.event, e.data, e.id)).join('');
    const jws = options.receiptJws(receipt);
    if (jws) {
      chunk += sseEvent('receipt', { firstEventId, lastEventId, recordCount: events.length, jws });
    }
    delivered += events.length;
    if (!out.destroyed && !out.writableEnded && !out.write(chunk)) await drained(out, whenEnded);
  }

  async function drainChanges(): Promise<void> {
    for (;;) {
      const rows = await changesAfter(pool, opened, position);
      if (ended || rows.length === 0) return;
      // A stream that lags by more than the retention: a purge since it started reached
      // deletions made after it started, and some beyond its position may be gone unheard. The
      // horizon is read in the same statement (snapshot) as the rows: a purge it does not show
      // has left the deletions in them.
      const horizon = rows[0]!;
      if (
        horizon.horizonSeq !== null &&
        horizon.horizonThrough!.getTime() >= atStart.now &&
        position < BigInt(horizon.horizonSeq)
      ) {
        finish('refused', refusalEvent(resyncRequired(position)));
        return;
      }
      const visible = rows.filter((row) => row.data !== null || row.removed !== null);
      if (visible.length > 0) {
        inflight = deliver(visible);
        await inflight;
      }
      // rows the filter hides move the position on as well, so they are not read again
      position = BigInt(rows.at(-1)!.seq);
      if (ended || rows.length < SUBSCRIPTION_BATCH) return;
    }
  }

  // Listen before the first read: a change committed after it wakes the stream, one committed
  // before it is read by it.
  unsubscribe = await notifications.subscribe({
    resourceId: opened.resourceId,
    grantId: opened.grantId,
    onRecords() {
      wantDrain = true;
      poke();
    },
    onGrant: () => void recheck(),
    onResync() {
      wantDrain = true;
      poke();
      void recheck();
    },
  });

  options.onStart();
  started = true;
  out.write(
    `retry: 1000\n${sseEvent('ready', { grantId: opened.grantId, resourceCode: opened.resourceCode }, String(position))}`,
  );

  let ticks = 0;
  const heartbeatEvery = Math.round(HEARTBEAT_MS / GRANT_RECHECK_MS);
  ticker = setInterval(() => {
    ticks += 1;
    if (options.isStopping?.()) {
      finish('shutdown');
      return;
    }
    void recheck();
    // without a listening connection nothing wakes the stream: poll; with one, poll slowly
    // as well (with the heartbeat), which costs one indexed query
    if (!notifications.isListening || ticks % heartbeatEvery === 0) {
      wantDrain = true;
      poke();
    }
    if (ticks % heartbeatEvery === 0 && !out.writableNeedDrain && !out.writableEnded) {
      out.write(': heartbeat\n\n');
    }
  }, GRANT_RECHECK_MS);
  ticker.unref();
  const onAbort = () => finish('closed');
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });

  try {
    while (!ended) {
      if (!wantDrain) await new Promise<void>((resolve) => (wake = resolve));
      if (ended) break;
      wantDrain = false;
      await drainChanges();
    }
  } catch (error) {
    finish('failed', FAILED_EVENT, error);
  }
  signal.removeEventListener('abort', onAbort);
  await whenEnded;
  return { end: ended!, delivered, error: failure };
}

function resyncRequired(after: bigint): ResyncRequiredError {
  return new ResyncRequiredError(
    `事件 ${after} 之后的部分删除通知已超过保留期被清除，无法从该位置续传：请不带 Last-Event-ID、以 from=beginning 重新订阅，并以收到的记录替换本地副本`,
    { lastEventId: after.toString() },
  );
}

/**
 * The resource's latest change, deletion or purged deletion: where a stream "from now" starts
 * (never below the retention's horizon, so that its ids stay resumable).
 */
async function latestChange(pool: Pool, resourceId: string): Promise<bigint> {
  const { rows } = await pool.query<{ seq: string }>(
    `SELECT greatest(
              (SELECT max(change_seq) FROM records WHERE resource_id = $1::uuid),
              (SELECT max(change_seq) FROM record_deletions WHERE resource_id = $1::uuid),
              (SELECT purged_through_seq FROM record_deletion_horizons
                WHERE resource_id = $1::uuid),
              0)::text AS seq`,
    [resourceId],
  );
  return BigInt(rows[0]!.seq);
}

/**
 * The next changes after `position`, in change order, the data only of rows the grant's row
 * filter admits (evaluated in SQL with the records API's semantics: NULL is not TRUE), merged
 * with the deletions, `removed` only for records this grant could see (ADR 0012): the hidden
 * ones move the position on as well, so a live stream is never left below a deletion that the
 * retention will purge (it would have to resynchronise). Each row carries the grant's
 * retention horizon. Writers of a resource are serialised (see the migrations), so
 * no smaller number commits behind a read.
 */
async function changesAfter(
  pool: Pool,
  opened: OpenedGrant,
  position: bigint,
): Promise<ChangeRow[]> {
  const where = opened.policy.where({ column: 'data', firstParam: 3 });
  const grantParam = `$${3 + where.params.length}`;
  const { rows } = await pool.query<ChangeRow>(
    `SELECT seq, data, removed, hz.purged_through_seq::text AS "horizonSeq",
            hz.deleted_through AS "horizonThrough" FROM (
       (SELECT change_seq, change_seq::text AS seq, CASE WHEN ${where.sql} THEN data END AS data,
               NULL::jsonb AS removed
          FROM records
         WHERE resource_id = $1::uuid AND change_seq > $2::bigint
         ORDER BY change_seq
         LIMIT ${SUBSCRIPTION_BATCH})
       UNION ALL
       (SELECT change_seq, change_seq::text AS seq, NULL AS data, grants -> ${grantParam}::text AS removed
          FROM record_deletions
         WHERE resource_id = $1::uuid AND change_seq > $2::bigint
         ORDER BY change_seq
         LIMIT ${SUBSCRIPTION_BATCH})) AS changes
       LEFT JOIN record_deletion_grant_horizons hz
              ON hz.resource_id = $1::uuid AND hz.grant_id = ${grantParam}::uuid
      ORDER BY change_seq
      LIMIT ${SUBSCRIPTION_BATCH}`,
    [opened.resourceId, position.toString(), ...where.params, opened.grantId],
  );
  return rows;
}

/** Wait until the client has taken what is buffered, or the stream ends. */
function drained(out: Writable, ended: Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.once('drain', done);
    out.once('close', done);
    void ended.then(done);
  });
}
