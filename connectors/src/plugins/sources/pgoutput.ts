/**
 * A parser of PostgreSQL's `pgoutput` logical replication messages, protocol version 1
 * (PostgreSQL documentation, "Logical Replication Message Formats"). Pure: bytes in, messages
 * out. The `postgres-cdc` source reads these bytes with `pg_logical_slot_peek_binary_changes`,
 * one message per row, so each buffer holds exactly one message.
 *
 * Numbers are big-endian; strings are NUL-terminated and in the server's encoding (the source
 * refuses anything but UTF8); LSNs are printed as PostgreSQL prints them (`16/B374D848`).
 * Tuple values in protocol 1 are always text (`t`), null (`n`) or an unchanged TOAST value
 * (`u`) that the message does not carry.
 */

/** A TOASTed column an Update left unchanged: the WAL holds no copy, so pgoutput sends none. */
export const UNCHANGED_TOAST: unique symbol = Symbol('unchanged TOAST value');

/** One column of a tuple: its text output, SQL null, or an unchanged TOAST value. */
export type TupleValue = string | null | typeof UNCHANGED_TOAST;

export interface RelationColumn {
  name: string;
  /** part of the replica identity (pgoutput's flag 1) */
  isKey: boolean;
  typeOid: number;
  typeModifier: number;
}

export interface BeginMessage {
  tag: 'begin';
  /** LSN of the transaction's commit record */
  finalLsn: string;
  /** ISO 8601 with microseconds, UTC */
  commitTime: string;
  xid: number;
}

export interface CommitMessage {
  tag: 'commit';
  commitLsn: string;
  /** the end of the commit record: where a slot must stand to have consumed the transaction */
  endLsn: string;
  commitTime: string;
}

export interface OriginMessage {
  tag: 'origin';
  originLsn: string;
  name: string;
}

export interface RelationMessage {
  tag: 'relation';
  relationId: number;
  /** empty for pg_catalog, as pgoutput sends it */
  namespace: string;
  name: string;
  /** relreplident: `d` default, `n` nothing, `f` full, `i` index */
  replicaIdentity: string;
  columns: RelationColumn[];
}

export interface TypeMessage {
  tag: 'type';
  typeOid: number;
  namespace: string;
  name: string;
}

export interface InsertMessage {
  tag: 'insert';
  relationId: number;
  newTuple: TupleValue[];
}

export interface UpdateMessage {
  tag: 'update';
  relationId: number;
  /**
   * `key`: the old replica identity columns (sent when they changed); `old`: the whole old row
   * (REPLICA IDENTITY FULL); absent otherwise
   */
  oldKind?: 'key' | 'old';
  oldTuple?: TupleValue[];
  newTuple: TupleValue[];
}

export interface DeleteMessage {
  tag: 'delete';
  relationId: number;
  oldKind: 'key' | 'old';
  oldTuple: TupleValue[];
}

export interface TruncateMessage {
  tag: 'truncate';
  relationIds: number[];
  cascade: boolean;
  restartIdentity: boolean;
}

export type PgOutputMessage =
  | BeginMessage
  | CommitMessage
  | OriginMessage
  | RelationMessage
  | TypeMessage
  | InsertMessage
  | UpdateMessage
  | DeleteMessage
  | TruncateMessage;

/** microseconds from the Unix epoch to PostgreSQL's (2000-01-01 UTC) */
const PG_EPOCH_MICROS = 946_684_800_000_000n;

/** A cursor over one message; every read checks the bounds so a short message cannot go unnoticed. */
class Reader {
  private offset = 0;
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  private need(n: number): number {
    const at = this.offset;
    if (at + n > this.bytes.length) {
      throw new Error(`pgoutput 消息不完整：第 ${at} 字节处需要 ${n} 字节`);
    }
    this.offset += n;
    return at;
  }

  get done(): boolean {
    return this.offset === this.bytes.length;
  }

  byte(): number {
    return this.bytes[this.need(1)]!;
  }

  int16(): number {
    const at = this.need(2);
    return ((this.bytes[at]! << 24) | (this.bytes[at + 1]! << 16)) >> 16;
  }

  int32(): number {
    const at = this.need(4);
    const b = this.bytes;
    return (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
  }

  uint32(): number {
    return this.int32() >>> 0;
  }

  int64(): bigint {
    const high = BigInt(this.int32());
    const low = BigInt(this.uint32());
    return (high << 32n) | low;
  }

  lsn(): string {
    const high = this.uint32();
    const low = this.uint32();
    return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
  }

  timestamp(): string {
    return pgTimestampToIso(this.int64());
  }

  string(): string {
    const start = this.offset;
    const end = this.bytes.indexOf(0, start);
    if (end < 0) throw new Error(`pgoutput 消息不完整：第 ${start} 字节处的字符串没有结尾`);
    this.offset = end + 1;
    return textDecoder.decode(this.bytes.subarray(start, end));
  }

  text(length: number): string {
    const start = this.need(length);
    return textDecoder.decode(this.bytes.subarray(start, start + length));
  }
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });

/** microseconds since 2000-01-01 UTC → `2026-11-21T00:30:00.123456Z` */
function pgTimestampToIso(micros: bigint): string {
  const unixMicros = micros + PG_EPOCH_MICROS;
  let seconds = unixMicros / 1_000_000n;
  let fraction = unixMicros % 1_000_000n;
  if (fraction < 0n) {
    fraction += 1_000_000n;
    seconds -= 1n;
  }
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}.${fraction.toString().padStart(6, '0')}Z`;
}

function readTuple(reader: Reader): TupleValue[] {
  const count = reader.int16();
  const values: TupleValue[] = new Array<TupleValue>(count);
  for (let i = 0; i < count; i++) {
    const kind = String.fromCharCode(reader.byte());
    if (kind === 'n') values[i] = null;
    else if (kind === 'u') values[i] = UNCHANGED_TOAST;
    else if (kind === 't') values[i] = reader.text(reader.int32());
    else
      throw new Error(`pgoutput 元组中有未知的列类型标记 '${kind}'（只支持协议版本 1 的文本格式）`);
  }
  return values;
}

function oldKindOf(marker: string): 'key' | 'old' | undefined {
  if (marker === 'K') return 'key';
  if (marker === 'O') return 'old';
  return undefined;
}

function readRelation(reader: Reader): RelationMessage {
  const relationId = reader.uint32();
  const namespace = reader.string();
  const name = reader.string();
  const replicaIdentity = String.fromCharCode(reader.byte());
  const count = reader.int16();
  const columns: RelationColumn[] = [];
  for (let i = 0; i < count; i++) {
    const flags = reader.byte();
    columns.push({
      isKey: (flags & 1) === 1,
      name: reader.string(),
      typeOid: reader.uint32(),
      typeModifier: reader.int32(),
    });
  }
  return { tag: 'relation', relationId, namespace, name, replicaIdentity, columns };
}

function readUpdate(reader: Reader): UpdateMessage {
  const relationId = reader.uint32();
  let marker = String.fromCharCode(reader.byte());
  const oldKind = oldKindOf(marker);
  let oldTuple: TupleValue[] | undefined;
  if (oldKind) {
    oldTuple = readTuple(reader);
    marker = String.fromCharCode(reader.byte());
  }
  if (marker !== 'N') throw new Error(`pgoutput Update 消息缺少新元组（标记 '${marker}'）`);
  const newTuple = readTuple(reader);
  return oldKind && oldTuple
    ? { tag: 'update', relationId, oldKind, oldTuple, newTuple }
    : { tag: 'update', relationId, newTuple };
}

function readDelete(reader: Reader): DeleteMessage {
  const relationId = reader.uint32();
  const marker = String.fromCharCode(reader.byte());
  const oldKind = oldKindOf(marker);
  if (!oldKind) throw new Error(`pgoutput Delete 消息缺少旧元组（标记 '${marker}'）`);
  return { tag: 'delete', relationId, oldKind, oldTuple: readTuple(reader) };
}

function readTruncate(reader: Reader): TruncateMessage {
  const count = reader.int32();
  const options = reader.byte();
  const relationIds: number[] = [];
  for (let i = 0; i < count; i++) relationIds.push(reader.uint32());
  return {
    tag: 'truncate',
    relationIds,
    cascade: (options & 1) === 1,
    restartIdentity: (options & 2) === 2,
  };
}

function readMessage(reader: Reader, tag: string): PgOutputMessage {
  switch (tag) {
    case 'B':
      return {
        tag: 'begin',
        finalLsn: reader.lsn(),
        commitTime: reader.timestamp(),
        xid: reader.uint32(),
      };
    case 'C': {
      reader.byte(); // flags, unused
      return {
        tag: 'commit',
        commitLsn: reader.lsn(),
        endLsn: reader.lsn(),
        commitTime: reader.timestamp(),
      };
    }
    case 'O':
      return { tag: 'origin', originLsn: reader.lsn(), name: reader.string() };
    case 'R':
      return readRelation(reader);
    case 'Y':
      return {
        tag: 'type',
        typeOid: reader.uint32(),
        namespace: reader.string(),
        name: reader.string(),
      };
    case 'I': {
      const relationId = reader.uint32();
      const marker = String.fromCharCode(reader.byte());
      if (marker !== 'N') throw new Error(`pgoutput Insert 消息缺少新元组（标记 '${marker}'）`);
      return { tag: 'insert', relationId, newTuple: readTuple(reader) };
    }
    case 'U':
      return readUpdate(reader);
    case 'D':
      return readDelete(reader);
    case 'T':
      return readTruncate(reader);
    default:
      throw new Error(`未知的 pgoutput 消息类型 '${tag}'`);
  }
}

/**
 * One pgoutput message. Throws (in Chinese, for the connector status) on a truncated message,
 * trailing bytes, or a message type protocol version 1 does not send unasked (streaming, two-phase
 * and logical decoding messages are never requested by the source).
 */
export function parsePgOutputMessage(bytes: Uint8Array): PgOutputMessage {
  const reader = new Reader(bytes);
  const tag = String.fromCharCode(reader.byte());
  const message = readMessage(reader, tag);
  if (!reader.done) throw new Error(`pgoutput '${tag}' 消息末尾有多余的字节`);
  return message;
}
