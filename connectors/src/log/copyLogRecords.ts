import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { EncodedRecord } from './recordEncoding.ts';

/** rows per buffer handed to the COPY stream */
const CHUNK_ROWS = 1_000;
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** flags (int32) and header extension length (int32), both zero */
const HEADER = Buffer.concat([SIGNATURE, Buffer.alloc(8)]);
const TRAILER = Buffer.from([0xff, 0xff]);
const FIELDS = 7;
/** jsonb's binary form is a version byte before the JSON text */
const JSONB_VERSION = 1;

/**
 * Insert records into `log_records` with `COPY … FROM STDIN (FORMAT binary)`: values go to
 * the server as raw bytes (no hex text of bytea, no array literal to parse), which is what
 * lets the PostgreSQL log keep up with tens of thousands of 1 KB records per second.
 * Runs on `client` inside the caller's transaction.
 */
export async function copyLogRecords(
  client: pg.PoolClient,
  streamId: number,
  records: readonly EncodedRecord[],
  partitions: readonly number[],
  offsets: readonly number[],
): Promise<void> {
  function* chunks() {
    yield HEADER;
    for (let start = 0; start < records.length; start += CHUNK_ROWS) {
      const end = Math.min(start + CHUNK_ROWS, records.length);
      const parts: Buffer[] = [];
      for (let i = start; i < end; i += 1) {
        const record = records[i]!;
        parts.push(
          fixedFields(streamId, partitions[i]!, offsets[i]!, Buffer.byteLength(record.key)),
          Buffer.from(record.key, 'utf8'),
          length(record.value.length),
          record.value,
          record.isJson ? TRUE_FIELD : FALSE_FIELD,
          headersField(record.headers),
        );
      }
      yield Buffer.concat(parts);
    }
    yield TRAILER;
  }
  await pipeline(
    Readable.from(chunks()),
    client.query(
      copyStreams.from(
        `COPY log_records (stream_id, partition, record_offset, record_key, value, is_json, headers)
         FROM STDIN (FORMAT binary)`,
      ),
    ),
  );
}

/** field count, stream_id, partition, record_offset and the key's length word */
function fixedFields(
  streamId: number,
  partition: number,
  offset: number,
  keyBytes: number,
): Buffer {
  const b = Buffer.allocUnsafe(2 + 8 + 8 + 12 + 4);
  b.writeInt16BE(FIELDS, 0);
  b.writeInt32BE(4, 2);
  b.writeInt32BE(streamId, 6);
  b.writeInt32BE(4, 10);
  b.writeInt32BE(partition, 14);
  b.writeInt32BE(8, 18);
  b.writeBigInt64BE(BigInt(offset), 22);
  b.writeInt32BE(keyBytes, 30);
  return b;
}

function length(bytes: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32BE(bytes, 0);
  return b;
}

const TRUE_FIELD = Buffer.from([0, 0, 0, 1, 1]);
const FALSE_FIELD = Buffer.from([0, 0, 0, 1, 0]);
const NULL_FIELD = Buffer.from([0xff, 0xff, 0xff, 0xff]);

function headersField(headers: EncodedRecord['headers']): Buffer {
  if (!headers || Object.keys(headers).length === 0) return NULL_FIELD;
  const json = Buffer.from(JSON.stringify(headers), 'utf8');
  const b = Buffer.allocUnsafe(4 + 1 + json.length);
  b.writeInt32BE(1 + json.length, 0);
  b.writeUInt8(JSONB_VERSION, 4);
  json.copy(b, 5);
  return b;
}
