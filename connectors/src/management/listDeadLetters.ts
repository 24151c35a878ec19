import { InputError, NotFoundError, type Actor } from '@gx/platform';
import type { JsonValue, LogRecord, RecordLog } from '../log/RecordLog.ts';
import { headers, streamNames } from '../runtime/streamNames.ts';
import { loadConnector } from './loadConnector.ts';
import type { ManagementContext } from './managementContext.ts';

export interface DeadLetter {
  partition: number;
  offset: number;
  key: string;
  /** why the record was set aside (`connect.reason`) */
  reason: string | null;
  /** where it came from: file and line, sink target, attempt count… (`connect.context.*`) */
  context: Record<string, string>;
  /** the record as it was set aside: JSON as such, bytes as base64 */
  value: JsonValue;
  valueEncoding: 'json' | 'base64';
  /** when it was set aside */
  at: string;
}

export interface DeadLetterPage {
  /** dead letters stored for this connector, all partitions */
  total: number;
  /** newest first */
  items: DeadLetter[];
  /** pass as `before` for the next (older) page; null on the last page */
  nextCursor: string | null;
}

export interface ListDeadLettersOptions {
  context: ManagementContext;
  actor: Actor;
  name: string;
  limit: number;
  /** `nextCursor` of the previous page */
  before?: string;
}

/**
 * A connector's dead letters, newest first, read from its dead-letter stream without a
 * consumer group (nothing is consumed or committed). The cursor holds, per partition, the
 * offset to look below, so pages neither repeat nor skip a record while new dead letters
 * arrive.
 */
export async function listDeadLetters({
  context,
  actor,
  name,
  limit,
  before,
}: ListDeadLettersOptions): Promise<DeadLetterPage> {
  const connector = await loadConnector({ pool: context.pool, actor, name, mode: 'read' });
  const stream = streamNames.deadLetter(connector.name);
  const ends = await endOffsetsOrNone(context.recordLog, stream);
  if (!ends) return { total: 0, items: [], nextCursor: null };
  // retention (LOG_DEAD_LETTER_RETENTION_HOURS) deletes a partition's oldest dead letters
  const starts = new Map(
    (await context.recordLog.startOffsets(stream)).map((p) => [p.partition, p.offset]),
  );
  const first = (partition: number) => starts.get(partition) ?? 0;
  const below = before === undefined ? undefined : parseCursor(before, ends.length);
  const total = ends.reduce((sum, p) => sum + Math.max(0, p.offset - first(p.partition)), 0);

  // per partition its newest `limit` records below the cursor, newest first
  const lanes: LogRecord[][] = [];
  const cursor = ends.map(({ partition, offset: end }) => Math.min(end, below?.[partition] ?? end));
  for (const { partition } of ends) {
    const upTo = cursor[partition]!;
    const from = Math.max(first(partition), upTo - limit);
    if (upTo <= from) continue;
    const records = await context.recordLog.read({
      stream,
      partition,
      offset: from,
      max: upTo - from,
    });
    lanes.push(records.reverse());
  }
  // merge by time, always taking a lane's head, so that every partition gives a contiguous run
  // of its newest records and the cursor below them skips nothing
  const page: LogRecord[] = [];
  while (page.length < limit) {
    let best: LogRecord[] | undefined;
    for (const lane of lanes) {
      if (lane.length > 0 && (!best || lane[0]!.timestamp > best[0]!.timestamp)) best = lane;
    }
    if (!best) break;
    const record = best.shift()!;
    page.push(record);
    cursor[record.partition] = record.offset;
  }
  const more = cursor.some((offset, partition) => offset > first(partition));
  return {
    total,
    items: page.map(toDeadLetter),
    nextCursor: more && page.length === limit ? encodeCursor(cursor) : null,
  };
}

async function endOffsetsOrNone(log: RecordLog, stream: string) {
  try {
    return (await log.endOffsets(stream)).sort((a, b) => a.partition - b.partition);
  } catch (error) {
    // a connector that never set a record aside has no dead-letter stream yet
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

function toDeadLetter(record: LogRecord): DeadLetter {
  const context: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) {
    if (name.startsWith(headers.contextPrefix))
      context[name.slice(headers.contextPrefix.length)] = value;
  }
  const bytes = Buffer.isBuffer(record.value);
  return {
    partition: record.partition,
    offset: record.offset,
    key: record.key,
    reason: record.headers[headers.reason] ?? null,
    context,
    value: bytes ? (record.value as Buffer).toString('base64') : (record.value as JsonValue),
    valueEncoding: bytes ? 'base64' : 'json',
    at: new Date(record.timestamp).toISOString(),
  };
}

function encodeCursor(offsets: number[]): string {
  return Buffer.from(offsets.join('.'), 'utf8').toString('base64url');
}

function parseCursor(cursor: string, partitions: number): number[] {
  const offsets = Buffer.from(cursor, 'base64url').toString('utf8').split('.').map(Number);
  if (offsets.length !== partitions || offsets.some((o) => !Number.isSafeInteger(o) || o < 0)) {
    throw new InputError('分页游标无效', [
      { path: 'query.before', message: '请使用上一页返回的 nextCursor' },
    ]);
  }
  return offsets;
}
