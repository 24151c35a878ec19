import type { Pool } from 'pg';
import { inTransaction, RepeatingTask, type Logger } from '@gx/platform';

/** one pass at a time across every exchange-api process (pg_try_advisory_xact_lock) */
const PURGE_LOCK = 1_919_000_012;

export interface PurgeRecordDeletionsResult {
  /** false when another process's pass held the lock: nothing was done */
  ran: boolean;
  /** deletions purged */
  purged: number;
  /** resources whose horizon moved */
  resources: number;
  /** grants whose horizon moved (those that could see a purged deletion) */
  grants: number;
}

/**
 * Purge the `record_deletions` rows older than `retentionHours` (ADR 0012): what a deletion
 * leaves behind — the key, and each grant's shaped key fields — is personal data kept only so
 * that consumers hear of the deletion. Kept whatever their age, so that the tombstones can still
 * be sent:
 * - a deletion whose outbox row the connector relay has not yet moved to the record log, or
 *   whose key a 存量同步 marker waiting there will ask about;
 * - a deletion listing a grant that is suspended (and not expired) and has connector sinks: its
 *   resumption queues a 存量同步 that answers the deleted key with a tombstone, however long the
 *   suspension lasted. Revoking the grant, its expiry or removing its sinks lets it go.
 *
 * Each grant's horizon becomes the highest change number purged among the deletions that listed
 * it: an SSE subscriber of that grant resuming from below it is told to resynchronise
 * (`horizonOf`), since a removal it has not heard of may be gone; a grant that could see none of
 * them is not. The resource's horizon (every deletion purged) is where a stream "from now"
 * starts, at or above every grant's. Deletions are purged in change order within a resource only approximately (a long
 * transaction's deletion can be numbered after a younger one), which errs on the side of a
 * resynchronisation, never of a missed removal.
 */
export async function purgeRecordDeletions(
  pool: Pool,
  { retentionHours }: { retentionHours: number },
): Promise<PurgeRecordDeletionsResult> {
  return inTransaction(pool, async (client) => {
    const { rows: lock } = await client.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_xact_lock($1) AS ok',
      [PURGE_LOCK],
    );
    if (!lock[0]?.ok) return { ran: false, purged: 0, resources: 0, grants: 0 };
    const { rows } = await client.query<{ purged: number; resources: number; grants: number }>(
      `WITH purged AS (
         DELETE FROM record_deletions d
          WHERE d.deleted_at < now() - make_interval(hours => $1::int)
            AND NOT EXISTS (SELECT 1 FROM record_outbox o
                             WHERE o.resource_id = d.resource_id AND o.record_key = d.record_key
                               AND (o.deleted OR o.initial_load_grant IS NOT NULL))
            AND NOT EXISTS (SELECT 1 FROM grants g
                             WHERE g.resource_id = d.resource_id AND d.grants ? g.id::text
                               AND g.status = 'suspended'
                               AND (g.valid_until IS NULL OR g.valid_until > now())
                               AND EXISTS (SELECT 1 FROM connectors c
                                            WHERE c.kind = 'sink' AND c.grant_id = g.id))
         RETURNING d.resource_id, d.change_seq, d.deleted_at, d.grants),
       horizons AS (
         INSERT INTO record_deletion_horizons AS h
                (resource_id, purged_through_seq, deleted_through)
         SELECT resource_id, max(change_seq), max(deleted_at) FROM purged GROUP BY resource_id
         ON CONFLICT (resource_id) DO UPDATE
           SET purged_through_seq = greatest(h.purged_through_seq, EXCLUDED.purged_through_seq),
               deleted_through = greatest(h.deleted_through, EXCLUDED.deleted_through),
               purged_at = now()
         RETURNING 1),
       grant_horizons AS (
         INSERT INTO record_deletion_grant_horizons AS h
                (resource_id, grant_id, purged_through_seq, deleted_through)
         SELECT p.resource_id, g.id, max(p.change_seq), max(p.deleted_at)
           FROM purged p
           CROSS JOIN LATERAL jsonb_object_keys(p.grants) AS k(grant_id)
           JOIN grants g ON g.id::text = k.grant_id
          GROUP BY p.resource_id, g.id
         ON CONFLICT (resource_id, grant_id) DO UPDATE
           SET purged_through_seq = greatest(h.purged_through_seq, EXCLUDED.purged_through_seq),
               deleted_through = greatest(h.deleted_through, EXCLUDED.deleted_through),
               purged_at = now()
         RETURNING 1)
       SELECT (SELECT count(*) FROM purged)::int AS purged,
              (SELECT count(*) FROM horizons)::int AS resources,
              (SELECT count(*) FROM grant_horizons)::int AS grants`,
      [retentionHours],
    );
    return { ran: true, ...rows[0]! };
  });
}

export interface DeletionHorizon {
  /** the highest change number purged (0 when nothing was): a resume from below it resyncs */
  seq: bigint;
  /** the latest deletion time purged (epoch ms, 0 when none) */
  deletedThrough: number;
  /** the database's clock when this was read (epoch ms) */
  now: number;
}

/**
 * How far the retention has purged the deletions of a resource that a grant could see
 * (`purgeRecordDeletions`).
 */
export async function horizonOf(
  pool: Pool,
  resourceId: string,
  grantId: string,
): Promise<DeletionHorizon> {
  const { rows } = await pool.query<{ seq: string | null; through: Date | null; now: Date }>(
    `SELECT h.purged_through_seq::text AS seq, h.deleted_through AS through, now() AS now
       FROM (SELECT 1) AS one
       LEFT JOIN record_deletion_grant_horizons h
              ON h.resource_id = $1::uuid AND h.grant_id = $2::uuid`,
    [resourceId, grantId],
  );
  const row = rows[0]!;
  return {
    seq: row.seq === null ? 0n : BigInt(row.seq),
    deletedThrough: row.through?.getTime() ?? 0,
    now: row.now.getTime(),
  };
}

export interface RecordDeletionRetentionOptions {
  pool: Pool;
  logger: Logger;
  /** `RECORD_DELETION_RETENTION_HOURS` */
  retentionHours: number;
  /** `RECORD_DELETION_PURGE_INTERVAL_SECONDS` (0: no scheduled passes) */
  intervalSeconds: number;
}

/**
 * Runs `purgeRecordDeletions` on a schedule, the first pass a minute after start-up (not at
 * once: a fleet restarting together should not all purge at the same moment); passes of several
 * processes exclude each other.
 */
export class RecordDeletionRetention {
  readonly #options: RecordDeletionRetentionOptions;
  readonly #schedule: RepeatingTask;

  constructor(options: RecordDeletionRetentionOptions) {
    this.#options = options;
    this.#schedule = new RepeatingTask({
      pass: () => this.pass(),
      intervalMs: options.intervalSeconds * 1_000,
      // the database may be away: the next pass tries again, and nothing is lost meanwhile
      onError: (error) =>
        options.logger.warn({ err: String(error) }, 'record deletion retention pass failed'),
    });
  }

  start(): void {
    if (this.#options.intervalSeconds > 0)
      this.#schedule.start(Math.min(60_000, this.#options.intervalSeconds * 1_000));
  }

  async pass(): Promise<PurgeRecordDeletionsResult> {
    const { pool, logger, retentionHours } = this.#options;
    const result = await purgeRecordDeletions(pool, { retentionHours });
    // counts only: the keys are what the purge exists to forget
    if (result.purged > 0)
      logger.info(
        {
          purged: result.purged,
          resources: result.resources,
          grants: result.grants,
          retentionHours,
        },
        'record deletion retention purged deleted keys',
      );
    return result;
  }

  stop(): Promise<void> {
    return this.#schedule.stop();
  }
}
