import { recordKey, type FieldProblem } from '@gx/platform';
import type { JsonValue } from '../../log/RecordLog.ts';
import type { DeadLetter, SourceRecord } from '../../runtime/plugin.ts';

/** where a dead letter came from: a locator used as its key, and its context */
export interface Location {
  key: string;
  context?: Record<string, string>;
}

export type RecordValue = { [field: string]: JsonValue };

/**
 * A source's deletion marker (ADR 0012): an input whose `field` holds one of `values` says that
 * the record with its key was deleted. The field is the source's, not the resource's: it is
 * taken out of every input before the record goes on (the record schemas admit no extra field).
 * Values compare as text, so `1`, `"1"` and a CSV cell `1` are the same marker.
 */
export interface DeleteMarker {
  field: string;
  values: (string | number | boolean)[];
}

/**
 * With a column mapping, the marker is a field the mapping outputs (`columns` keeps only the
 * columns it maps): a marker outside it would never be read, and no deletion ever seen.
 */
export function checkMarkerMapped(options: {
  columns?: Record<string, string>;
  deleteMarker?: DeleteMarker;
}): FieldProblem[] {
  const { columns, deleteMarker } = options;
  if (!columns || !deleteMarker || Object.values(columns).includes(deleteMarker.field)) return [];
  return [
    {
      path: '/deleteMarker/field',
      message: `删除标记字段 ${deleteMarker.field} 不在列映射的输出字段中，读取时会被丢弃：请在 columns 中映射它`,
    },
  ];
}

/** `{ field, values }` as the set of texts that mean a deletion */
interface CompiledMarker {
  field: string;
  texts: Set<string>;
}

export function isJsonObject(value: unknown): value is RecordValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why `recordKey` gave nothing: the key fields that are missing, null or empty. */
export function missingKeyReason(value: RecordValue, keyFields: readonly string[]): string {
  if (keyFields.length === 0) return '缺少主键字段：资源未定义主键';
  const missing = keyFields.filter(
    (f) => value[f] === undefined || value[f] === null || value[f] === '',
  );
  return `缺少主键字段 ${missing.join('、')}`;
}

/** the key fields of a value, in key order: what a deletion carries */
function keyFieldsOf(value: RecordValue, keyFields: readonly string[]): RecordValue {
  const out: RecordValue = {};
  for (const field of keyFields) out[field] = value[field]!;
  return out;
}

/**
 * The records and dead letters of one batch, in input order. A value whose key cannot be
 * computed is a dead letter, never dropped: the operator sees it in the dead-letter stream.
 */
export class BatchCollector {
  readonly records: SourceRecord[] = [];
  readonly deadLetters: DeadLetter[] = [];
  private readonly keyFields: readonly string[];
  private readonly marker: CompiledMarker | undefined;
  private readonly locateRecords: boolean;

  /**
   * `locateRecords`: every record keeps its input's location context (`SourceRecord.context`),
   * for a source whose records their key does not locate (a file's lines), so that a record
   * enforcement refuses names its file and line too
   */
  constructor(
    keyFields: readonly string[],
    deleteMarker?: DeleteMarker,
    { locateRecords = false }: { locateRecords?: boolean } = {},
  ) {
    this.keyFields = keyFields;
    this.locateRecords = locateRecords;
    this.marker = deleteMarker && {
      field: deleteMarker.field,
      texts: new Set(deleteMarker.values.map(String)),
    };
  }

  /** how many inputs (records and dead letters) the batch holds */
  get size(): number {
    return this.records.length + this.deadLetters.length;
  }

  /**
   * `locate` names the input (`file.csv:17`, with `{ file, line }`) should it become a dead
   * letter; called only then (or for every record with `locateRecords`), so that the common
   * path builds no strings. With a deletion
   * marker, an input that carries it becomes a deletion of its key (its key fields only).
   */
  add(value: RecordValue, locate: () => Location, options: { deleted?: boolean } = {}): void {
    let deleted = options.deleted === true;
    if (this.marker !== undefined && Object.hasOwn(value, this.marker.field)) {
      // a copy without the marker: the input may be read again (a page kept for its next part)
      const { [this.marker.field]: mark, ...rest } = value;
      value = rest;
      if (
        (typeof mark === 'string' || typeof mark === 'number' || typeof mark === 'boolean') &&
        this.marker.texts.has(String(mark))
      ) {
        deleted = true;
      }
    }
    const key = recordKey(value, this.keyFields);
    if (key === undefined) {
      const { key: locator, context } = locate();
      this.reject(locator, value, missingKeyReason(value, this.keyFields), context);
    } else {
      const record: SourceRecord = deleted
        ? { key, value: keyFieldsOf(value, this.keyFields), deleted: true }
        : { key, value };
      if (this.locateRecords) {
        const { context } = locate();
        if (context) record.context = context;
      }
      this.records.push(record);
    }
  }

  reject(key: string, value: JsonValue, reason: string, context?: Record<string, string>): void {
    this.deadLetters.push(
      context === undefined ? { key, value, reason } : { key, value, reason, context },
    );
  }
}
