import type pg from 'pg';
import { streamKindOf, type StreamKind } from './streamKind.ts';

export interface PurgeLogOptions {
  /** raw and delivery streams (and any other stream): records older than this may go */
  retentionHours: number;
  /** dead-letter streams (`gx.dlq.*`): operators need longer to look at them */
  deadLetterRetentionHours: number;
  /** rows per DELETE statement; default 10 000 */
  chunkSize?: number;
}

export interface PurgedStream {
  stream: string;
  kind: StreamKind;
  records: number;
}

export type PurgeResult =
  | { skipped: true }
  | {
      skipped: false;
      /** streams that lost records in this pass, by name */
      streams: PurgedStream[];
      total: number;
    };

/**
 * Key of the session-level advisory lock (single bigint form) that lets one purge pass run at
 * a time across processes. Arbitrary; beside the other fixed keys of the repository
 * (migrations 7_312_004_221, demo seeds 4_861_302_117/118) and distinct from them.
 */
export const PURGE_LOCK_KEY = 4_861_302_131;

const DEFAULT_CHUNK = 10_000;

/**
 * Where the purge of one partition must stop, by the consumer groups: below the smallest
 * offset any reading group committed there, 0 when a reading group has not committed there
 * (it would start at the earliest record), NULL when no group reads the stream. A group reads
 * a stream when it committed an offset in it or has a member (live or expired) that reads it.
 */
const GROUP_FLOOR = `
  readers AS (
    SELECT group_name FROM log_group_offsets WHERE stream_id = $1
    UNION
    SELECT group_name FROM log_group_members WHERE $1 = ANY(stream_ids)),
  floor AS (
    SELECT CASE WHEN bool_or(o.committed_offset IS NULL) THEN 0
                ELSE min(o.committed_offset) END AS below
      FROM readers g
      LEFT JOIN log_group_offsets o
        ON o.group_name = g.group_name AND o.stream_id = $1 AND o.partition = $2)`;

/**
 * A row when the partition's first stored record may be deleted. One index probe: the first
 * record is looked at alone, never searched for (filtering the scan by `produced_at` would read
 * a whole partition of young records to find none).
 */
const FIRST_DELETABLE = `
  WITH ${GROUP_FLOOR},
  first AS (
    SELECT record_offset, produced_at FROM log_records
     WHERE stream_id = $1 AND partition = $2
     ORDER BY record_offset
     LIMIT 1)
  SELECT 1 FROM first
   WHERE record_offset < COALESCE((SELECT below FROM floor), 9223372036854775807)
     AND produced_at < now() - $3::float8 * interval '1 hour'`;

/**
 * Delete the partition's oldest records, at most $4: the run from its first record up to (not
 * including) the first one that is young enough or that a group still needs. Only ever a prefix
 * of the partition goes, so what is stored stays a dense range of offsets: records are
 * appended roughly in `produced_at` order, but two producers' clocks (transaction start) may
 * interleave, and stopping at the first young record keeps a slightly older one after it rather
 * than leaving a hole. The chunk reads the head of the partition in primary-key order, so the
 * statement touches at most $4 rows whatever the partition holds.
 */
const DELETE_CHUNK = `
  WITH ${GROUP_FLOOR},
  head AS (
    SELECT record_offset, produced_at FROM log_records
     WHERE stream_id = $1 AND partition = $2
       AND record_offset < COALESCE((SELECT below FROM floor), 9223372036854775807)
     ORDER BY record_offset
     LIMIT $4),
  young AS (
    SELECT min(record_offset) AS at FROM head
     WHERE produced_at >= now() - $3::float8 * interval '1 hour'),
  gone AS (
    DELETE FROM log_records r USING head h
     WHERE r.stream_id = $1 AND r.partition = $2 AND r.record_offset = h.record_offset
       AND h.record_offset < COALESCE((SELECT at FROM young), 9223372036854775807)
    RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

/**
 * One retention pass over the PostgreSQL record log (docs/adr/0006-record-log.md, Retention): in
 * every partition, delete the records older than their stream's retention that no consumer
 * group still needs, in chunks of at most `chunkSize` rows per statement (each its own
 * transaction), so that no statement holds locks long or writes much WAL at once.
 *
 * Only one pass runs at a time across processes: the pass takes a session-level advisory lock
 * on a connection of its own and reports `skipped` when another process holds it.
 *
 * Why this does not race the log's other writers:
 * - producers only append at the end offset, and new records are younger than the cutoff;
 * - commits only move a group's offset forward, so a floor read a moment ago stays valid;
 * - an offset reset (`resetOffsets`) can move a stopped group backwards, below records this
 *   pass is deleting; the group then finds its first offsets gone and, like a Kafka consumer
 *   whose committed offset was purged, reads from the first record still stored
 *   (`PostgresConsumer` skips forward to it). Those records were past retention and already
 *   committed by every reading group.
 */
export async function purgePostgresLog(
  pool: pg.Pool,
  { retentionHours, deadLetterRetentionHours, chunkSize = DEFAULT_CHUNK }: PurgeLogOptions,
): Promise<PurgeResult> {
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    const { rows: lock } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1) AS locked',
      [PURGE_LOCK_KEY],
    );
    if (!lock[0]!.locked) return { skipped: true };
    try {
      const { rows: partitions } = await client.query<{
        stream_id: number;
        name: string;
        partition: number;
      }>(
        `SELECT s.id AS stream_id, s.name, p.partition
           FROM log_streams s JOIN log_partitions p ON p.stream_id = s.id
          ORDER BY s.name, p.partition`,
      );
      const purged = new Map<string, PurgedStream>();
      for (const { stream_id: streamId, name, partition } of partitions) {
        const kind = streamKindOf(name);
        const hours = kind === 'dead-letter' ? deadLetterRetentionHours : retentionHours;
        const params = [streamId, partition, hours];
        const { rowCount } = await client.query(FIRST_DELETABLE, params);
        if (!rowCount) continue;
        let deleted = 0;
        for (;;) {
          const { rows } = await client.query<{ n: number }>(DELETE_CHUNK, [...params, chunkSize]);
          deleted += rows[0]!.n;
          // a short chunk met a young record, a group's floor or the end of the partition
          if (rows[0]!.n < chunkSize) break;
        }
        if (deleted === 0) continue;
        const entry = purged.get(name) ?? { stream: name, kind, records: 0 };
        entry.records += deleted;
        purged.set(name, entry);
      }
      const streams = [...purged.values()];
      return { skipped: false, streams, total: streams.reduce((sum, s) => sum + s.records, 0) };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PURGE_LOCK_KEY]);
    }
  } catch (error) {
    failed = error as Error;
    throw error;
  } finally {
    // a connection that failed mid-pass may still hold the lock: do not hand it back to the pool
    client.release(failed);
  }
}
