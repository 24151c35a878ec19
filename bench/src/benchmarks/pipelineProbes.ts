/**
 * What the pipeline benchmark wraps around the real parts to see where the time goes, without
 * changing what they do: the record log (produce, poll and commit per stream), the connector
 * plugins (source poll, sink write), the evidence appender and the hosted-store upsert. Every
 * wrapper delegates; it only times calls, on the caller's side (a stage's time includes waiting
 * for the event loop and for PostgreSQL, which the other stages share).
 *
 * `ProbedRecordLog` can also hold producers back (`windows`): librdkafka's mock cluster keeps
 * only the last 5 MB of each partition, so a stream's consumer more than that behind its
 * producer would silently lose records. A production broker needs no such bound.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';
import type {
  CommittedOffset,
  ConsumerOptions,
  CreateStreamOptions,
  LogRecord,
  PartitionOffset,
  PollOptions,
  ProduceRecord,
  ReadOptions,
  RecordConsumer,
  RecordLog,
  ResetOffsetsOptions,
  SeekTarget,
  StreamOffset,
  StreamPartition,
} from '../../../connectors/src/log/index.ts';
import type {
  ConnectorPlugin,
  SinkPlugin,
  SourcePlugin,
} from '../../../connectors/src/runtime/plugin.ts';

export interface StageTotal {
  calls: number;
  records: number;
  /** summed wall time of the calls, nanoseconds */
  ns: bigint;
}

/** Time and record counts per named stage. */
export class StageTimes {
  readonly totals = new Map<string, StageTotal>();

  add(stage: string, started: bigint, records = 0): void {
    const total = this.totals.get(stage) ?? { calls: 0, records: 0, ns: 0n };
    total.calls += 1;
    total.records += records;
    total.ns += process.hrtime.bigint() - started;
    this.totals.set(stage, total);
  }

  async time<T>(stage: string, work: () => Promise<T>, records?: (result: T) => number) {
    const started = process.hrtime.bigint();
    const result = await work();
    this.add(stage, started, records ? records(result) : 0);
    return result;
  }

  seconds(stage: string): number {
    return Number(this.totals.get(stage)?.ns ?? 0n) / 1e9;
  }

  clear(): void {
    this.totals.clear();
  }
}

/** `gx.raw.X` → raw, `gx.delivery.X` → delivery, `gx.dlq.X` → dead letters */
export function streamKind(stream: string): string {
  if (stream.startsWith('gx.raw.')) return 'raw';
  if (stream.startsWith('gx.delivery.')) return 'delivery';
  if (stream.startsWith('gx.dlq.')) return 'dead letters';
  return stream;
}

/** Producers to a stream wait while this many of its records are produced but not committed. */
class StreamWindow {
  #outstanding = 0;
  #waiting: (() => void)[] = [];
  /** next offset committed per partition (the streams are fresh: start at 0) */
  readonly #committed = new Map<number, number>();
  maxOutstanding = 0;
  waits = 0;

  constructor(readonly size: number) {}

  async admit(count: number): Promise<void> {
    if (this.#outstanding > 0 && this.#outstanding + count > this.size) this.waits += 1;
    while (this.#outstanding > 0 && this.#outstanding + count > this.size)
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#outstanding += count;
    this.maxOutstanding = Math.max(this.maxOutstanding, this.#outstanding);
  }

  committed(partition: number, offset: number): void {
    const previous = this.#committed.get(partition) ?? 0;
    if (offset <= previous) return;
    this.#committed.set(partition, offset);
    this.#outstanding -= offset - previous;
    const wake = this.#waiting;
    this.#waiting = [];
    for (const resume of wake) resume();
  }
}

class ProbedConsumer implements RecordConsumer {
  constructor(
    private readonly inner: RecordConsumer,
    private readonly stages: StageTimes,
    private readonly label: string,
    private readonly windowOf: (stream: string) => StreamWindow | undefined,
  ) {}

  poll(max: number, options?: PollOptions): Promise<LogRecord[]> {
    return this.stages.time(
      `${this.label}: poll`,
      () => this.inner.poll(max, options),
      (r) => r.length,
    );
  }

  async commit(offsets: readonly StreamOffset[]): Promise<void> {
    await this.stages.time(`${this.label}: commit`, () => this.inner.commit(offsets));
    for (const { stream, partition, offset } of offsets)
      this.windowOf(stream)?.committed(partition, offset);
  }

  seek(target: StreamPartition & { offset: SeekTarget }): Promise<void> {
    return this.inner.seek(target);
  }

  assignment(): StreamPartition[] {
    return this.inner.assignment();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * The producer bounds of one pipeline, per stream, shared by every worker's log: a record
 * produced by one worker may be committed by another's consumer.
 */
export class StreamWindows {
  readonly #windows = new Map<string, StreamWindow>();

  /** stream kind (`raw`, `delivery`) → most records produced and not yet committed */
  constructor(private readonly sizes: Readonly<Record<string, number>> = {}) {}

  of(stream: string, create = false): StreamWindow | undefined {
    let window = this.#windows.get(stream);
    const size = this.sizes[streamKind(stream)];
    if (!window && create && size !== undefined)
      this.#windows.set(stream, (window = new StreamWindow(size)));
    return window;
  }

  /** per bounded stream kind: the most records ever outstanding, and how often producers waited */
  use(): Record<string, { size: number; maxOutstanding: number; waits: number }> {
    return Object.fromEntries(
      [...this.#windows].map(([stream, w]) => [
        streamKind(stream),
        { size: w.size, maxOutstanding: w.maxOutstanding, waits: w.waits },
      ]),
    );
  }
}

/** A `RecordLog` that times every produce, poll and commit, and optionally bounds producers. */
export class ProbedRecordLog implements RecordLog {
  constructor(
    private readonly inner: RecordLog,
    private readonly stages: StageTimes,
    private readonly windows = new StreamWindows(),
  ) {}

  get transport() {
    return this.inner.transport;
  }

  createStream(name: string, options: CreateStreamOptions): Promise<void> {
    return this.inner.createStream(name, options);
  }

  partitions(stream: string): Promise<number> {
    return this.inner.partitions(stream);
  }

  async produce(stream: string, records: readonly ProduceRecord[]): Promise<PartitionOffset[]> {
    const started = process.hrtime.bigint();
    const window = this.windows.of(stream, true);
    if (window) {
      await window.admit(records.length);
      this.stages.add(`produce ${streamKind(stream)}: window wait`, started);
    }
    return this.stages.time(
      `produce ${streamKind(stream)}`,
      () => this.inner.produce(stream, records),
      () => records.length,
    );
  }

  async consumer(options: ConsumerOptions): Promise<RecordConsumer> {
    const label = `consume ${options.streams.map(streamKind).join('+')}`;
    return new ProbedConsumer(await this.inner.consumer(options), this.stages, label, (stream) =>
      this.windows.of(stream),
    );
  }

  endOffsets(stream: string): Promise<PartitionOffset[]> {
    return this.inner.endOffsets(stream);
  }

  startOffsets(stream: string): Promise<PartitionOffset[]> {
    return this.inner.startOffsets(stream);
  }

  read(options: ReadOptions): Promise<LogRecord[]> {
    return this.inner.read(options);
  }

  committed(group: string, streams: readonly string[]): Promise<CommittedOffset[]> {
    return this.inner.committed(group, streams);
  }

  resetOffsets(options: ResetOffsetsOptions): Promise<CommittedOffset[]> {
    return this.inner.resetOffsets(options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The plugins with every source poll and sink write timed. */
export function probedPlugins(
  plugins: readonly ConnectorPlugin[],
  stages: StageTimes,
): ConnectorPlugin[] {
  return plugins.map((plugin): ConnectorPlugin => {
    if (plugin.kind === 'source') {
      const source: SourcePlugin = {
        ...plugin,
        async create(options, context) {
          const task = await plugin.create(options, context);
          return {
            poll: (position, pollOptions) =>
              stages.time(
                `source ${plugin.type}: poll`,
                () => task.poll(position, pollOptions),
                (b) => b?.records.length ?? 0,
              ),
            close: () => task.close(),
          };
        },
      };
      return source;
    }
    const sink: SinkPlugin = {
      ...plugin,
      async create(options, context) {
        const task = await plugin.create(options, context);
        return {
          write: (records, writeOptions) =>
            stages.time(
              `sink ${plugin.type}: write`,
              () => task.write(records, writeOptions),
              () => records.length,
            ),
          close: () => task.close(),
        };
      },
    };
    return sink;
  });
}

/**
 * Time the statements a pool runs whose text starts with one of `prefixes` (enforcement's
 * hosted-store upsert, the source position). Promise-style calls only, which is all the
 * runtime makes.
 */
export function probePool(
  pool: pg.Pool,
  stages: StageTimes,
  prefixes: Readonly<Record<string, string>>,
): void {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  const entries = Object.entries(prefixes);
  pool.query = ((...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
    const stage = text
      ? entries.find(([prefix]) => text.trimStart().startsWith(prefix))?.[1]
      : undefined;
    if (!stage || typeof args[args.length - 1] === 'function') return query(...args);
    return stages.time(stage, () => query(...args));
  }) as typeof pool.query;
}

/** CPU seconds (user + system) of a process and, when asked, of its children. */
function cpuSecondsOf(pid: number, ticks: number, withReaped = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name (which may contain spaces), starting with the state
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
    return (utime! + stime! + (withReaped ? cutime! + cstime! : 0)) / ticks;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used so far by the PostgreSQL server: the postmaster, its live backends, and
 * the backends that already ended (counted in the postmaster's reaped-children time).
 */
export function postgresCpuSeconds(postmasterPid: number, ticks = 100): number {
  let total = cpuSecondsOf(postmasterPid, ticks, true);
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && parentOf(pid) === postmasterPid) total += cpuSecondsOf(pid, ticks);
  }
  return total;
}

export function processCpuSeconds(pid: number, ticks = 100): number {
  return cpuSecondsOf(pid, ticks);
}

function titleOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/**
 * PostgreSQL's CPU by what spends it, from the server's processes sampled once a second:
 * client backends by database (their process title names it), autovacuum, and the background
 * writers (checkpointer, background writer, WAL writer). A backend that ends between two
 * samples loses its last second; `stop` reports that rest against the server's total.
 */
export class PostgresCpuSampler {
  readonly #seen = new Map<number, { label: string; first: number; last: number }>();
  readonly #timer: NodeJS.Timeout;
  readonly #total: number;
  #stopped: Record<string, number> | undefined;

  constructor(
    private readonly postmasterPid: number,
    private readonly ticks: number,
    /** database name → label (others are labelled with their name) */
    private readonly databases: Readonly<Record<string, string>>,
  ) {
    this.#total = postgresCpuSeconds(postmasterPid, ticks);
    this.#sample(true);
    this.#timer = setInterval(() => this.#sample(false), 1_000);
  }

  #label(title: string): string {
    if (/autovacuum worker/.test(title)) return 'autovacuum';
    if (/^postgres: (checkpointer|background writer|walwriter)/.test(title))
      return 'checkpointer, background and WAL writers';
    if (/^postgres: (autovacuum launcher|logical replication launcher)/.test(title))
      return 'other server processes';
    const backend = /^postgres: \S+ (\S+) /.exec(title);
    if (backend) return this.databases[backend[1]!] ?? `database ${backend[1]}`;
    return 'other server processes';
  }

  #sample(initial: boolean): void {
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || parentOf(pid) !== this.postmasterPid) continue;
      const cpu = cpuSecondsOf(pid, this.ticks);
      const seen = this.#seen.get(pid);
      if (seen) {
        seen.last = cpu;
        if (seen.label === 'other server processes') seen.label = this.#label(titleOf(pid));
      } else {
        // a process that started after the first sample counts whole
        this.#seen.set(pid, {
          label: this.#label(titleOf(pid)),
          first: initial ? cpu : 0,
          last: cpu,
        });
      }
    }
  }

  /** CPU seconds per label since construction, and `unattributed` (ended between samples) */
  stop(): Record<string, number> {
    if (this.#stopped) return this.#stopped;
    clearInterval(this.#timer);
    this.#sample(false);
    const totals: Record<string, number> = {};
    let attributed = 0;
    for (const { label, first, last } of this.#seen.values()) {
      totals[label] = (totals[label] ?? 0) + (last - first);
      attributed += last - first;
    }
    const total = postgresCpuSeconds(this.postmasterPid, this.ticks) - this.#total;
    totals['unattributed (ended between samples)'] = Math.max(0, total - attributed);
    this.#stopped = totals;
    return totals;
  }
}
