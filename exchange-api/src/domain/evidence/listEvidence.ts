import { InputError, type Actor } from '@gx/platform';
import type { Pool } from 'pg';
import { authorizeEvidenceRead } from './authorizeEvidenceRead.ts';
import {
  EVIDENCE_OPERATIONS,
  type EvidenceEntry,
  type EvidenceOperation,
  type EvidenceOutcome,
} from './evidenceEntry.ts';
import { EVIDENCE_COLUMNS, evidenceFromRow, type EvidenceRow } from './evidenceRow.ts';

export interface EvidenceFilters {
  resourceCode?: string;
  grantId?: string;
  operation?: EvidenceOperation;
  department?: string;
  outcome?: EvidenceOutcome;
  /** entries at or after this instant (ISO 8601) */
  from?: string;
  /** entries before this instant (ISO 8601) */
  to?: string;
}

export interface ListEvidenceOptions extends EvidenceFilters {
  pool: Pool;
  actor: Actor;
  /** the `nextCursor` of the previous page: entries with a smaller seq */
  cursor?: string;
  /** page size, 1–200 (default 50) */
  limit?: number;
}

export interface EvidencePage {
  /** newest first */
  items: EvidenceEntry[];
  /** pass as `cursor` for the next (older) page; null on the last page */
  nextCursor: string | null;
}

const SEQ = /^[1-9][0-9]{0,18}$/;

function instant(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new InputError(`${name} 不是有效的时间`, [
      { path: name, message: 'must be an ISO 8601 date-time' },
    ]);
  return new Date(ms).toISOString();
}

/**
 * One page of the evidence log for an auditor or platform admin, newest first, keyset-paged by
 * seq (stable while entries are appended), filtered by resource, grant, operation, department,
 * outcome and time range.
 */
export async function listEvidence(options: ListEvidenceOptions): Promise<EvidencePage> {
  authorizeEvidenceRead(options.actor);
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw new InputError('limit 须在 1 到 200 之间', [{ path: 'limit', message: 'must be 1–200' }]);
  if (options.operation !== undefined && !EVIDENCE_OPERATIONS.includes(options.operation))
    throw new InputError('operation 无效', [{ path: 'operation', message: 'unknown operation' }]);
  if (options.cursor !== undefined && !SEQ.test(options.cursor))
    throw new InputError('cursor 无效', [
      { path: 'cursor', message: 'must be a nextCursor value' },
    ]);

  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    where.push(sql.replace('?', `$${values.length}`));
  };
  if (options.resourceCode !== undefined) add('resource_code = ?', options.resourceCode);
  if (options.grantId !== undefined) add('grant_id = ?', options.grantId);
  if (options.operation !== undefined) add('operation = ?', options.operation);
  if (options.department !== undefined) add('department_code = ?', options.department);
  if (options.outcome !== undefined) add('outcome = ?', options.outcome);
  const from = instant('from', options.from);
  const to = instant('to', options.to);
  if (from !== undefined) add('recorded_at >= ?::timestamptz', from);
  if (to !== undefined) add('recorded_at < ?::timestamptz', to);
  if (options.cursor !== undefined) add('seq < ?::bigint', options.cursor);
  values.push(limit + 1);

  const { rows } = await options.pool.query<EvidenceRow>(
    `SELECT ${EVIDENCE_COLUMNS} FROM evidence_entries
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY evidence_entries.seq DESC LIMIT $${values.length}`,
    values,
  );
  const items = rows.slice(0, limit).map(evidenceFromRow);
  return {
    items,
    nextCursor: rows.length > limit ? (items[items.length - 1]?.seq ?? null) : null,
  };
}
