import type { Logger } from '@gx/platform';
import type { Pool } from 'pg';
import { inTransaction } from '../log/inTransaction.ts';
import type { ProduceRecord, RecordLog } from '../log/RecordLog.ts';
import { ensureStream } from './enforceBatch.ts';
import type { PgNotifications } from './pgNotifications.ts';
import { EXCHANGE_WRITES, headers, streamNames } from './streamNames.ts';

/**
 * Key of the transaction-level advisory lock (single bigint form) that lets one relay pass run
 * at a time across workers. Arbitrary; distinct from the repository's other fixed keys
 * (migrations 7_312_004_221, demo seeds 4_861_302_117/118, log purge 4_861_302_131).
 */
export const RELAY_LOCK_KEY = 4_861_302_132;

export interface ExchangeWritesRelayOptions {
  pool: Pool;
  log: RecordLog;
  /** streams this process has already created or checked (shared with the runners) */
  ensured: Set<string>;
  notifications: PgNotifications;
  logger: Logger;
  /** outbox rows per pass (default 1 000) */
  batchSize?: number;
  /** look without a notification this often (default 1 000 ms) */
  intervalMs?: number;
}

interface OutboxRow {
  id: string;
  code: string;
  record_key: string;
  /** null for an initial-load marker or a deletion */
  data: ProduceRecord['value'];
  initial_load_grant: string | null;
  /** the record was deleted (ADR 0012): relayed as a tombstone */
  deleted: boolean;
}

/**
 * Moves records written on the exchange side (records API ingestion, objection corrections)
 * from `record_outbox` to their resources' raw streams, where enforcement delivers them to
 * the subscription grants' streams and so to the consumers' sinks, like any record a source
 * connector brought (migration 20261124090000_record_outbox). Initial-load markers of a new
 * sink (no data, the grant in a header) travel the same way (20261124100000_initial_load), and
 * so do deletions: a tombstone, no data, `connect.op: delete` (20261125090000_record_deletions).
 *
 * A pass runs in one transaction holding an advisory lock, so one worker relays at a time and
 * rows leave in id order (per record key, the order their writes committed): read a batch,
 * produce it, delete exactly those rows, commit. A failure rolls the deletion back and the next
 * pass produces the rows again; a crash between the produce and the commit does the same. The
 * raw stream may then hold a record twice, which the store and idempotent sinks absorb.
 */
export class ExchangeWritesRelay {
  readonly #options: ExchangeWritesRelayOptions;
  readonly #batchSize: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #started = false;
  #failing = false;
  readonly #unlisten: () => void;

  /** before the notifications connection starts: it LISTENs on the channels known then */
  constructor(options: ExchangeWritesRelayOptions) {
    this.#options = options;
    this.#batchSize = options.batchSize ?? 1_000;
    this.#unlisten = options.notifications.on('record_outbox', () => this.wake());
  }

  start(): void {
    this.#started = true;
    this.#timer = setInterval(() => this.wake(), this.#options.intervalMs ?? 1_000);
    this.#timer.unref();
    this.wake();
  }

  /** run a pass now, or right after the one under way */
  wake(): void {
    if (!this.#started || this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      // full batches: there may be more behind them
      while (!this.#stopped && (await this.pass()) === this.#batchSize);
      if (this.#failing) this.#options.logger.info('exchange writes relay recovered');
      this.#failing = false;
    } catch (error) {
      // the rows stay in the outbox for the next pass; say so once, not every second
      if (!this.#failing)
        this.#options.logger.warn(
          { err: String(error) },
          'exchange writes relay failed; the records stay in the outbox and are retried',
        );
      this.#failing = true;
    }
  }

  /**
   * One batch from the outbox to the raw streams. Returns how many rows it moved (0 also when
   * another worker's pass holds the lock).
   */
  async pass(): Promise<number> {
    const { pool, log, ensured } = this.#options;
    return inTransaction(pool, async (client) => {
      const { rows: locked } = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1) AS ok',
        [RELAY_LOCK_KEY],
      );
      if (!locked[0]?.ok) return 0;
      const { rows } = await client.query<OutboxRow>(
        `SELECT o.id, r.code, o.record_key, o.data, o.initial_load_grant, o.deleted
           FROM record_outbox o JOIN resources r ON r.id = o.resource_id
          ORDER BY o.id LIMIT $1`,
        [this.#batchSize],
      );
      // one headers object per kind of row: the log encodes each once (copyLogRecords)
      const written = { [headers.connector]: EXCHANGE_WRITES };
      const deleted = { ...written, [headers.op]: 'delete' };
      const markers = new Map<string, Record<string, string>>();
      const markerHeaders = (grant: string) => {
        let h = markers.get(grant);
        if (!h) markers.set(grant, (h = { ...written, [headers.initialLoadGrant]: grant }));
        return h;
      };
      const byStream = new Map<string, ProduceRecord[]>();
      for (const row of rows) {
        const stream = streamNames.raw(row.code);
        let list = byStream.get(stream);
        if (!list) byStream.set(stream, (list = []));
        list.push({
          key: row.record_key,
          value: row.data,
          headers: row.initial_load_grant
            ? markerHeaders(row.initial_load_grant)
            : row.deleted
              ? deleted
              : written,
        });
      }
      for (const [stream, records] of byStream) {
        await ensureStream(log, ensured, stream);
        await log.produce(stream, records);
      }
      if (rows.length > 0)
        await client.query('DELETE FROM record_outbox WHERE id = ANY($1::bigint[])', [
          rows.map((r) => r.id),
        ]);
      return rows.length;
    });
  }

  /** No new pass starts; resolves once the one under way (if any) has ended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#unlisten();
    await this.#running;
  }
}
