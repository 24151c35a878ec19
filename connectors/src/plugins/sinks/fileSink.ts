import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, truncate } from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, InputError } from '@gx/platform';
import type { JsonValue, LogRecord } from '../../log/RecordLog.ts';
import { defineSink, type DeadLetter, type SinkTask } from '../../runtime/plugin.ts';
import {
  deadLetterOf,
  loadOptionsSchema,
  objectRecords,
  type ObjectRecord,
} from './sinkRecords.ts';

/** Options of `file` (schemas/json/connectors/file.schema.json). */
export interface FileSinkOptions {
  directory: string;
  format?: 'jsonl' | 'csv';
  /** default: the connector's name */
  prefix?: string;
  maxRecordsPerFile?: number;
}

type Format = 'jsonl' | 'csv';

/*
 * Files and their life (docs in the options schema):
 *
 *   .<prefix>-p<P>-<first>.<ext>.<random>.tmp        being created; never trusted
 *   .<prefix>-p<P>-<first>-<last>-<bytes>.<ext>.part  open: its first <bytes> hold offsets
 *                                                      first..last of partition P
 *   <prefix>-p<P>-<first>-<last>.<ext>                complete, never changed again
 *
 * Every step that makes records durable ends with a rename, and a name only ever claims bytes
 * that were synced before it was given. So whatever instant a crash hits, the names on disk
 * say exactly which offsets are written: a restarted task skips offsets up to the highest
 * `last` of the partition, cuts an open file back to its `<bytes>` (dropping an append that was
 * not renamed) and completes it. The runtime commits offsets only after `write` resolves, so
 * what the names do not claim arrives again.
 */

const OFFSET_DIGITS = 12;

function pad(offset: number): string {
  return String(offset).padStart(OFFSET_DIGITS, '0');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface PartFile {
  name: string;
  partition: number;
  first: number;
  last: number;
  bytes: number;
  format: Format;
}

interface OpenFile extends PartFile {
  /** CSV: the header (before `_op`), the fields of the file's first upsert */
  columns: string[] | undefined;
  /**
   * CSV: the header came from a tombstone (no upsert when the file began), so it names only
   * key fields. The next upsert goes to a new file, whose header can hold all its fields.
   */
  isKeyOnlyHeader: boolean;
}

/**
 * The column (CSV) or field (JSON Lines, deletion lines only) that tells a deletion from a
 * record. Record fields start with a letter (information items are named `^[a-z][a-z0-9_]*$`),
 * so it cannot clash with one.
 */
const OP = '_op';

interface Listing {
  /** highest offset written per partition, complete or open */
  highest: Map<number, number>;
  parts: PartFile[];
  temporaries: { name: string; partition: number }[];
}

class FileNames {
  readonly #prefix: string;
  readonly #final: RegExp;
  readonly #part: RegExp;
  readonly #temporary: RegExp;

  constructor(prefix: string) {
    this.#prefix = prefix;
    const p = escapeRegExp(prefix);
    this.#final = new RegExp(`^${p}-p(\\d+)-(\\d+)-(\\d+)\\.(?:jsonl|csv)$`);
    this.#part = new RegExp(`^\\.${p}-p(\\d+)-(\\d+)-(\\d+)-(\\d+)\\.(jsonl|csv)\\.part$`);
    this.#temporary = new RegExp(`^\\.${p}-p(\\d+)-\\d+\\.(?:jsonl|csv)\\.[0-9a-f]+\\.tmp$`);
  }

  final(file: { partition: number; first: number; last: number; format: Format }): string {
    return `${this.#prefix}-p${file.partition}-${pad(file.first)}-${pad(file.last)}.${file.format}`;
  }

  part(file: Omit<PartFile, 'name'>): string {
    return `.${this.#prefix}-p${file.partition}-${pad(file.first)}-${pad(file.last)}-${file.bytes}.${file.format}.part`;
  }

  temporary(partition: number, first: number, format: Format): string {
    return `.${this.#prefix}-p${partition}-${pad(first)}.${format}.${randomBytes(6).toString('hex')}.tmp`;
  }

  list(names: string[]): Listing {
    const listing: Listing = { highest: new Map(), parts: [], temporaries: [] };
    const seen = (partition: number, last: number) =>
      listing.highest.set(partition, Math.max(last, listing.highest.get(partition) ?? -1));
    for (const name of names) {
      let m = this.#final.exec(name);
      if (m) {
        seen(Number(m[1]), Number(m[3]));
        continue;
      }
      m = this.#part.exec(name);
      if (m) {
        const part: PartFile = {
          name,
          partition: Number(m[1]),
          first: Number(m[2]),
          last: Number(m[3]),
          bytes: Number(m[4]),
          format: m[5] as Format,
        };
        listing.parts.push(part);
        seen(part.partition, part.last);
        continue;
      }
      m = this.#temporary.exec(name);
      if (m) listing.temporaries.push({ name, partition: Number(m[1]) });
    }
    return listing;
  }
}

/** RFC 4180: a field with a quote, comma or line break is quoted, its quotes doubled. */
function csvField(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvRow(fields: readonly (JsonValue | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

const BOM = '\uFEFF';

class FileSinkTask implements SinkTask {
  readonly #directory: string;
  readonly #format: Format;
  readonly #maxRecordsPerFile: number;
  readonly #names: FileNames;
  /** the open file this task appends to, per partition */
  readonly #open = new Map<number, OpenFile>();
  /** file names carry no stream: one task writes one delivery stream */
  #stream: string | undefined;

  constructor(directory: string, format: Format, maxRecordsPerFile: number, names: FileNames) {
    this.#directory = directory;
    this.#format = format;
    this.#maxRecordsPerFile = maxRecordsPerFile;
    this.#names = names;
  }

  #path(name: string): string {
    return path.join(this.#directory, name);
  }

  async list(): Promise<Listing> {
    return this.#names.list(await readdir(this.#directory));
  }

  /** Complete a file another task (or this one before a crash) left open, as far as its name says. */
  async adopt(listing: Listing, partition?: number): Promise<void> {
    for (const part of listing.parts) {
      if (partition !== undefined && part.partition !== partition) continue;
      await truncate(this.#path(part.name), part.bytes);
      await rename(this.#path(part.name), this.#path(this.#names.final(part)));
    }
    for (const temporary of listing.temporaries) {
      if (partition !== undefined && temporary.partition !== partition) continue;
      await rm(this.#path(temporary.name), { force: true });
    }
  }

  async write(
    records: readonly LogRecord[],
    { signal }: { signal: AbortSignal },
  ): Promise<{ deadLetters: DeadLetter[] }> {
    const { objects: all, deadLetters } = objectRecords(records);
    // A deletion line without a field could not tell a reader which record went.
    const objects = all.filter((item) => {
      if (!item.isTombstone || Object.keys(item.value).length > 0) return true;
      deadLetters.push(deadLetterOf(item.record, '删除标记不含任何键字段，无法写出删除行'));
      return false;
    });
    if (objects.length === 0) return { deadLetters };
    const byPartition = new Map<number, ObjectRecord[]>();
    for (const item of objects) {
      this.#stream ??= item.record.stream;
      if (item.record.stream !== this.#stream) {
        throw new ConflictError(
          `文件落地任务只能写一个数据流: 已写 ${this.#stream}，又收到 ${item.record.stream}`,
        );
      }
      const list = byPartition.get(item.record.partition);
      if (list) list.push(item);
      else byPartition.set(item.record.partition, [item]);
    }

    // The directory, not memory, says what is written: after a crash, or when the partition
    // comes back from another task, the files are the truth.
    const listing = await this.list();
    for (const [partition, items] of byPartition) {
      signal.throwIfAborted();
      const own = this.#open.get(partition);
      const isOwnListed = own !== undefined && listing.parts.some((p) => p.name === own.name);
      if (own && !isOwnListed) this.#open.delete(partition);
      const foreign: Listing = {
        ...listing,
        parts: listing.parts.filter((p) => p.partition === partition && p.name !== own?.name),
      };
      await this.adopt(foreign, partition);
      const highest = listing.highest.get(partition) ?? -1;
      const fresh = items.filter((item) => item.record.offset > highest);
      await this.#append(partition, fresh);
    }
    await this.#syncDirectory();
    return { deadLetters };
  }

  async #append(partition: number, items: ObjectRecord[]): Promise<void> {
    let start = 0;
    while (start < items.length) {
      let file = this.#open.get(partition);
      const first = file?.first ?? items[start]!.record.offset;
      const limit = first + this.#maxRecordsPerFile - 1;
      const isKeyOnly = file?.isKeyOnlyHeader === true;
      let end = start;
      while (
        end < items.length &&
        items[end]!.record.offset <= limit &&
        !(isKeyOnly && !items[end]!.isTombstone)
      ) {
        end++;
      }
      if (end === start) {
        // the next record does not fit, or is an upsert after a key-only header: this file is
        // complete
        await this.#complete(file!);
        continue;
      }
      const chunk = items.slice(start, end);
      file = file ? await this.#appendTo(file, chunk) : await this.#create(partition, chunk);
      this.#open.set(partition, file);
      if (file.last >= limit) await this.#complete(file);
      start = end;
    }
  }

  #encode(columns: string[] | undefined, items: ObjectRecord[], isNewFile: boolean): string {
    if (this.#format === 'jsonl') {
      // a record's line stays the record as delivered; only a deletion line carries `_op`
      return items
        .map(({ value, isTombstone }) =>
          isTombstone
            ? `${JSON.stringify({ [OP]: 'delete', ...value })}\n`
            : `${JSON.stringify(value)}\n`,
        )
        .join('');
    }
    const rows = items.map(({ value, isTombstone }) =>
      csvRow([
        ...columns!.map((c) => (Object.hasOwn(value, c) ? value[c] : undefined)),
        isTombstone ? 'delete' : 'upsert',
      ]),
    );
    return (isNewFile ? BOM + csvRow([...columns!, OP]) : '') + rows.join('');
  }

  async #create(partition: number, items: ObjectRecord[]): Promise<OpenFile> {
    const first = items[0]!.record.offset;
    // The header comes from an upsert when the file begins with one in hand: a tombstone's
    // value has the key fields only.
    const upsert = items.find((item) => !item.isTombstone);
    const columns = this.#format === 'csv' ? Object.keys((upsert ?? items[0]!).value) : undefined;
    const data = Buffer.from(this.#encode(columns, items, true), 'utf8');
    const temporary = this.#path(this.#names.temporary(partition, first, this.#format));
    const handle = await open(temporary, 'wx');
    try {
      await handle.write(data);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    const file: Omit<OpenFile, 'name'> = {
      partition,
      first,
      last: items.at(-1)!.record.offset,
      bytes: data.length,
      format: this.#format,
      columns,
      isKeyOnlyHeader: this.#format === 'csv' && upsert === undefined,
    };
    const name = this.#names.part(file);
    await rename(temporary, this.#path(name));
    return { ...file, name };
  }

  async #appendTo(file: OpenFile, items: ObjectRecord[]): Promise<OpenFile> {
    const data = Buffer.from(this.#encode(file.columns, items, false), 'utf8');
    const handle = await open(this.#path(file.name), 'r+');
    try {
      // drop whatever a failed earlier append left beyond what the name claims
      await handle.truncate(file.bytes);
      await handle.write(data, 0, data.length, file.bytes);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    const next: Omit<OpenFile, 'name'> = {
      ...file,
      last: items.at(-1)!.record.offset,
      bytes: file.bytes + data.length,
    };
    const name = this.#names.part(next);
    await rename(this.#path(file.name), this.#path(name));
    return { ...next, name };
  }

  async #complete(file: OpenFile): Promise<void> {
    await rename(this.#path(file.name), this.#path(this.#names.final(file)));
    this.#open.delete(file.partition);
  }

  /** make the renames durable, not only the bytes */
  async #syncDirectory(): Promise<void> {
    const handle = await open(this.#directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async close(): Promise<void> {
    const listing = await this.list();
    for (const file of this.#open.values()) {
      if (listing.parts.some((p) => p.name === file.name)) await this.#complete(file);
    }
    this.#open.clear();
    await this.#syncDirectory();
  }
}

/**
 * Writes delivered records to rolling JSON Lines or CSV files, one series per partition,
 * each offset exactly once across crashes (see the file life above).
 *
 * A tombstone (ADR 0012: the key's record is gone for the consumer) becomes a deletion line in
 * its place among the records, with the key fields its value holds. JSON Lines: a record's line
 * is the record as before, a deletion line is `{"_op":"delete",<key fields>}`. CSV: the last
 * column `_op` says `upsert` or `delete` on every row; a deletion row fills only the key fields'
 * columns. A tombstone without any field is a dead letter: its line could not name the record.
 */
export const fileSink = defineSink<FileSinkOptions>({
  kind: 'sink',
  type: 'file',
  title: '文件落地',
  optionsSchema: loadOptionsSchema('file'),
  async create(options, context) {
    if (!path.isAbsolute(options.directory)) {
      throw new InputError('目录须为绝对路径', [{ path: '/directory', message: '须为绝对路径' }]);
    }
    const prefix = options.prefix ?? context.connector;
    await mkdir(options.directory, { recursive: true });
    const task = new FileSinkTask(
      options.directory,
      options.format ?? 'jsonl',
      options.maxRecordsPerFile ?? 100_000,
      new FileNames(prefix),
    );
    // Files a crashed task left open are completed now, so that they do not wait, hidden,
    // for the next record of their partition.
    await task.adopt(await task.list());
    return task;
  },
});
