import { copyFile, lstat, mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { FieldType } from '@gx/exchange-api';
import type { Logger } from '@gx/platform';
import type { JsonValue } from '../../log/RecordLog.ts';
import {
  defineSource,
  type PluginContext,
  type SourceBatch,
  type SourceTask,
} from '../../runtime/plugin.ts';
import {
  BatchCollector,
  isJsonObject,
  checkMarkerMapped,
  type DeleteMarker,
  type RecordValue,
} from './BatchCollector.ts';
import { loadOptionsSchema } from './loadOptionsSchema.ts';
import { readCsvRecords } from './readCsvRecords.ts';
import { readLines } from './readLines.ts';

/** A type alias (not an interface) so that it is assignable to the registry's plain options. */
export type FileDropOptions = {
  directory: string;
  format?: 'auto' | 'csv' | 'jsonl';
  /** default `<directory>/processed` */
  processedDirectory?: string;
  csv?: { delimiter?: string; header?: boolean };
  /** CSV header (or 1-based column number without header) → field; only these are kept */
  columns?: Record<string, string>;
  /**
   * CSV cells of columns that are not fields of the resource's record schema and are exactly a
   * JSON number literal become numbers; default false (cells of the resource's fields are
   * converted by their field's type anyway)
   */
  inferNumbers?: boolean;
  /** a line whose `field` holds one of `values` deletes the record with its key */
  deleteMarker?: DeleteMarker;
};

/**
 * `line`: the last line of `file` already returned (1-based; a CSV header is line 1).
 * `inode`: which file of that name it was, so that a later file dropped under the same name
 * is read from its start instead of resumed (or moved aside unread).
 */
export interface FileDropPosition {
  file: string;
  line: number;
  inode?: string;
}

type Format = 'csv' | 'jsonl';

/** one line (or multi-line CSV record) of a file: a value, or why it is not one */
interface Entry {
  start: number;
  end: number;
  value?: RecordValue;
  raw: string;
  error?: string;
}

interface OpenFile {
  file: string;
  inode: string;
  /** the last line returned so far */
  line: number;
  entries: AsyncGenerator<Entry>;
  /** an entry read ahead to learn whether the file ends with the batch */
  peeked?: IteratorResult<Entry>;
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * A cell that is exactly a JSON number literal, as a number when a double holds it exactly
 * (safe integers; decimals of at most 15 significant digits); anything else stays text, so
 * codes with leading zeros (`007`) and long identifiers keep every character.
 */
function inferNumber(cell: string): JsonValue {
  if (!JSON_NUMBER.test(cell)) return cell;
  const n = Number(cell);
  if (/^-?\d+$/.test(cell)) return Number.isSafeInteger(n) ? n : cell;
  const digits = cell
    .replace(/[eE].*$/, '')
    .replace(/[-.]/g, '')
    .replace(/^0+/, '');
  return digits.length <= 15 && Number.isFinite(n) ? n : cell;
}

/** what a CSV cell of a yes/no field may say (compared in lower case, without spaces) */
const BOOLEAN_CELLS: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  t: true,
  f: false,
  yes: true,
  no: false,
  y: true,
  n: false,
  '1': true,
  '0': false,
  是: true,
  否: false,
};

/**
 * A CSV cell as the JSON value of its field's type, or `undefined` to leave the field out: an
 * empty cell of a field of the resource has no value (record schemas admit no null). A cell that
 * does not read as its type stays text, so that enforcement refuses the record naming the field
 * and the operator sees the cell. Columns that are not fields of the resource (none with
 * `columns`; the schema refuses them) keep the old reading: text, numbers with `inferNumbers`.
 */
function typedCell(
  cell: string | null,
  type: FieldType | undefined,
  inferNumbers: boolean,
): JsonValue | undefined {
  if (type === undefined) {
    if (cell === null) return null;
    return inferNumbers ? inferNumber(cell) : cell;
  }
  if (cell === null) return undefined;
  switch (type) {
    case 'integer':
    case 'number': {
      const text = cell.trim();
      if (text === '') return undefined;
      if (!JSON_NUMBER.test(text)) return cell;
      const n = Number(text);
      if (type === 'integer' && Number.isInteger(n) && !Number.isSafeInteger(n)) return cell;
      return Number.isFinite(n) ? n : cell;
    }
    case 'boolean': {
      const text = cell.trim().toLowerCase();
      if (text === '') return undefined;
      return BOOLEAN_CELLS[text] ?? cell;
    }
    default:
      return cell;
  }
}

function formatOf(file: string, configured: FileDropOptions['format']): Format | undefined {
  if (configured === 'csv' || configured === 'jsonl') return configured;
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  return undefined;
}

/** writers rename a file when it is complete; until then it is hidden or `.tmp` / `.part` */
function isPending(name: string): boolean {
  return name.startsWith('.') || /\.(tmp|part)$/i.test(name);
}

async function inodeOf(file: string): Promise<string | undefined> {
  try {
    return String((await stat(file, { bigint: true })).ino);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function isPosition(value: JsonValue | null): value is FileDropPosition & JsonValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value.file === 'string' &&
    typeof value.line === 'number'
  );
}

async function* jsonlEntries(file: string, skipThrough: number): AsyncGenerator<Entry> {
  for await (const { text, number } of readLines(file)) {
    if (number <= skipThrough || text.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      yield {
        start: number,
        end: number,
        raw: text,
        error: `JSON 无效: ${(error as Error).message}`,
      };
      continue;
    }
    yield isJsonObject(parsed)
      ? { start: number, end: number, raw: text, value: parsed }
      : { start: number, end: number, raw: text, error: '不是 JSON 对象' };
  }
}

/**
 * The data records of a CSV file after `skipThrough`. The header is read on every opening (the
 * field names come from it) but reported only when it is itself after `skipThrough`.
 */
async function* csvEntries(
  file: string,
  options: FileDropOptions,
  fieldTypes: Readonly<Record<string, FieldType>>,
  skipThrough: number,
): AsyncGenerator<Entry> {
  const hasHeader = options.csv?.header ?? true;
  const inferNumbers = options.inferNumbers === true;
  /** [cell index, field] of every output field; set from the header or the first record */
  let fields: [number, string][] | undefined;
  let width: number | undefined;
  const select = (names: string[]): { fields: [number, string][]; missing: string[] } => {
    if (!options.columns) return { fields: names.map((n, i) => [i, n]), missing: [] };
    const index = new Map(names.map((n, i) => [n, i]));
    const missing = Object.keys(options.columns).filter((c) => !index.has(c));
    const selected = Object.entries(options.columns)
      .filter(([column]) => index.has(column))
      .map(([column, field]): [number, string] => [index.get(column)!, field]);
    return { fields: selected, missing };
  };

  for await (const record of readCsvRecords(readLines(file), options.csv?.delimiter ?? ',')) {
    const { start, end, raw } = record;
    if (hasHeader && width === undefined) {
      const names = record.cells.map((c) => c ?? '');
      width = names.length;
      const selected = select(names);
      fields = selected.fields;
      if (end <= skipThrough) continue;
      if (record.error !== undefined) {
        yield { start, end, raw, error: `表头格式错误: ${record.error}` };
      } else if (selected.missing.length > 0) {
        yield { start, end, raw, error: `表头缺少列 ${selected.missing.join('、')}` };
      }
      continue;
    }
    if (end <= skipThrough) continue;
    if (record.error !== undefined) {
      yield { start, end, raw, error: record.error };
      continue;
    }
    if (width !== undefined && record.cells.length !== width) {
      yield { start, end, raw, error: `有 ${record.cells.length} 列，表头有 ${width} 列` };
      continue;
    }
    // without a header, fields are the column numbers "1", "2"… of each record
    const own = fields ?? select(record.cells.map((_, i) => String(i + 1))).fields;
    const value: RecordValue = {};
    for (const [index, field] of own) {
      const cell = typedCell(record.cells[index] ?? null, fieldTypes[field], inferNumbers);
      if (cell !== undefined) value[field] = cell;
    }
    yield { start, end, raw, value };
  }
}

/**
 * A drop folder: complete files are read in name order, in batches, resumable mid-file; the
 * batch that finishes a file moves it aside once its position is stored. One file is read at a
 * time and kept open between polls; a poll from any other position reopens the file and skips
 * to it (after a restart, or when the runtime asks again after failing to store a batch).
 */
class FileDropTask implements SourceTask {
  private readonly options: FileDropOptions;
  private readonly processed: string;
  private readonly keyFields: readonly string[];
  private readonly fieldTypes: Readonly<Record<string, FieldType>>;
  private readonly logger: Logger;
  private readonly ignored = new Set<string>();
  private open: OpenFile | undefined;

  constructor(options: FileDropOptions, context: PluginContext) {
    this.options = options;
    this.processed = options.processedDirectory ?? path.join(options.directory, 'processed');
    this.keyFields = context.keyFields;
    this.fieldTypes = context.fieldTypes;
    this.logger = context.logger;
  }

  /** the ready files, in name order */
  private async listFiles(): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(this.options.directory, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(`无法读取投递目录 ${this.options.directory}: ${code ?? '未知错误'}`);
    }
    const files: string[] = [];
    for (const entry of entries) {
      if (!entry.isFile() || isPending(entry.name)) continue;
      if (formatOf(entry.name, this.options.format) === undefined) {
        if (!this.ignored.has(entry.name)) {
          this.ignored.add(entry.name);
          this.logger.warn({ file: entry.name }, '投递目录中的文件扩展名无法识别，已忽略');
        }
        continue;
      }
      files.push(entry.name);
    }
    return files.sort();
  }

  /** the file and line to go on from: the position's file if it is still there, else the first */
  private async openNext(position: FileDropPosition | undefined): Promise<OpenFile | undefined> {
    const files = await this.listFiles();
    let file: string | undefined;
    let inode: string | undefined;
    let after = 0;
    if (position && files.includes(position.file)) {
      inode = await inodeOf(path.join(this.options.directory, position.file));
      if (inode !== undefined && (position.inode === undefined || position.inode === inode)) {
        file = position.file;
        after = position.line;
      }
    }
    if (file === undefined) {
      for (const candidate of files) {
        inode = await inodeOf(path.join(this.options.directory, candidate));
        if (inode !== undefined) {
          file = candidate;
          break;
        }
      }
    }
    if (file === undefined || inode === undefined) return undefined;
    const full = path.join(this.options.directory, file);
    const entries =
      formatOf(file, this.options.format) === 'csv'
        ? csvEntries(full, this.options, this.fieldTypes, after)
        : jsonlEntries(full, after);
    return { file, inode, line: after, entries };
  }

  private async closeOpen(): Promise<void> {
    const open = this.open;
    this.open = undefined;
    await open?.entries.return(undefined);
  }

  async poll(
    stored: JsonValue | null,
    { maxRecords, signal }: { maxRecords: number; signal: AbortSignal },
  ): Promise<SourceBatch | null> {
    signal.throwIfAborted();
    const position = isPosition(stored) ? stored : undefined;
    let open = this.open;
    if (
      !open ||
      !position ||
      open.file !== position.file ||
      open.line !== position.line ||
      open.inode !== position.inode
    ) {
      await this.closeOpen();
      open = await this.openNext(position);
      if (!open) return null;
      this.open = open;
    }

    const { file } = open;
    const batch = new BatchCollector(this.keyFields, this.options.deleteMarker, {
      locateRecords: true,
    });
    let line = open.line;
    let isEnd = false;
    while (batch.size < maxRecords) {
      const next = open.peeked ?? (await open.entries.next());
      open.peeked = undefined;
      if (next.done) {
        isEnd = true;
        break;
      }
      const entry = next.value;
      const locate = () => ({
        key: `${file}:${entry.start}`,
        context: { file, line: String(entry.start) },
      });
      if (entry.value !== undefined) {
        batch.add(entry.value, locate);
      } else {
        const { key, context } = locate();
        batch.reject(key, entry.raw, entry.error ?? '无法读取', context);
      }
      line = entry.end;
    }
    if (!isEnd) {
      open.peeked = await open.entries.next();
      isEnd = open.peeked.done === true;
    }
    open.line = line;
    const next: FileDropPosition = { file, line, inode: open.inode };
    if (!isEnd) {
      return { records: batch.records, deadLetters: batch.deadLetters, position: { ...next } };
    }
    await this.closeOpen();
    const inode = open.inode;
    return {
      records: batch.records,
      deadLetters: batch.deadLetters,
      position: { ...next },
      acknowledge: () => this.moveAside(file, inode),
    };
  }

  /**
   * Moves a finished file into the processed directory, under its own name or, when that is
   * taken, with a timestamp before the extension. A file of that name that is not the one read
   * (same name dropped again meanwhile) stays, to be read next.
   */
  private async moveAside(file: string, inode: string): Promise<void> {
    const source = path.join(this.options.directory, file);
    if ((await inodeOf(source)) !== inode) return;
    await mkdir(this.processed, { recursive: true });
    let target = path.join(this.processed, file);
    if (await exists(target)) {
      const extension = path.extname(file);
      const stamp = new Date().toISOString().replace(/[-:.]/g, '');
      target = path.join(this.processed, `${path.basename(file, extension)}.${stamp}${extension}`);
    }
    try {
      await rename(source, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      // the processed directory is on another file system
      await copyFile(source, target);
      await unlink(source);
    }
    this.logger.info({ file, movedTo: target }, '文件已读完，移入已处理目录');
  }

  async close(): Promise<void> {
    await this.closeOpen();
  }
}

export const fileDropSource = defineSource<FileDropOptions>({
  kind: 'source',
  type: 'file-drop',
  title: '文件投递目录',
  optionsSchema: loadOptionsSchema('file-drop'),
  positionSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['file', 'line'],
    properties: {
      file: { title: '文件名', type: 'string', minLength: 1, pattern: '^[^/\\u0000]+$' },
      line: { title: '已读到的行号', type: 'integer', minimum: 0 },
      inode: { title: '文件的 inode 编号', type: 'string', pattern: '^[0-9]+$' },
    },
  },
  checkOptions: checkMarkerMapped,
  async create(options, context) {
    return new FileDropTask(options, context);
  },
});
