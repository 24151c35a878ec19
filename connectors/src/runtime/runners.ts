import type { Logger } from '@gx/platform';
import type { Pool } from 'pg';
import { ConflictError } from '@gx/platform';
import { nextOffsets, partitionId } from '../log/recordEncoding.ts';
import type { JsonValue, LogRecord, RecordConsumer, RecordLog } from '../log/RecordLog.ts';
import type { ConnectorPlugin, SinkTask, SourceTask } from './plugin.ts';
import type { SecretResolver } from './secrets.ts';
import type { GrantDirectory } from './grantDirectory.ts';
import type { ResourceSchemas } from './resourceSchemas.ts';
import {
  enforceBatch,
  ensureStream,
  produceDeadLetters,
  type EvidenceAppender,
} from './enforceBatch.ts';
import { headers, streamGroups, streamNames } from './streamNames.ts';

/** What a connector row says, as the runtime needs it. */
export interface ConnectorSpec {
  name: string;
  kind: 'source' | 'sink';
  type: string;
  generation: number;
  resourceCode: string | null;
  grantId: string | null;
  keyFields: string[];
  options: Record<string, unknown>;
  batchSize: number;
  pollIntervalMs: number;
}

/** What the runtime counts per connector (connectorMetrics.ts). */
export interface ConnectorCounters {
  recordsIn(connector: string, n: number): void;
  recordsOut(connector: string, n: number): void;
  deadLetters(connector: string, n: number): void;
  error(connector: string): void;
}

/** A task's health as the status API shows it (connector_tasks). */
export interface TaskReporter {
  /** the task works: RUNNING (its last error, if any, stays for the status to show) */
  ok(): Promise<void>;
  /** the task cannot go on and is retrying: FAILED, with the error and its time */
  failed(message: string): Promise<void>;
  /**
   * something went wrong that the task got past (records the target never took went to the
   * dead-letter stream): the error and its time become the task's last error, its state stays
   */
  problem(message: string): Promise<void>;
}

export interface RunnerDeps {
  pool: Pool;
  log: RecordLog;
  plugins: readonly ConnectorPlugin[];
  secrets: SecretResolver;
  logger: Logger;
  counters: ConnectorCounters;
  grants: GrantDirectory;
  schemas: ResourceSchemas;
  evidence: EvidenceAppender;
  ensured: Set<string>;
}

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;
const backoff = (failures: number) =>
  Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(failures - 1, 10));

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `base` with a record's context as `connect.context.*` headers; `base` itself without one */
function withContext(
  base: Record<string, string>,
  context: Record<string, string> | undefined,
): Record<string, string> {
  if (context === undefined) return base;
  const out = { ...base };
  for (const [name, value] of Object.entries(context))
    out[`${headers.contextPrefix}${name}`] = value;
  return out;
}

/**
 * One running task: a loop that stops when asked, after the step it is in (a batch that was
 * written is committed first; a batch that was not is left to the next owner).
 */
export abstract class Runner {
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;
  #failures = 0;

  constructor(
    protected readonly deps: RunnerDeps,
    protected readonly reporter: TaskReporter,
    readonly label: string,
  ) {}

  protected get signal(): AbortSignal {
    return this.#abort.signal;
  }

  protected get stopping(): boolean {
    return this.#abort.signal.aborted;
  }

  start(): void {
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    try {
      await this.open();
      await this.reporter.ok();
    } catch (error) {
      await this.#failed(error);
    }
    while (!this.stopping) {
      try {
        if (!(await this.ready())) {
          await this.open();
          // after a failure, opening again proves nothing (a file-drop source opens without
          // looking at its directory): the task stays FAILED until a step succeeds
          if (this.#failures === 0) await this.reporter.ok();
          continue;
        }
        const worked = await this.step();
        if (this.#failures > 0) {
          this.#failures = 0;
          await this.reporter.ok();
        }
        if (!worked) await this.idle();
      } catch (error) {
        if (this.stopping) break;
        await this.#failed(error);
      }
    }
    await this.close().catch((error: unknown) =>
      this.deps.logger.warn({ task: this.label, err: messageOf(error) }, 'task close failed'),
    );
  }

  async #failed(error: unknown): Promise<void> {
    this.#failures += 1;
    const message = messageOf(error);
    this.deps.logger.warn(
      { task: this.label, failures: this.#failures, err: message },
      'task failed; retrying',
    );
    this.countError();
    await this.reporter.failed(message).catch(() => {});
    await this.reset();
    await sleep(backoff(this.#failures), this.signal);
  }

  /** has `open` succeeded (and not been undone by `reset`)? */
  protected abstract ready(): Promise<boolean> | boolean;
  protected abstract open(): Promise<void>;
  /** one batch; false when there was nothing to do */
  protected abstract step(): Promise<boolean>;
  protected abstract idle(): Promise<void>;
  /** after a failure: drop what `open` built, so the next round rebuilds it */
  protected abstract reset(): Promise<void>;
  protected abstract close(): Promise<void>;
  protected countError(): void {}

  protected sleep(ms: number): Promise<void> {
    return sleep(ms, this.signal);
  }
}

function pluginFor(deps: RunnerDeps, spec: ConnectorSpec) {
  const plugin = deps.plugins.find((p) => p.type === spec.type && p.kind === spec.kind);
  if (!plugin) throw new Error(`本工作进程不支持连接器类型 ${spec.type}`);
  return plugin;
}

/** A source connector's task: poll the system, store in the raw stream, then the position. */
export class SourceRunner extends Runner {
  #task: SourceTask | undefined;
  #position: JsonValue | null = null;

  constructor(
    deps: RunnerDeps,
    reporter: TaskReporter,
    readonly spec: ConnectorSpec,
  ) {
    super(deps, reporter, `source:${spec.name}`);
  }

  protected ready() {
    return this.#task !== undefined;
  }

  protected async open() {
    const plugin = pluginFor(this.deps, this.spec);
    if (plugin.kind !== 'source') throw new Error(`${this.spec.type} 不是源连接器`);
    const { rows } = await this.deps.pool.query<{ position: JsonValue }>(
      'SELECT position FROM connector_source_positions WHERE connector = $1',
      [this.spec.name],
    );
    this.#position = rows[0]?.position ?? null;
    await ensureStream(this.deps.log, this.deps.ensured, streamNames.raw(this.spec.resourceCode!));
    await ensureStream(this.deps.log, this.deps.ensured, streamNames.deadLetter(this.spec.name));
    const schema = await this.deps.schemas.latest(this.spec.resourceCode!);
    this.#task = await plugin.create(this.spec.options, {
      connector: this.spec.name,
      logger: this.deps.logger,
      secrets: this.deps.secrets,
      keyFields: this.spec.keyFields,
      fieldTypes: schema?.fieldTypes ?? {},
    });
  }

  protected async step() {
    const batch = await this.#task!.poll(this.#position, {
      maxRecords: this.spec.batchSize,
      signal: this.signal,
    });
    if (!batch) return false;
    const { name } = this.spec;
    if (batch.records.length > 0) {
      // one headers object for the batch: the log encodes it once (copyLogRecords); a record
      // that says where it came from carries that too, for its dead letter should it be refused
      const recordHeaders: Record<string, string> = { [headers.connector]: name };
      const deletionHeaders = { ...recordHeaders, [headers.op]: 'delete' };
      await this.deps.log.produce(
        streamNames.raw(this.spec.resourceCode!),
        batch.records.map((r) => ({
          key: r.key,
          value: r.value,
          headers: withContext(r.deleted ? deletionHeaders : recordHeaders, r.context),
        })),
      );
    }
    await produceDeadLetters(this.deps, name, batch.deadLetters);
    await this.deps.pool.query(
      `INSERT INTO connector_source_positions (connector, position, updated_at)
       VALUES ($1, $2::jsonb, now())
       ON CONFLICT (connector) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
      [name, JSON.stringify(batch.position)],
    );
    this.#position = batch.position;
    await batch.acknowledge?.();
    this.deps.counters.recordsIn(name, batch.records.length);
    if (batch.deadLetters.length > 0)
      this.deps.counters.deadLetters(name, batch.deadLetters.length);
    return batch.records.length + batch.deadLetters.length > 0;
  }

  protected idle() {
    return this.sleep(this.spec.pollIntervalMs);
  }

  protected async reset() {
    const task = this.#task;
    this.#task = undefined;
    await task?.close().catch(() => {});
  }

  protected close() {
    return this.reset();
  }

  protected override countError() {
    this.deps.counters.error(this.spec.name);
  }
}

/**
 * One member of a sink connector's group: read the grant's delivery stream, write to the
 * system, commit. Before every write the grant is checked (revocation and suspension reach the
 * worker by notification), so a grant that is no longer active receives nothing more.
 */
export class SinkRunner extends Runner {
  #task: SinkTask | undefined;
  #consumer: RecordConsumer | undefined;
  /** polled, not yet written: retried as they are, never skipped */
  #pending: LogRecord[] = [];
  #blocked: string | undefined;

  constructor(
    deps: RunnerDeps,
    reporter: TaskReporter,
    readonly spec: ConnectorSpec,
  ) {
    super(deps, reporter, `sink:${spec.name}`);
  }

  protected ready() {
    return this.#task !== undefined && this.#consumer !== undefined;
  }

  protected async open() {
    const plugin = pluginFor(this.deps, this.spec);
    if (plugin.kind !== 'sink') throw new Error(`${this.spec.type} 不是目标连接器`);
    const stream = streamNames.delivery(this.spec.grantId!);
    await ensureStream(this.deps.log, this.deps.ensured, stream);
    await ensureStream(this.deps.log, this.deps.ensured, streamNames.deadLetter(this.spec.name));
    this.#task ??= await plugin.create(this.spec.options, {
      connector: this.spec.name,
      logger: this.deps.logger,
      secrets: this.deps.secrets,
      keyFields: this.spec.keyFields,
      fieldTypes: {},
    });
    this.#consumer ??= await this.deps.log.consumer({
      group: streamGroups.sink(this.spec.name),
      streams: [stream],
      autoOffsetReset: 'earliest',
      // every written batch is committed before the next poll: nothing to commit here, and
      // what was polled but not written goes to the partition's next owner
      onRevoke: () => {
        this.#pending = [];
      },
    });
  }

  async #grantAllows(): Promise<boolean> {
    const state = await this.deps.grants.state(this.spec.grantId!);
    if (state.active) {
      if (this.#blocked) {
        this.#blocked = undefined;
        await this.reporter.ok();
      }
      return true;
    }
    if (this.#blocked !== state.reason) {
      this.#blocked = state.reason;
      await this.reporter.failed(`${state.reason ?? '授权不可用'}，暂停投递`);
    }
    return false;
  }

  protected async step() {
    if (!(await this.#grantAllows())) return false;
    if (this.#pending.length === 0) {
      this.#pending = await this.#consumer!.poll(this.spec.batchSize, { timeoutMs: 500 });
      if (this.#pending.length === 0) return true; // the poll itself waited
      // the grant may have changed while the poll waited
      if (!(await this.#grantAllows())) return false;
    }
    const records = this.#pending;
    const { deadLetters } = await this.#task!.write(records, { signal: this.signal });
    await produceDeadLetters(this.deps, this.spec.name, deadLetters);
    // the sink goes on with the next records, but the steward must see why these never arrived
    if (deadLetters.length > 0) {
      await this.reporter.problem(
        `${deadLetters.length} 条记录未能写入，已转入死信：${deadLetters.at(-1)!.reason}`,
      );
    }
    try {
      await this.#consumer!.commit(nextOffsets(records));
    } catch (error) {
      // the partition moved on: its next owner reads these again (the sink is idempotent)
      if (!(error instanceof ConflictError)) throw error;
    }
    this.#pending = [];
    this.deps.counters.recordsOut(this.spec.name, records.length - deadLetters.length);
    if (deadLetters.length > 0) this.deps.counters.deadLetters(this.spec.name, deadLetters.length);
    return true;
  }

  protected idle() {
    return this.sleep(250);
  }

  protected async reset() {
    // keep the consumer and its pending records: a failed write is retried as it was
    const task = this.#task;
    this.#task = undefined;
    await task?.close().catch(() => {});
  }

  protected async close() {
    await this.reset();
    const consumer = this.#consumer;
    this.#consumer = undefined;
    this.#pending = [];
    await consumer?.close();
  }

  protected override countError() {
    this.deps.counters.error(this.spec.name);
  }
}

/**
 * One member of a resource's enforcement group: raw stream → store, delivery streams.
 *
 * The next raw batch is polled while the current one is enforced (a prefetch), so that the
 * poll's round trip no longer sits between two batches. Only one batch is enforced at a time
 * and its offsets are committed once its store write, deliveries and evidence are done, so
 * commits stay in offset order. What was prefetched and not committed when the worker stops
 * or dies is read again by the partition's next owner, as any polled batch.
 */
export class EnforcementRunner extends Runner {
  #consumer: RecordConsumer | undefined;
  /** polled, not yet enforced and committed: retried as they are, never skipped */
  #pending: LogRecord[] = [];
  /** the poll of the batch after `#pending`, running while `#pending` is enforced */
  #prefetch: Promise<LogRecord[]> | undefined;
  /** settles (never rejects) once the batch being enforced is committed or has failed */
  #inFlight: Promise<void> = Promise.resolve();

  constructor(
    deps: RunnerDeps,
    reporter: TaskReporter,
    readonly resourceCode: string,
    readonly batchSize: number,
  ) {
    super(deps, reporter, `enforce:${resourceCode}`);
  }

  protected ready() {
    return this.#consumer !== undefined;
  }

  protected async open() {
    const stream = streamNames.raw(this.resourceCode);
    await ensureStream(this.deps.log, this.deps.ensured, stream);
    this.#consumer = await this.deps.log.consumer({
      group: streamGroups.enforcement(this.resourceCode),
      streams: [stream],
      autoOffsetReset: 'earliest',
      // runs inside a poll, which may be the prefetch beside a batch's enforcement: let that
      // batch finish and commit while the partitions are still ours, then drop what is left
      // of theirs (a failed batch's records): their next owner reads them from the committed
      // offset. The other partitions' records stay, so nothing of theirs is skipped.
      onRevoke: async (partitions) => {
        await this.#inFlight;
        const gone = new Set(partitions.map((p) => partitionId(p.stream, p.partition)));
        this.#pending = this.#pending.filter((r) => !gone.has(partitionId(r.stream, r.partition)));
      },
    });
  }

  #poll(): Promise<LogRecord[]> {
    return this.#consumer!.poll(this.batchSize, { timeoutMs: 500 });
  }

  protected async step() {
    if (this.#pending.length === 0) {
      const prefetched = this.#prefetch;
      this.#prefetch = undefined;
      this.#pending = await (prefetched ?? this.#poll());
      if (this.#pending.length === 0) return true;
    }
    if (!this.#prefetch) {
      const next = this.#poll();
      // a failed prefetch is reported when the next step awaits it, not as unhandled
      next.catch(() => undefined);
      this.#prefetch = next;
    }
    const batch = this.#enforce(this.#pending);
    this.#inFlight = batch.catch(() => undefined);
    await batch;
    return true;
  }

  async #enforce(records: LogRecord[]): Promise<void> {
    await enforceBatch(
      { ...this.deps, onDeadLetters: (c, n) => this.deps.counters.deadLetters(c, n) },
      this.resourceCode,
      records,
    );
    try {
      await this.#consumer!.commit(nextOffsets(records));
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
    if (this.#pending === records) this.#pending = [];
  }

  protected idle() {
    return this.sleep(250);
  }

  protected async reset() {}

  protected async close() {
    const consumer = this.#consumer;
    this.#consumer = undefined;
    await consumer?.close();
    // a prefetched batch was not committed: the partition's next owner reads it again
    this.#prefetch = undefined;
    this.#pending = [];
  }
}
