import { randomUUID, type KeyObject } from 'node:crypto';
import { UnavailableError, type Logger } from '@gx/platform';
import type { Pool, QueryResult } from 'pg';
import {
  evidenceHash,
  type EvidenceEntry,
  type EvidenceInput,
  type EvidenceReceipt,
} from './evidenceEntry.ts';
import {
  CHECKPOINT_TYPE,
  readChainHead,
  type CheckpointPayload,
  type EvidenceCheckpoint,
} from './evidenceCheckpoint.ts';
import { readArchiveAnchor } from './archiveAnchor.ts';
import { EVIDENCE_COLUMNS, evidenceFromRow, type EvidenceRow } from './evidenceRow.ts';
import { normaliseEvidenceInput, type NormalisedEvidence } from './normaliseEvidenceInput.ts';
import { ReceiptSigner, type ReceiptPublicJwk } from './ReceiptSigner.ts';

export interface EvidenceLogOptions {
  /** the process's pool; a batch borrows one connection for a few milliseconds */
  pool: Pool;
  logger?: Logger;
  /** most entries written in one transaction (default 1 000) */
  maxBatch?: number;
  /** appends waiting beyond this many are refused with 503 at once (default 50 000) */
  maxQueue?: number;
  /**
   * longest wait for the chain head's lock, and longest silence of a batch holding it, before
   * the batch is given up with 503 (default 10 000 ms)
   */
  lockTimeoutMs?: number;
}

/** Counters since the log was created. */
export interface EvidenceLogStats {
  /** entries committed */
  appended: number;
  /** transactions that committed them */
  batches: number;
  /** appends refused because their batch could not be written */
  failed: number;
}

interface Pending {
  id: string;
  input: NormalisedEvidence;
  resolve(receipt: EvidenceReceipt): void;
  reject(error: unknown): void;
}

/** receipts signed between two turns of the event loop */
const SIGN_SLICE = 32;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// One round trip: open the transaction, insist on a durable commit whatever the server's
// default, and take the chain head's row lock. FOR UPDATE in READ COMMITTED waits for the
// holder's commit and then returns the row as that commit left it, so the head read here is
// the latest one. The timeouts bound what one stuck process can do to everyone else's appends:
// a batch waits at most that long for the lock, and a holder that stops talking mid-batch is
// disconnected (its batch rolls back, its callers get 503).
const lockHead = (timeoutMs: number) => `BEGIN;
SET LOCAL synchronous_commit = on;
SET LOCAL lock_timeout = ${timeoutMs};
SET LOCAL idle_in_transaction_session_timeout = ${timeoutMs};
SELECT seq::text AS seq, hash, recorded_at FROM evidence_chain_head WHERE id = 1 FOR UPDATE`;

// The batch's rows ($1 time, $2 key id, $3–$18 one array per column), for INSERT … SELECT.
const BATCH_ROWS = `
  INSERT INTO evidence_entries (seq, id, prev_hash, hash, recorded_at, actor, actor_kind,
    department_code, grant_id, purpose, resource_code, operation, outcome, record_count,
    request_hash, delivered_digest, details, key_id)
  SELECT b.seq, b.id, b.prev_hash, b.hash, $1::timestamptz, b.actor, b.actor_kind,
         b.department_code, b.grant_id, b.purpose, b.resource_code, b.operation, b.outcome,
         b.record_count, b.request_hash, b.delivered_digest, b.details, $2
    FROM unnest($3::bigint[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[],
                $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
                $15::bigint[], $16::text[], $17::text[], $18::jsonb[])
      AS b(seq, id, prev_hash, hash, actor, actor_kind, department_code, grant_id, purpose,
           resource_code, operation, outcome, record_count, request_hash, delivered_digest,
           details)`;

// Under the lock taken by `lockHead`: the whole batch and the new head ($19, $20) in one
// statement.
const INSERT_BATCH = `WITH inserted AS (${BATCH_ROWS}
)
UPDATE evidence_chain_head SET seq = $19, hash = $20, recorded_at = $1::timestamptz WHERE id = 1`;

// One round trip, one implicit transaction, for a batch hashed onto the head this process
// believes current ($21 seq, $22 hash): take the head's row lock (waiting at most $23 ms, the
// settings made before the row is locked), and only if the head is still that one insert the
// batch and move the head; either way answer the head as found under the lock. The commit is
// durable whatever the server's default (synchronous_commit is read at commit time).
const APPEND_IF_HEAD = `WITH head AS (
  SELECT seq, hash, recorded_at FROM evidence_chain_head
   WHERE id = 1
     AND set_config('synchronous_commit', 'on', true) IS NOT NULL
     AND set_config('lock_timeout', $23::text, true) IS NOT NULL
     FOR UPDATE
), inserted AS (${BATCH_ROWS}, head
   WHERE head.seq = $21::bigint AND head.hash = $22
  RETURNING 1
), moved AS (
  UPDATE evidence_chain_head h SET seq = $19, hash = $20, recorded_at = $1::timestamptz
    FROM head WHERE h.id = 1 AND head.seq = $21::bigint AND head.hash = $22
  RETURNING 1
)
SELECT (SELECT count(*) FROM moved)::int AS moved, seq::text AS seq, hash, recorded_at FROM head`;

/** The chain's last entry as a batch builds on it. */
interface Head {
  seq: string;
  hash: string;
  recorded_at: Date | null;
}

/**
 * The hash-chained evidence log (存证), appended to by every part of the exchange.
 *
 * Appends are group-committed: callers queue their entry and await it; one flusher per
 * instance writes everything queued as one batch — lock the chain head, hash the entries in
 * order onto it, insert them, move the head, commit — and then answers each caller with its
 * signed receipt. While a batch is in flight the next one gathers, so batches grow with load
 * and an idle log adds no delay. Processes contend for the head only once per batch
 * (docs/adr/0005-evidence-log.md).
 *
 * `append` resolves only after the commit (synchronous_commit on); a crash loses only entries
 * nobody was told about, and because seq and prev_hash are taken from the committed head under
 * its lock, a lost batch leaves no trace in the chain.
 *
 * A batch usually costs one round trip: the log remembers the head its last batch left and
 * sends the next batch hashed onto it, to be written only if the head under the lock is still
 * that one. When another process has appended since, nothing is written, the statement answers
 * the real head and the batch is hashed onto that and sent again; after a second miss (or with
 * no head known yet) it takes the lock first and writes in three round trips.
 */
export class EvidenceLog {
  readonly #pool: Pool;
  readonly #logger: Logger | undefined;
  readonly #maxBatch: number;
  readonly #maxQueue: number;
  readonly #lockHead: string;
  readonly #signer: ReceiptSigner;
  #queue: Pending[] = [];
  #flushing: Promise<void> | undefined;
  #scheduled = false;
  #closed = false;
  /** the head the last batch left (or last found), if any; a guess other processes may move */
  #head: Head | undefined;
  readonly #lockTimeoutMs: number;
  /** committed batches whose receipts are being signed */
  readonly #settling = new Set<Promise<void>>();
  readonly #stats: EvidenceLogStats = { appended: 0, batches: 0, failed: 0 };

  constructor(options: EvidenceLogOptions) {
    this.#pool = options.pool;
    this.#logger = options.logger;
    this.#maxBatch = options.maxBatch ?? 1_000;
    this.#maxQueue = options.maxQueue ?? 50_000;
    const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    if (!Number.isInteger(lockTimeoutMs) || lockTimeoutMs < 1)
      throw new RangeError('lockTimeoutMs must be a positive integer');
    this.#lockHead = lockHead(lockTimeoutMs);
    this.#lockTimeoutMs = lockTimeoutMs;
    this.#signer = new ReceiptSigner(options.pool);
  }

  /**
   * Append one entry; resolves with its signed receipt once it is committed. Rejects with
   * `InputError` for an input the log cannot store (this caller only) and with
   * `UnavailableError` when the database cannot take it — the caller must then not deliver.
   *
   * The batch borrows a connection from the pool: do not await `append` while holding a pool
   * client of your own (e.g. inside a transaction), or a busy pool starves the flusher.
   */
  append(input: EvidenceInput): Promise<EvidenceReceipt> {
    if (this.#closed) return Promise.reject(new UnavailableError('存证日志已关闭'));
    let normalised: NormalisedEvidence;
    try {
      normalised = normaliseEvidenceInput(input);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#queue.length >= this.#maxQueue)
      return Promise.reject(new UnavailableError('存证日志繁忙, 请稍后重试', 1));
    return new Promise<EvidenceReceipt>((resolve, reject) => {
      this.#queue.push({ id: randomUUID(), input: normalised, resolve, reject });
      this.#schedule();
    });
  }

  /** The entry with this id, as stored. */
  async entry(entryId: string): Promise<EvidenceEntry | undefined> {
    if (!UUID.test(entryId)) return undefined;
    const { rows } = await this.#pool.query<EvidenceRow>(
      `SELECT ${EVIDENCE_COLUMNS} FROM evidence_entries WHERE id = $1`,
      [entryId],
    );
    return rows[0] ? evidenceFromRow(rows[0]) : undefined;
  }

  /**
   * The last entry archived and removed from the database (`npm run evidence:archive`), or
   * undefined when nothing was: entries up to it are found only in the archive files.
   */
  async archivedThrough(): Promise<string | undefined> {
    return (await readArchiveAnchor(this.#pool))?.throughSeq;
  }

  /** An entry's receipt, signed again: byte for byte the one its caller got. */
  async receipt(entryId: string): Promise<EvidenceReceipt | undefined> {
    const entry = await this.entry(entryId);
    return entry ? this.receiptOf(entry) : undefined;
  }

  receiptOf(entry: EvidenceEntry): Promise<EvidenceReceipt> {
    return this.#signer.sign(entry);
  }

  /** The receipt keys' public halves (JWKS), for `/.well-known/evidence-keys.json`. */
  publicJwks(): Promise<{ keys: ReceiptPublicJwk[] }> {
    return this.#signer.publicJwks();
  }

  /**
   * The chain head signed now with the receipt key: an auditor keeps it outside the platform,
   * and a later verification given it (`verifyEvidenceChain`'s `checkpoints`) finds a chain
   * rewritten up to that head, which the chain alone cannot show.
   */
  async checkpoint(): Promise<EvidenceCheckpoint> {
    const payload: CheckpointPayload = {
      ...(await readChainHead(this.#pool)),
      issuedAt: new Date().toISOString(),
    };
    const jws = await this.#signer.signWithActiveKey(CHECKPOINT_TYPE, { ...payload });
    return { ...payload, jws };
  }

  stats(): EvidenceLogStats {
    return { ...this.#stats };
  }

  /** Refuse new appends and wait until every queued one is written (or has failed). */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#flushing || this.#scheduled || this.#queue.length > 0 || this.#settling.size > 0) {
      if (this.#flushing) await this.#flushing;
      else if (this.#settling.size > 0) await Promise.all(this.#settling);
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  #schedule() {
    if (this.#flushing || this.#scheduled) return;
    this.#scheduled = true;
    // after the current turn of the event loop, so that appends made by the requests handled
    // in this turn share the batch
    setImmediate(() => {
      this.#scheduled = false;
      this.#flushing = this.#flush().finally(() => {
        this.#flushing = undefined;
        if (this.#queue.length > 0) this.#schedule();
      });
    });
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      let entries: EvidenceEntry[];
      let key: Awaited<ReturnType<ReceiptSigner['activeKey']>>;
      try {
        key = await this.#signer.activeKey();
        entries = await this.#write(batch, key.kid);
      } catch (error) {
        this.#stats.failed += batch.length;
        this.#logger?.error(
          { err: error, entries: batch.length },
          'evidence batch not written; its appends are refused',
        );
        const refusal = new UnavailableError('存证日志暂不可用', 1, { cause: error });
        for (const pending of batch) pending.reject(refusal);
        continue;
      }
      this.#stats.batches += 1;
      this.#stats.appended += batch.length;
      // Signing (about 50 µs a receipt) runs after the commit and outside the head lock, and
      // is not awaited: the next batch goes to the database while this one is being signed.
      const settled: Promise<void> = this.#settle(batch, entries, key.key).finally(() =>
        this.#settling.delete(settled),
      );
      this.#settling.add(settled);
    }
  }

  /** Sign and answer a committed batch, a slice at a time so that other work interleaves. */
  async #settle(batch: readonly Pending[], entries: readonly EvidenceEntry[], key: KeyObject) {
    for (let i = 0; i < batch.length; i += 1) {
      if (i > 0 && i % SIGN_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      try {
        batch[i]!.resolve(this.#signer.signWith(key, entries[i]!));
      } catch (error) {
        batch[i]!.reject(error);
      }
    }
  }

  async #write(batch: readonly Pending[], keyId: string): Promise<EvidenceEntry[]> {
    try {
      for (let attempt = 0; attempt < 2 && this.#head; attempt += 1) {
        const expected: Head = this.#head;
        const entries = this.#chain(batch, keyId, expected);
        const { rows } = await this.#pool.query<Head & { moved: number }>({
          name: 'evidence-append-if-head',
          text: APPEND_IF_HEAD,
          values: [
            ...this.#columns(entries, keyId),
            expected.seq,
            expected.hash,
            String(this.#lockTimeoutMs),
          ],
        });
        const found = rows[0];
        if (!found) throw new Error('evidence_chain_head has no row: is the migration applied?');
        if (found.moved === 1) {
          this.#head = headAfter(entries);
          return entries;
        }
        this.#head = { seq: found.seq, hash: found.hash, recorded_at: found.recorded_at };
      }
      const entries = await this.#writeLocked(batch, keyId);
      this.#head = headAfter(entries);
      return entries;
    } catch (error) {
      this.#head = undefined; // whatever was written or not, ask the database next time
      throw error;
    }
  }

  /** The batch hashed in order onto `head`. */
  #chain(batch: readonly Pending[], keyId: string, head: Head): EvidenceEntry[] {
    // never earlier than the entry before: time order follows chain order even when the
    // processes' clocks disagree a little
    const time = new Date(Math.max(Date.now(), head.recorded_at?.getTime() ?? 0)).toISOString();
    let seq = BigInt(head.seq);
    let prevHash = head.hash;
    return batch.map(({ id, input }) => {
      seq += 1n;
      const unhashed = { ...input, seq: seq.toString(), id, prevHash, time, keyId };
      const entry: EvidenceEntry = { ...unhashed, hash: evidenceHash(unhashed) };
      prevHash = entry.hash;
      return entry;
    });
  }

  /** Parameters $1–$20 of the batch statements. */
  #columns(entries: readonly EvidenceEntry[], keyId: string): unknown[] {
    const column = <K extends keyof EvidenceEntry>(key: K) => entries.map((e) => e[key]);
    const last = entries[entries.length - 1]!;
    return [
      last.time,
      keyId,
      column('seq'),
      column('id'),
      column('prevHash'),
      column('hash'),
      column('actor'),
      column('actorKind'),
      column('department'),
      column('grantId'),
      column('purpose'),
      column('resourceCode'),
      column('operation'),
      column('outcome'),
      column('recordCount'),
      column('requestHash'),
      column('deliveredDigest'),
      entries.map((e) => JSON.stringify(e.details)),
      last.seq,
      last.hash,
    ];
  }

  /** Lock the head, then write: three round trips, always on the current head. */
  async #writeLocked(batch: readonly Pending[], keyId: string): Promise<EvidenceEntry[]> {
    const client = await this.#pool.connect();
    let failed: Error | undefined;
    try {
      const results = (await client.query(this.#lockHead)) as unknown as QueryResult[];
      const head = results[results.length - 1]!.rows[0] as Head | undefined;
      if (!head) throw new Error('evidence_chain_head has no row: is the migration applied?');
      const entries = this.#chain(batch, keyId, head);
      await client.query({
        name: 'evidence-append-batch',
        text: INSERT_BATCH,
        values: this.#columns(entries, keyId),
      });
      await client.query('COMMIT');
      return entries;
    } catch (error) {
      failed = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // a connection that failed mid-transaction is not handed to anyone else
      client.release(failed);
    }
  }
}

function headAfter(entries: readonly EvidenceEntry[]): Head {
  const last = entries[entries.length - 1]!;
  return { seq: last.seq, hash: last.hash, recorded_at: new Date(last.time) };
}
