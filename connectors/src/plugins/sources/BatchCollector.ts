import { recordKey } from '@gx/platform';
import type { JsonValue } from '../../log/RecordLog.ts';
import type { DeadLetter, SourceRecord } from '../../runtime/plugin.ts';

/** where a dead letter came from: a locator used as its key, and its context */
export interface Location {
  key: string;
  context?: Record<string, string>;
}

export type RecordValue = { [field: string]: JsonValue };

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

/**
 * The records and dead letters of one batch, in input order. A value whose key cannot be
 * computed is a dead letter, never dropped: the operator sees it in the dead-letter stream.
 */
export class BatchCollector {
  readonly records: SourceRecord[] = [];
  readonly deadLetters: DeadLetter[] = [];
  private readonly keyFields: readonly string[];

  constructor(keyFields: readonly string[]) {
    this.keyFields = keyFields;
  }

  /** how many inputs (records and dead letters) the batch holds */
  get size(): number {
    return this.records.length + this.deadLetters.length;
  }

  /**
   * `locate` names the input (`file.csv:17`, with `{ file, line }`) should it become a dead
   * letter; called only then, so that the common path builds no strings.
   */
  add(value: RecordValue, locate: () => Location, options: { deleted?: boolean } = {}): void {
    const key = recordKey(value, this.keyFields);
    if (key === undefined) {
      const { key: locator, context } = locate();
      this.reject(locator, value, missingKeyReason(value, this.keyFields), context);
    } else {
      this.records.push(options.deleted ? { key, value, deleted: true } : { key, value });
    }
  }

  reject(key: string, value: JsonValue, reason: string, context?: Record<string, string>): void {
    this.deadLetters.push(
      context === undefined ? { key, value, reason } : { key, value, reason, context },
    );
  }
}
