import { RepeatingTask, type Logger } from '@gx/platform';
import type { Pool, PoolClient } from 'pg';
import { Gauge, type Registry } from 'prom-client';
import { openCheckpoint, readPublishedKeys, type CheckpointPayload } from './evidenceCheckpoint.ts';
import type { EvidenceLog } from './EvidenceLog.ts';
import { verifyEvidenceChain, type BrokenEvidence } from './verifyEvidenceChain.ts';

/** One verification pass, as `evidence_verifications` keeps it. */
export interface EvidenceVerificationRecord {
  /** when the pass finished */
  checkedAt: string;
  kind: 'full' | 'incremental';
  ok: boolean;
  /** entries walked: all (after an archive anchor), or those after `since` */
  entries: number;
  /** incremental: the walk began after this entry */
  since: string | null;
  /** entries up to this one were archived: no walk looks at them (their files are checked) */
  archivedThrough: string | null;
  /** the chain head the walk went up to */
  head: { seq: string; hash: string };
  firstBroken: BrokenEvidence | null;
  durationMs: number;
}

export interface EvidenceVerificationStatus {
  latest: EvidenceVerificationRecord | null;
  /** the latest full walk that found the chain intact */
  lastFull: EvidenceVerificationRecord | null;
}

export interface EvidenceWatchOptions {
  pool: Pool;
  evidence: Pick<EvidenceLog, 'checkpoint'>;
  logger: Logger;
  /**
   * seconds between scheduled passes (`EVIDENCE_VERIFY_INTERVAL_SECONDS`; 0: none), and how
   * old the latest result may be before `current` runs a pass for its reader (300 when 0)
   */
  intervalSeconds: number;
  /** hours between full walks (`EVIDENCE_FULL_VERIFY_HOURS`; 0: every pass is full) */
  fullEveryHours: number;
}

/** passes of all exchange API processes take turns (pg_advisory_lock) */
const PASS_LOCK = 5_512_007_031;
const DEFAULT_MAX_AGE_SECONDS = 300;

interface VerificationRow {
  id: string;
  checked_at: Date;
  kind: 'full' | 'incremental';
  ok: boolean;
  entries: string;
  since_seq: string | null;
  archived_through_seq: string | null;
  head_seq: string;
  head_hash: string;
  checkpoint: string;
  first_broken: BrokenEvidence | null;
  duration_ms: number;
}

const COLUMNS = `id::text AS id, checked_at, kind, ok, entries::text AS entries, since_seq::text AS since_seq,
  archived_through_seq::text AS archived_through_seq, head_seq::text AS head_seq, head_hash, checkpoint, first_broken, duration_ms`;

const record = (row: VerificationRow): EvidenceVerificationRecord => ({
  checkedAt: row.checked_at.toISOString(),
  kind: row.kind,
  ok: row.ok,
  entries: Number(row.entries),
  since: row.since_seq,
  archivedThrough: row.archived_through_seq,
  head: { seq: row.head_seq, hash: row.head_hash },
  firstBroken: row.first_broken,
  durationMs: row.duration_ms,
});

type Queryable = Pick<Pool | PoolClient, 'query'>;

async function latestRow(db: Queryable, where = 'true'): Promise<VerificationRow | undefined> {
  const { rows } = await db.query<VerificationRow>(
    `SELECT ${COLUMNS} FROM evidence_verifications WHERE ${where}
      ORDER BY checked_at DESC, id DESC LIMIT 1`,
  );
  return rows[0];
}

/**
 * Verifies the evidence chain on a schedule and keeps the results, so that nobody has to walk
 * the whole chain to see its state: the console and `GET /v1/evidence/verification` read the
 * latest pass, and `/metrics` reports it for alerting. A pass walks the whole chain when the
 * last intact full walk is older than `fullEveryHours`, and otherwise only the entries after
 * the head that the last intact pass had signed (`since`), which costs what was appended in
 * between. Every pass first signs the head and requires the chain to still hold it. An
 * incremental pass does not see a change to entries before its start; the daily full walk
 * does. Passes of several processes take turns; a reader that finds no result, or one older
 * than the interval, runs a pass itself.
 */
export class EvidenceWatch {
  readonly #options: EvidenceWatchOptions;
  /** this process's pass in progress: concurrent readers share it */
  #running: Promise<EvidenceVerificationRecord> | undefined;
  readonly #schedule: RepeatingTask;

  constructor(options: EvidenceWatchOptions) {
    this.#options = options;
    this.#schedule = new RepeatingTask({
      pass: () => this.pass(),
      intervalMs: options.intervalSeconds * 1_000,
      // the database may be away: the next pass tries again
      onError: (error) =>
        options.logger.warn({ err: String(error) }, 'evidence verification pass failed'),
    });
  }

  async status(): Promise<EvidenceVerificationStatus> {
    const { pool } = this.#options;
    const [latest, lastFull] = await Promise.all([
      latestRow(pool),
      latestRow(pool, `kind = 'full' AND ok`),
    ]);
    return { latest: latest ? record(latest) : null, lastFull: lastFull ? record(lastFull) : null };
  }

  /** The status with a latest result no older than the interval (a pass runs if needed). */
  async current(): Promise<EvidenceVerificationStatus> {
    const status = await this.status();
    const maxAgeMs = (this.#options.intervalSeconds || DEFAULT_MAX_AGE_SECONDS) * 1_000;
    if (status.latest && Date.now() - Date.parse(status.latest.checkedAt) <= maxAgeMs)
      return status;
    await this.pass();
    return this.status();
  }

  /** Run a pass now (or join the one this process is running). */
  pass(): Promise<EvidenceVerificationRecord> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #pass(): Promise<EvidenceVerificationRecord> {
    const { pool, evidence, logger, fullEveryHours } = this.#options;
    const before = (await latestRow(pool))?.id;
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [PASS_LOCK]);
      try {
        // a pass another process finished while this one waited for the lock answers for both
        const done = await latestRow(client);
        if (done && done.id !== before) return record(done);

        const lastFull = await latestRow(client, `kind = 'full' AND ok`);
        const lastOk = await latestRow(client, 'ok');
        const keys = await readPublishedKeys(client);
        let since: CheckpointPayload | undefined;
        const fullDue =
          !lastFull || Date.now() - lastFull.checked_at.getTime() >= fullEveryHours * 3_600_000;
        if (!fullDue && lastOk) {
          try {
            since = openCheckpoint(lastOk.checkpoint, keys);
          } catch {
            since = undefined; // a key retired and removed since: walk it all
          }
        }
        const started = Date.now();
        const checkpoint = await evidence.checkpoint();
        const { jws, ...head } = checkpoint;
        const result = await verifyEvidenceChain(client, { since, checkpoints: [head] });
        const firstBroken = result.ok ? null : result.firstBroken;
        const { rows } = await client.query<VerificationRow>(
          `INSERT INTO evidence_verifications
             (kind, ok, entries, since_seq, archived_through_seq, head_seq, head_hash, checkpoint,
              first_broken, duration_ms)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           RETURNING ${COLUMNS}`,
          [
            // from a `since` before the archive anchor, the walk covered the whole chain
            result.since ? 'incremental' : 'full',
            result.ok,
            result.entries,
            result.since ?? null,
            result.archived?.throughSeq ?? null,
            result.head.seq,
            result.head.hash,
            jws,
            firstBroken && JSON.stringify(firstBroken),
            Date.now() - started,
          ],
        );
        const stored = record(rows[0]!);
        if (stored.ok) logger.debug({ verification: stored }, 'evidence chain verified');
        else logger.error({ verification: stored }, 'evidence chain BROKEN');
        return stored;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [PASS_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  /** Scheduled passes every `intervalSeconds`, the first one right away; none when 0. */
  start(): void {
    if (this.#options.intervalSeconds > 0) this.#schedule.start(0);
  }

  /** No new scheduled pass starts; resolves once the one under way (if any) has ended. */
  stop(): Promise<void> {
    return this.#schedule.stop();
  }

  /**
   * `gx_evidence_chain_intact` (1 intact, 0 broken), `gx_evidence_verified_head_seq` and
   * `gx_evidence_last_verification_timestamp_seconds`, from the latest pass of any process,
   * labelled with its `kind` (full, incremental); absent before the first pass. Alert on
   * intact = 0 and on a timestamp older than twice the interval.
   */
  registerMetrics(registry: Registry): void {
    let snapshot: { at: number; latest: Promise<EvidenceVerificationRecord | null> } | undefined;
    const latest = () => {
      // one query per scrape for the three gauges
      if (!snapshot || Date.now() - snapshot.at > 1_000) {
        snapshot = {
          at: Date.now(),
          latest: latestRow(this.#options.pool).then(
            (row) => (row ? record(row) : null),
            () => null,
          ),
        };
      }
      return snapshot.latest;
    };
    // labelled with the pass's kind, so that nothing is reported before the first pass (an
    // unlabelled gauge would say 0: "broken")
    const gauge = (name: string, help: string, read: (r: EvidenceVerificationRecord) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['kind'] as const,
        registers: [registry],
        async collect() {
          const found = await latest();
          this.reset();
          if (found) this.set({ kind: found.kind }, read(found));
        },
      });
    gauge(
      'gx_evidence_chain_intact',
      'Whether the latest evidence chain verification found it intact (1) or broken (0)',
      (r) => (r.ok ? 1 : 0),
    );
    gauge(
      'gx_evidence_verified_head_seq',
      'The chain head (entry seq) the latest evidence chain verification went up to',
      (r) => Number(r.head.seq),
    );
    gauge(
      'gx_evidence_last_verification_timestamp_seconds',
      'When the latest evidence chain verification finished (Unix time)',
      (r) => Date.parse(r.checkedAt) / 1_000,
    );
  }
}
