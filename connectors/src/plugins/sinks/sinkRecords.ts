import { readFileSync } from 'node:fs';
import { jsonSchemaPath } from '@gx/schemas';
import type { JsonValue, LogRecord } from '../../log/RecordLog.ts';
import type { DeadLetter } from '../../runtime/plugin.ts';
import { headers } from '../../runtime/streamNames.ts';

/** Helpers the sink plugins share: options schemas, record values, dead letters. */

export type JsonObject = { [field: string]: JsonValue };

/** A delivered record whose value is a JSON object, as every sink needs it. */
export interface ObjectRecord {
  record: LogRecord;
  value: JsonObject;
  /**
   * A tombstone (ADR 0012): the reader's copy of this key is to be removed, and `value` holds
   * only the key fields as the grant's policy shapes them, never a record to write.
   */
  isTombstone: boolean;
}

/**
 * True when the record is a tombstone (header `connect.op: delete`, ADR 0012) rather than an
 * upsert: the record of its key is gone for the stream's reader.
 */
export function isTombstone(record: LogRecord): boolean {
  return record.headers[headers.op] === 'delete';
}

/** The options schema of a connector type, kept in `schemas/json/connectors/<type>.schema.json`. */
export function loadOptionsSchema(type: string): object {
  return JSON.parse(readFileSync(jsonSchemaPath('connectors', type), 'utf8')) as object;
}

/** Where a record came from, for a dead letter's context (strings only). */
export function recordContext(record: LogRecord): Record<string, string> {
  return {
    stream: record.stream,
    partition: String(record.partition),
    offset: String(record.offset),
  };
}

export function deadLetterOf(
  record: LogRecord,
  reason: string,
  context: Record<string, string> = {},
): DeadLetter {
  const value: JsonValue = Buffer.isBuffer(record.value)
    ? record.value.toString('utf8')
    : record.value;
  return { key: record.key, value, reason, context: { ...recordContext(record), ...context } };
}

function isJsonObject(value: LogRecord['value']): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value)
  );
}

/**
 * Separate the records a sink can act on (a JSON object value, as the grant's policy produces:
 * a record to write, or a tombstone's key fields) from the rest, which no retry can fix.
 */
export function objectRecords(records: readonly LogRecord[]): {
  objects: ObjectRecord[];
  deadLetters: DeadLetter[];
} {
  const objects: ObjectRecord[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const record of records) {
    const isDelete = isTombstone(record);
    if (isJsonObject(record.value)) {
      objects.push({ record, value: record.value, isTombstone: isDelete });
    } else {
      deadLetters.push(
        deadLetterOf(
          record,
          isDelete
            ? '删除标记的值不是 JSON 对象 (应为记录的键字段)，无法确定要删除的记录'
            : '记录值不是 JSON 对象，无法写入',
        ),
      );
    }
  }
  return { objects, deadLetters };
}

/**
 * One record per key, the newest (highest offset; a key always lands in the same partition),
 * in the order of the records kept. Writing only the newest gives the target the state it
 * would have after writing them all in order, whatever the batch boundaries. A tombstone counts
 * like any record: after an upsert of its key it deletes, before one it is superseded.
 */
export function latestByKey<T extends { record: LogRecord }>(items: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const item of items) {
    const seen = latest.get(item.record.key);
    if (!seen || item.record.offset >= seen.record.offset) latest.set(item.record.key, item);
  }
  if (latest.size === items.length) return [...items];
  return items.filter((item) => latest.get(item.record.key) === item);
}
