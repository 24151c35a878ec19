/**
 * The record log's streams (DESIGN §3): per resource a raw stream, per subscription grant a
 * delivery stream, per connector a dead-letter stream. Names are Kafka-legal topic names.
 */
export const streamNames = {
  raw: (resourceCode: string) => `gx.raw.${resourceCode}`,
  delivery: (grantId: string) => `gx.delivery.${grantId}`,
  deadLetter: (connector: string) => `gx.dlq.${connector}`,
} as const;

/** Partitions of a stream the runtime creates; a stream keeps its count once created. */
export const DEFAULT_PARTITIONS = 4;

/**
 * The `connect.connector` header of raw records that no connector brought: records written on
 * the exchange side (records API ingestion, objection corrections), relayed from the outbox
 * (`ExchangeWritesRelay`). Their ingestion is already in the evidence log, written by the
 * exchange API; enforcement records only their deliveries. Not a connector name (those start
 * with a letter or digit).
 */
export const EXCHANGE_WRITES = '_exchange-api';

/** Record headers the runtime sets (`gx.` is the record log's own). */
export const headers = {
  /** the source connector that produced a raw record */
  connector: 'connect.connector',
  /** a dead letter's reason */
  reason: 'connect.reason',
  /** the resource schema version a delivered record was validated against */
  schemaVersion: 'connect.schema-version',
  /**
   * on a raw record from the outbox that is an initial-load marker: the grant whose new sink
   * asked for the key's stored record (the marker's value is null)
   */
  initialLoadGrant: 'connect.initial-load-grant',
  /**
   * `delete` on a tombstone (ADR 0012): the record of this key is gone for the stream's reader —
   * its provider deleted it. On a raw stream the value is null; on a delivery stream it is the record's key fields as the
   * grant's policy shapes them (the values the reader's earlier copies carried), so a sink can
   * find and remove its copy. Absent on every other record.
   */
  op: 'connect.op',
  /** prefix of a dead letter's context entries: `connect.context.line` … */
  contextPrefix: 'connect.context.',
} as const;

/** Consumer groups of the runtime. */
export const streamGroups = {
  /** the members of one sink connector's tasks, reading its grant's delivery stream */
  sink: (connector: string) => `connect.${connector}`,
  /** the enforcement workers of one resource, reading its raw stream */
  enforcement: (resourceCode: string) => `gx.enforcement.${resourceCode}`,
} as const;
