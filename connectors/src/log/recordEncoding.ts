import { InputError } from '@gx/platform';
import type { ProduceRecord, RecordValue, StreamOffset, StreamPartition } from './RecordLog.ts';

/**
 * Stream and group names: what Kafka accepts for a topic (letters, digits, `.`, `_`, `-`, at
 * most 249), so that a stream moves between transports under its own name.
 */
const NAME = /^[A-Za-z0-9._-]{1,249}$/;

/** Header carrying the value's kind on Kafka; PostgreSQL keeps it in a column. */
export const VALUE_TYPE_HEADER = 'gx.value-type';
const RESERVED_HEADER_PREFIX = 'gx.';

export function checkName(kind: 'stream' | 'group', name: string): void {
  if (typeof name !== 'string' || !NAME.test(name) || name === '.' || name === '..') {
    throw new InputError(`${kind === 'stream' ? '流' : '消费组'}名称无效: ${String(name)}`, [
      { path: kind, message: '只能包含字母、数字、"."、"_"、"-"，长度 1–249' },
    ]);
  }
}

export function checkPartitionCount(partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1_000) {
    throw new InputError(`分区数无效: ${partitions}`, [
      { path: 'partitions', message: '分区数须为 1–1000 的整数' },
    ]);
  }
}

export function checkOffset(offset: number, path = 'offset'): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new InputError(`偏移量无效: ${offset}`, [{ path, message: '偏移量须为非负整数' }]);
  }
}

export const MAX_READ = 1_000;

/** `RecordLog.read`'s arguments: a partition of the stream, an offset, a count within MAX_READ. */
export function checkReadOptions(
  partitions: number,
  partition: number,
  offset: number,
  max: number,
): void {
  checkOffset(offset);
  if (!Number.isInteger(partition) || partition < 0 || partition >= partitions) {
    throw new InputError(`分区号无效: ${partition}`, [
      { path: 'partition', message: `该流的分区号为 0–${partitions - 1}` },
    ]);
  }
  if (!Number.isInteger(max) || max < 1 || max > MAX_READ) {
    throw new InputError(`读取条数无效: ${max}`, [
      { path: 'max', message: `读取条数须为 1–${MAX_READ} 的整数` },
    ]);
  }
}

export interface EncodedRecord {
  key: string;
  value: Buffer;
  isJson: boolean;
  headers: Readonly<Record<string, string>> | undefined;
}

/** Check one record and turn its value into bytes (JSON as its UTF-8 text). */
export function encodeRecord(record: ProduceRecord, index: number): EncodedRecord {
  if (typeof record.key !== 'string') {
    throw new InputError(`第 ${index} 条记录缺少字符串键`, [
      { path: `/${index}/key`, message: '记录键须为字符串' },
    ]);
  }
  const headers = record.headers;
  if (headers !== undefined) {
    for (const [name, value] of Object.entries(headers)) {
      if (
        name.length === 0 ||
        name.startsWith(RESERVED_HEADER_PREFIX) ||
        typeof value !== 'string'
      ) {
        throw new InputError(`第 ${index} 条记录的头部 ${name} 无效`, [
          {
            path: `/${index}/headers/${name}`,
            message: '头部名称不能为空或以 "gx." 开头，值须为字符串',
          },
        ]);
      }
    }
  }
  if (Buffer.isBuffer(record.value)) {
    return { key: record.key, value: record.value, isJson: false, headers };
  }
  const text = JSON.stringify(record.value);
  if (text === undefined) {
    throw new InputError(`第 ${index} 条记录的值不是 JSON 值`, [
      { path: `/${index}/value`, message: '值须为 Buffer 或 JSON 值' },
    ]);
  }
  return { key: record.key, value: Buffer.from(text, 'utf8'), isJson: true, headers };
}

export function decodeValue(bytes: Buffer, isJson: boolean): RecordValue {
  return isJson ? (JSON.parse(bytes.toString('utf8')) as RecordValue) : bytes;
}

/** `stream/partition`, a map key. */
export function partitionId(stream: string, partition: number): string {
  return `${stream}/${partition}`;
}

/**
 * The offsets to commit after processing `records`: per partition, the last offset + 1.
 * Use it with records that were all processed (written to the sink).
 */
export function nextOffsets(records: readonly StreamOffset[]): StreamOffset[] {
  const next = new Map<string, StreamOffset>();
  for (const { stream, partition, offset } of records) {
    const id = partitionId(stream, partition);
    const seen = next.get(id);
    if (!seen || seen.offset <= offset) next.set(id, { stream, partition, offset: offset + 1 });
  }
  return [...next.values()];
}

export function samePartition(a: StreamPartition, b: StreamPartition): boolean {
  return a.stream === b.stream && a.partition === b.partition;
}
