import type { FieldType } from '@gx/exchange-api';
import type { FieldProblem, Logger } from '@gx/platform';
import type { JsonValue, LogRecord } from '../log/RecordLog.ts';
import type { SecretResolver } from './secrets.ts';

/**
 * What a connector plugin (a source or sink type) gives the runtime. The runtime owns the
 * record log, positions, offsets, retries of whole tasks, evidence and status; a plugin only
 * talks to the outside system. See docs/adr/0007-connectors.md.
 */

/** A record read from an agency system, on its way to the resource's raw stream. */
export interface SourceRecord {
  /** the record's key (the resource's key fields joined as `recordKey` does) */
  key: string;
  /**
   * the record as the system gave it; validated later, by enforcement. For a deletion, only the
   * key fields of the row that is gone.
   */
  value: { [field: string]: JsonValue };
  /**
   * the row was deleted at the source (ADR 0012): enforcement deletes the hosted record and
   * sends a tombstone to the grants that could see it
   */
  deleted?: true;
  /**
   * where the input came from (`file`, `line`…), should enforcement refuse the record: it
   * travels with the raw record and becomes its dead letter's context. Only sources whose
   * records a key does not locate (a line of a dropped file) set it.
   */
  context?: Record<string, string>;
}

/** Something that could not become a record (a malformed file line, a non-object JSON item). */
export interface DeadLetter {
  /** a key if one is known, otherwise a locator such as `file.csv:17` */
  key: string;
  /** the raw input, as text or JSON */
  value: JsonValue;
  /** why, in Chinese, for the connector operator */
  reason: string;
  /** where it came from: `file`, `line`, `url`, `topic`… (strings only) */
  context?: Record<string, string>;
}

export interface SourceBatch {
  records: SourceRecord[];
  deadLetters: DeadLetter[];
  /**
   * The position after this batch, stored by the runtime once the batch's records and dead
   * letters are durable in the log; the next `poll` receives it. JSON, no secrets.
   */
  position: JsonValue;
  /**
   * Called after the position is stored (move a processed file aside, commit an external
   * Kafka consumer's offsets…). A crash before it runs means the batch is read again, which
   * idempotent sinks absorb.
   */
  acknowledge?: () => Promise<void>;
}

export interface SourceTask {
  /**
   * The next batch after `position` (null: from the beginning), at most `maxRecords` records.
   * Resolves `null` when there is nothing new; the runtime waits `pollIntervalMs` before
   * asking again. Throws on failure (connection refused, HTTP 500…): the runtime records the
   * error in the connector's status and retries with backoff. `signal` aborts a long wait.
   */
  poll(
    position: JsonValue | null,
    options: { maxRecords: number; signal: AbortSignal },
  ): Promise<SourceBatch | null>;
  close(): Promise<void>;
}

export interface SinkWriteResult {
  /**
   * Records that can never be written (the target refused them for good, or retries ran out):
   * the runtime puts them in the connector's dead-letter stream, then commits the batch.
   */
  deadLetters: DeadLetter[];
}

export interface SinkTask {
  /**
   * Write a batch read from the grant's delivery stream. Idempotent by record key: the same
   * records can arrive again after a crash and must not be duplicated at the target. Resolves
   * once the target holds them (the runtime commits the offsets afterwards). Throws on a
   * failure worth retrying the whole batch (the runtime retries with backoff, records the
   * error in the status, and never commits past an unwritten record).
   */
  write(records: readonly LogRecord[], options: { signal: AbortSignal }): Promise<SinkWriteResult>;
  close(): Promise<void>;
}

export interface PluginContext {
  connector: string;
  logger: Logger;
  secrets: SecretResolver;
  /** the key fields of the connector's resource, in order (sources) */
  keyFields: readonly string[];
  /**
   * the type of each field of the resource's latest published record schema (sources; empty
   * for sinks): a source that reads text (CSV cells) turns a cell into the value its field needs
   */
  fieldTypes: Readonly<Record<string, FieldType>>;
}

/** What `release` is given: no task runs any more, so no key fields. */
export type ReleaseContext = Pick<PluginContext, 'connector' | 'logger' | 'secrets'>;

interface PluginBase<Options, Task> {
  /** e.g. `postgres-table` */
  type: string;
  /** 中文 name shown to operators */
  title: string;
  /**
   * JSON Schema (draft 2020-12) of `options`, kept in `schemas/json/connectors/<type>.schema.json`
   * with Chinese `title`/`description`; a secret is `$ref`
   * `https://schemas.gov-exchange.cn/connectors/secret-ref.schema.json`, a source's deletion
   * marker `$ref` `…/connectors/delete-marker.schema.json` (both registered with the validator)
   */
  optionsSchema: object;
  /**
   * What the schema cannot say about options that passed it (one option naming another's
   * field): problems with JSON pointers into the options (`/deleteMarker/field`).
   */
  checkOptions?(options: Options): FieldProblem[];
  /** never called with options that failed `optionsSchema` */
  create(options: Options, context: PluginContext): Promise<Task>;
  /**
   * Frees what the connector holds outside the exchange and would otherwise outlive it: a
   * `postgres-cdc` replication slot, which keeps the agency's WAL until it is dropped. Called
   * once when the connector is deleted, after its tasks have stopped (the management API stops
   * it first and waits for the workers to let go), before its row is deleted: a failure
   * (thrown, with a Chinese message that names what was not freed and never a secret) is
   * reported to the caller and the connector stays, stopped, to be deleted again. Must be
   * idempotent: a retry after a partial failure, or a second delete, finds nothing to free and
   * succeeds. Plugins that hold nothing outside leave it out.
   */
  release?(options: Options, context: ReleaseContext): Promise<void>;
}

export interface SourcePlugin<Options = Record<string, unknown>> extends PluginBase<
  Options,
  SourceTask
> {
  kind: 'source';
  /**
   * JSON Schema (draft 2020-12) of the positions its task returns and takes, with Chinese
   * `title`s: a position set through the management API (PATCH offsets) must pass it, so that
   * a task never resumes from a position it cannot read.
   */
  positionSchema: object;
}

export interface SinkPlugin<Options = Record<string, unknown>> extends PluginBase<
  Options,
  SinkTask
> {
  kind: 'sink';
}

export type ConnectorPlugin = SourcePlugin | SinkPlugin;

/** Type a plugin with its own options; the registry holds it with plain object options. */
export function defineSource<Options>(plugin: SourcePlugin<Options>): SourcePlugin {
  return plugin as unknown as SourcePlugin;
}

export function defineSink<Options>(plugin: SinkPlugin<Options>): SinkPlugin {
  return plugin as unknown as SinkPlugin;
}
