import { createHash } from 'node:crypto';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { escapeLiteral, type Pool } from 'pg';
import { to as copyTo, type CopyToStreamQuery } from 'pg-copy-streams';
import Cursor from 'pg-cursor';
import { canonicalJson } from '@gx/platform';
import type { CompiledPolicy, Policy } from '../policy/compilePolicy.ts';
import { recordOrder } from './recordOrder.ts';

export type StreamFormat = 'csv' | 'jsonl' | 'json' | 'xlsx';

export const STREAM_MEDIA_TYPES: Record<StreamFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface StreamRecordsOptions {
  pool: Pool;
  resourceId: string;
  policy: CompiledPolicy;
  /** field name → Chinese label, for the CSV and XLSX header rows */
  labels: Map<string, string>;
  /** field name → data type: in XLSX `date` and `datetime` fields' values are dates, not text */
  types?: ReadonlyMap<string, string>;
  format: StreamFormat;
  /** not ended: the caller may still add trailers */
  out: Writable;
  /** false: never the COPY path (tests compare the two paths) */
  useCopy?: boolean;
}

export interface StreamedRecords {
  count: number;
  /** SHA-256 (hex) of exactly the bytes written to `out` */
  digest: string;
  /** how the records were read: PostgreSQL's COPY, or a cursor and the policy's shape */
  path: 'copy' | 'cursor';
}

/** rows fetched from the cursor at a time */
const BATCH = 500;
/** an XLSX worksheet holds 1 048 576 rows: the header and this many records */
const XLSX_ROWS_PER_SHEET = 1_048_575;
const XLSX_SHEET = '数据';

/**
 * Every record of a resource that a policy lets through, streamed to `out` as CSV (UTF-8 with
 * BOM so that Excel reads Chinese; CRLF; cells that Excel would evaluate neutralised), JSON
 * lines, one JSON array or an XLSX workbook — never the whole result in memory, with the
 * consumer's backpressure respected all the way to PostgreSQL.
 *
 * When the policy delivers values unchanged (no masks but `redact`), CSV is produced by
 * PostgreSQL itself with `COPY … TO STDOUT`, byte for byte what the cursor path would write;
 * otherwise records go through a cursor and `policy.shape` in batches.
 */
export async function streamRecords(options: StreamRecordsOptions): Promise<StreamedRecords> {
  const fields = deliveredFields(options.policy.policy);
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  if (options.format === 'xlsx') {
    const count = await writeXlsx(options, fields, tap);
    return { count, digest: hash.digest('hex'), path: 'cursor' };
  }
  const copy =
    options.format === 'csv' && options.useCopy !== false
      ? copyCsvStatement(options, fields)
      : undefined;
  const source = copy
    ? copyCsv(options.pool, copy, csvHeader(fields, options.labels))
    : shapedText(options, fields);
  // byte mode: at most about one chunk waits in the readable, whatever the chunk size
  const readable = Readable.from(source.chunks, { objectMode: false });
  try {
    await pipeline(readable, tap, options.out, { end: false });
  } catch (error) {
    // a failed delivery settles only once the source has let go of its connection
    if (!readable.closed) await new Promise((resolve) => readable.once('close', resolve));
    throw error;
  }
  return { count: source.count, digest: hash.digest('hex'), path: copy ? 'copy' : 'cursor' };
}

/** The policy's fields without the redacted ones, in the policy's order. */
function deliveredFields(policy: Policy): string[] {
  return policy.fields.filter((f) => policy.masks?.[f]?.kind !== 'redact');
}

// ---------------------------------------------------------------------------- cell text

/**
 * Text Excel would evaluate as a formula (tab and CR it strips before looking) — except a plain
 * number such as -12.5, which is a value, not a formula, whether it came as a number or a string.
 * The same regular expression runs in PostgreSQL on the COPY path.
 */
const FORMULA = '^([=+@\\t\\r]|-(?![0-9]+([.][0-9]+)?$))';
const FORMULA_START = new RegExp(FORMULA);

/**
 * A number as PostgreSQL prints a jsonb number: plain decimal, never an exponent. Every record
 * is written by JavaScript (`JSON.stringify`), whose exponent forms (1e+21, 1.5e-7) PostgreSQL
 * stores as the same decimal; spelling them out keeps both export paths byte-equal.
 */
export function plainNumber(value: number): string {
  const text = String(value);
  if (!text.includes('e')) return text;
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, rest = '', exp] = match;
  const digits = `${lead}${rest}`;
  const point = 1 + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return `${sign}${digits}${'0'.repeat(Math.max(0, point - digits.length))}`;
}

/** jsonb orders object keys by UTF-8 length, then bytes. */
function jsonbKeyOrder(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length - y.length || Buffer.compare(x, y);
}

/**
 * A nested object or array as PostgreSQL prints jsonb (what `->>` gives on the COPY path): its
 * key order, plain numbers, a space after `:` and `,`.
 */
export function jsonbText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return plainNumber(value);
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort(jsonbKeyOrder)
      .map((key) => `${JSON.stringify(key)}: ${jsonbText(record[key])}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

/**
 * One CSV cell, by the rules PostgreSQL's `COPY … (FORMAT csv)` writes by, so that both paths
 * agree byte for byte: null and missing are an empty cell, the empty string is `""`; text that
 * Excel would evaluate gets a leading `'`; a cell is quoted when it holds `"` `,` CR or LF (`"`
 * doubled), or when it is the only column and reads `\.` (COPY's end-of-data marker).
 */
export function csvCell(value: unknown, onlyColumn = false): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number') text = plainNumber(value);
  else if (typeof value === 'object') text = jsonbText(value);
  else text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text === '' || (onlyColumn && text === '\\.')
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

/**
 * Each column's heading in exports and downloads, by field name: the item's label, with its
 * unit when it has one and the label does not already say it (PM2.5浓度（μg/m³）), as the
 * dataset page's preview shows it.
 */
export function columnHeadings(
  items: readonly { name: string; label: string; unit?: string | null }[],
): Map<string, string> {
  return new Map(
    items.map((i) => [
      i.name,
      i.unit && !statesUnit(i.label, i.unit) ? `${i.label}（${i.unit}）` : i.label,
    ]),
  );
}

/**
 * Whether a label already gives its unit in brackets (注册资本（万元）, 面积(平方米)). Only so: the
 * unit's characters elsewhere in it say nothing — 经度 holds 度 and still needs （度）.
 */
function statesUnit(label: string, unit: string): boolean {
  return label.includes(`（${unit}）`) || label.includes(`(${unit})`);
}

function csvHeader(fields: readonly string[], labels: Map<string, string>): string {
  return `\uFEFF${fields.map((f) => csvCell(labels.get(f) ?? f)).join(',')}\r\n`;
}

// ---------------------------------------------------------------------------- cursor path

interface TextSource {
  chunks: AsyncIterable<string | Buffer>;
  /** records emitted so far */
  readonly count: number;
}

/** Records through a cursor, shaped by the policy (masks), as CSV, JSON lines or a JSON array. */
function shapedText(options: StreamRecordsOptions, fields: readonly string[]): TextSource {
  const { pool, resourceId, policy, format, labels } = options;
  const onlyColumn = fields.length === 1;
  const line = (shaped: Record<string, unknown>) =>
    format === 'csv'
      ? `${fields.map((f) => csvCell(shaped[f], onlyColumn)).join(',')}\r\n`
      : canonicalJson(shaped);
  let count = 0;
  async function* chunks() {
    if (format === 'csv') yield csvHeader(fields, labels);
    if (format === 'json') yield '[';
    for await (const rows of recordBatches(pool, resourceId, policy)) {
      let chunk = '';
      for (const row of rows) {
        const text = line(policy.shape(row));
        if (format === 'csv') chunk += text;
        else if (format === 'jsonl') chunk += `${text}\n`;
        else chunk += count === 0 ? `\n${text}` : `,\n${text}`;
        count += 1;
      }
      yield chunk;
    }
    if (format === 'json') yield count === 0 ? ']\n' : '\n]\n';
  }
  return {
    chunks: chunks(),
    get count() {
      return count;
    },
  };
}

/** The records that pass the policy's row filter, in key order (`recordOrder`), `BATCH` at a time. */
async function* recordBatches(
  pool: Pool,
  resourceId: string,
  policy: CompiledPolicy,
): AsyncGenerator<Record<string, unknown>[]> {
  const where = policy.where({ column: 'data', firstParam: 2 });
  const client = await pool.connect();
  try {
    const cursor = client.query(
      new Cursor<{ data: Record<string, unknown> }>(
        `SELECT data FROM records WHERE resource_id = $1::uuid AND ${where.sql} ORDER BY ${recordOrder()}`,
        [resourceId, ...where.params],
      ),
    );
    try {
      for (;;) {
        const rows = await cursor.read(BATCH);
        if (rows.length === 0) return;
        yield rows.map((row) => row.data);
      }
    } finally {
      await cursor.close();
    }
  } finally {
    client.release();
  }
}

// ---------------------------------------------------------------------------- COPY path

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A bind parameter as an SQL literal, for statements (COPY) that take no parameters. */
function sqlLiteral(value: unknown): string {
  if (Array.isArray(value)) return `ARRAY[${value.map(sqlLiteral).join(',')}]`;
  if (typeof value === 'number' && Number.isFinite(value)) return `'${String(value)}'`;
  if (typeof value === 'boolean') return value ? `'true'` : `'false'`;
  if (typeof value === 'string' && !value.includes('\u0000')) return escapeLiteral(value);
  throw new TypeError(`no SQL literal for ${typeof value} parameter`);
}

/**
 * Write a parameterised condition's `$n` placeholders as escaped literals (`escapeLiteral`:
 * quotes doubled, backslashes in an `E''` string, so it holds whatever
 * `standard_conforming_strings` says). Placeholders are only replaced outside quoted literals and
 * identifiers, and inserted text is never rescanned. The placeholders carry their casts
 * (`$2::float8`), so every literal is typed exactly as the bound parameter would be.
 */
export function inlineParameters(sql: string, params: readonly unknown[]): string {
  if (sql.includes('\\')) throw new TypeError('backslashes in the SQL template');
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      let end = i + 1;
      for (;;) {
        end = sql.indexOf(c, end);
        if (end === -1) throw new TypeError('unterminated quote in the SQL template');
        if (sql[end + 1] !== c) break;
        end += 2;
      }
      out += sql.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    const placeholder = c === '$' ? /^\$(\d+)/.exec(sql.slice(i)) : null;
    if (placeholder) {
      const n = Number(placeholder[1]);
      if (n < 1 || n > params.length) throw new TypeError(`no parameter $${n}`);
      out += `(${sqlLiteral(params[n - 1])})`;
      i += placeholder[0].length;
      continue;
    }
    out += c;
    i += 1;
  }
  return out;
}

/**
 * One CSV column of the COPY path, over the text `->>` gave (the subquery's `c<i>`): the text
 * `csvCell` writes, with COPY doing the quoting. Only text starting below `0` or from `:` to `@`
 * (byte order) can need a `'`, so the regular expression runs on few cells.
 */
function copyColumn(column: string): string {
  const c = `${column} COLLATE "C"`;
  return (
    `CASE WHEN ${c} < '0' OR (${c} >= ':' AND ${c} < 'A') THEN` +
    ` CASE WHEN ${c} ~ '${FORMULA}' THEN '''' || ${column} ELSE ${column} END` +
    ` ELSE ${column} END`
  );
}

/**
 * The COPY statement for an export, or undefined when values do not go out unchanged (masks)
 * or the filter cannot be written as literals — the cursor path serves those.
 */
function copyCsvStatement(
  { resourceId, policy }: StreamRecordsOptions,
  fields: readonly string[],
): string | undefined {
  const masks = policy.policy.masks ?? {};
  if (fields.length === 0 || fields.some((f) => masks[f]) || !UUID.test(resourceId))
    return undefined;
  const where = policy.where({ column: 'data', firstParam: 1 });
  let condition: string;
  try {
    condition = inlineParameters(where.sql, where.params);
  } catch {
    return undefined;
  }
  // each value is extracted once (OFFSET 0 keeps the subquery from being merged into the outer
  // query, which would repeat `->>` in every reference); the outer query keeps the order
  return (
    `COPY (SELECT ${fields.map((_, i) => copyColumn(`s.c${i}`)).join(', ')}` +
    ` FROM (SELECT ${fields.map((f, i) => `data->>${escapeLiteral(f)} AS c${i}`).join(', ')}` +
    ` FROM records WHERE resource_id = '${resourceId}'::uuid AND ${condition}` +
    ` ORDER BY ${recordOrder()} OFFSET 0) AS s) TO STDOUT WITH (FORMAT csv)`
  );
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * COPY ends rows with LF; the export's CSV ends them with CRLF. A LF outside quotes ends a row
 * (COPY quotes every value holding CR or LF), so the quote state is tracked across chunks and a
 * CR is put before each row-ending LF. Counting those gives the row count as well.
 */
export class CsvRowEnds {
  rows = 0;
  private quoted = false;
  private ends: number[] = [];

  convert(chunk: Buffer): Buffer {
    const ends = this.ends;
    ends.length = 0;
    let pos = 0;
    let quote = chunk.indexOf(QUOTE);
    let lf = -1;
    while (pos < chunk.length) {
      if (this.quoted) {
        if (quote === -1) break;
        this.quoted = false;
        pos = quote + 1;
        quote = chunk.indexOf(QUOTE, pos);
        continue;
      }
      if (lf < pos) lf = chunk.indexOf(LF, pos);
      if (quote !== -1 && (lf === -1 || quote < lf)) {
        this.quoted = true;
        pos = quote + 1;
        quote = chunk.indexOf(QUOTE, pos);
        continue;
      }
      if (lf === -1) break;
      ends.push(lf);
      pos = lf + 1;
    }
    this.rows += ends.length;
    if (ends.length === 0) return chunk;
    const out = Buffer.allocUnsafe(chunk.length + ends.length);
    let from = 0;
    let at = 0;
    for (const end of ends) {
      at += chunk.copy(out, at, from, end);
      out[at++] = CR;
      from = end;
    }
    chunk.copy(out, at, from);
    return out;
  }
}

/** Resolves when the backend reports ReadyForQuery after the COPY. */
function readyForQuery(copy: CopyToStreamQuery): Promise<void> {
  // pg calls handleReadyForQuery on the active query; pg-copy-streams leaves it empty
  const query = copy as CopyToStreamQuery & { handleReadyForQuery(): void };
  const handle = query.handleReadyForQuery.bind(query);
  return new Promise((resolve) => {
    query.handleReadyForQuery = () => {
      handle();
      resolve();
    };
  });
}

/** The header, then PostgreSQL's own CSV with CRLF row ends, at the pace the consumer reads. */
function copyCsv(pool: Pool, statement: string, header: string): TextSource {
  const rowEnds = new CsvRowEnds();
  async function* chunks() {
    yield header;
    const client = await pool.connect();
    // a COPY left unread would leave the connection mid-protocol: such a client is discarded
    let done = false;
    try {
      const copy = copyTo(statement);
      const ready = readyForQuery(copy);
      for await (const chunk of client.query(copy) as AsyncIterable<Buffer>)
        yield rowEnds.convert(chunk);
      // the data ends before PostgreSQL's CommandComplete and ReadyForQuery; the client goes
      // back to the pool only once it is idle
      await ready;
      done = true;
    } finally {
      client.release(done ? undefined : true);
    }
  }
  return {
    chunks: chunks(),
    get count() {
      return rowEnds.rows;
    },
  };
}

// ---------------------------------------------------------------------------- XLSX

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** an RFC 3339 instant (offset optional: without one it is read as Beijing time already) */
const ISO_INSTANT =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([Zz]|[+-]\d{2}:?\d{2})?$/;
/** China Standard Time, UTC+8 (no daylight saving since 1991) */
const BEIJING_OFFSET_MS = 8 * 3_600_000;
/** how the workbook shows a date field's days and a datetime field's instants */
const CELL_FORMATS: Readonly<Record<string, string>> = {
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm:ss',
};

/**
 * A datetime as Excel holds one: a serial day with no time zone, which exceljs takes from a
 * Date's UTC fields. The people who open these workbooks are in China, so the cell shows the
 * instant in Beijing time (`2026-11-23T07:00:00Z` reads 2026-11-23 15:00:00). Undefined for
 * text that is not an instant (a generalised one: 2026 or 2026-11).
 */
function beijingWallClock(value: string): Date | undefined {
  const parts = ISO_INSTANT.exec(value);
  if (!parts) return undefined;
  const [, day, time, zone] = parts;
  const at = Date.parse(`${day}T${time}${zone ?? 'Z'}`);
  if (Number.isNaN(at)) return undefined;
  return new Date(zone ? at + BEIJING_OFFSET_MS : at);
}

/**
 * A value as an XLSX cell: text, number, boolean, a date field's day or a datetime field's
 * instant as an Excel date (nested JSON as its text), never a formula; empty like CSV. XML
 * reads every CR and CRLF as LF, so text says so from the start.
 */
function xlsxCell(value: unknown, type: string | undefined): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  // a date field's day as an Excel date (a masked one, 1990 or 1990-05, stays text)
  if (type === 'date' && typeof value === 'string' && ISO_DAY.test(value))
    return new Date(`${value}T00:00:00Z`);
  if (type === 'datetime' && typeof value === 'string') {
    const at = beijingWallClock(value);
    if (at) return at;
  }
  if (typeof value === 'object') return jsonbText(value);
  if (typeof value === 'string') return value.replace(/\r\n?/g, '\n');
  return value as number | boolean;
}

/** Wait until `stream` wants more, failing if it is destroyed first. */
function drained(stream: Writable): Promise<void> {
  if (stream.destroyed) return Promise.reject(new Error('the export stream closed before the end'));
  if (!stream.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('the export stream closed before the end'));
    stream.on('drain', onDrain);
    stream.on('close', onClose);
  });
}

/**
 * The workbook through exceljs's streaming writer (inline strings, so nothing accumulates), one
 * header row of Chinese labels per sheet, and a new sheet every 1 048 575 records. Rows are
 * committed as they are added; after each batch the writer waits for the consumer.
 */
async function writeXlsx(
  { pool, resourceId, policy, labels, types, out }: StreamRecordsOptions,
  fields: readonly string[],
  tap: Transform,
): Promise<number> {
  const delivered = pipeline(tap, out, { end: false });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: tap,
    // styles: date and datetime fields' cells carry a number format
    useStyles: true,
    useSharedStrings: false,
  });
  const header = fields.map((f) => labels.get(f) ?? f);
  const fieldTypes = fields.map((f) => types?.get(f));
  const formatted = fieldTypes.flatMap((type, i) => {
    const numFmt = type && CELL_FORMATS[type];
    return numFmt ? [{ column: i + 1, numFmt }] : [];
  });
  let sheet: ExcelJS.Worksheet | undefined;
  const newSheet = (n: number) => {
    sheet?.commit();
    sheet = workbook.addWorksheet(n === 1 ? XLSX_SHEET : `${XLSX_SHEET} (${n})`);
    sheet.addRow(header).commit();
  };
  newSheet(1);
  // the rows (and the connection they come through) settle even when the delivery fails,
  // since waiting for the consumer fails once the stream is gone
  const rowsWritten = (async () => {
    let count = 0;
    for await (const rows of recordBatches(pool, resourceId, policy)) {
      for (const row of rows) {
        if (count > 0 && count % XLSX_ROWS_PER_SHEET === 0)
          newSheet(count / XLSX_ROWS_PER_SHEET + 1);
        const shaped = policy.shape(row);
        const added = sheet!.addRow(fields.map((f, i) => xlsxCell(shaped[f], fieldTypes[i])));
        for (const { column, numFmt } of formatted) added.getCell(column).numFmt = numFmt;
        added.commit();
        count += 1;
      }
      await drained(tap);
    }
    return count;
  })();
  const written = rowsWritten.then(async (count) => {
    sheet!.commit();
    await workbook.commit();
    return count;
  });
  try {
    const [count] = await Promise.all([
      written.catch((error: unknown) => {
        tap.destroy(error as Error);
        throw error;
      }),
      delivered,
    ]);
    return count;
  } catch (error) {
    await rowsWritten.catch(() => undefined);
    throw error;
  }
}
