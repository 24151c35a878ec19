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
      yield encodeChunk(
        streamId,
        records,
        partitions,
        offsets,
        start,
        Math.min(start + CHUNK_ROWS, records.length),
      );
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

/**
 * Rows `start`–`end` as one buffer of COPY binary tuples, written in place: one allocation per
 * chunk instead of half a dozen small buffers per row (the garbage collector's share of the
 * pipeline was its largest single cost). Records usually share one headers object (a batch's
 * connector or schema version): its encoding is reused while the next record has the same one.
 */
function encodeChunk(
  streamId: number,
  records: readonly EncodedRecord[],
  partitions: readonly number[],
  offsets: readonly number[],
  start: number,
  end: number,
): Buffer {
  const keyBytes: number[] = [];
  const headerFields: Buffer[] = [];
  let lastHeaders: EncodedRecord['headers'] | null = null;
  let lastField: Buffer = NULL_FIELD;
  let size = 0;
  for (let i = start; i < end; i += 1) {
    const record = records[i]!;
    if (record.headers !== lastHeaders) {
      lastHeaders = record.headers;
      lastField = headersField(record.headers);
    }
    const bytes = Buffer.byteLength(record.key, 'utf8');
    keyBytes.push(bytes);
    headerFields.push(lastField);
    size += FIXED_BYTES + bytes + 4 + record.value.length + 5 + lastField.length;
  }
  const b = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = start; i < end; i += 1) {
    const record = records[i]!;
    const bytes = keyBytes[i - start]!;
    // field count, then each field as its length word and its bytes
    at = b.writeInt16BE(FIELDS, at);
    at = b.writeInt32BE(4, at);
    at = b.writeInt32BE(streamId, at);
    at = b.writeInt32BE(4, at);
    at = b.writeInt32BE(partitions[i]!, at);
    at = b.writeInt32BE(8, at);
    at = b.writeBigInt64BE(BigInt(offsets[i]!), at);
    at = b.writeInt32BE(bytes, at);
    at += b.write(record.key, at, bytes, 'utf8');
    at = b.writeInt32BE(record.value.length, at);
    at += record.value.copy(b, at);
    at += (record.isJson ? TRUE_FIELD : FALSE_FIELD).copy(b, at);
    at += headerFields[i - start]!.copy(b, at);
  }
  return b;
}

/** field count, stream_id, partition and record_offset with their length words, the key's length word */
const FIXED_BYTES = 2 + 8 + 8 + 12 + 4;

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
