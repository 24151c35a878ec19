import { authorize, InputError, type Actor } from '@gx/platform';
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
  return queryEvidence(options);
}

/** Which part of a department's evidence: what it did, or what was done with its data. */
export type DepartmentEvidenceSide = 'acted' | 'provided';

export interface ListDepartmentEvidenceOptions extends ListEvidenceOptions {
  /** the department; by default the caller's own (a caller without one must name it) */
  departmentCode?: string;
  side: DepartmentEvidenceSide;
}

/**
 * A department's part of the evidence log, for its own stewards and approvers (auditors and the
 * admin for any department): `acted`, the entries its people and systems caused (calls,
 * refusals, requests, objections); `provided`, the entries on resources it provides or under
 * their grants, whoever caused them — who read, received or was refused its data. Same paging and filters as
 * listEvidence (the department filter aside). Anyone else gets 403: the log's existence is no
 * secret.
 */
export async function listDepartmentEvidence(
  options: ListDepartmentEvidenceOptions,
): Promise<EvidencePage> {
  const { actor } = options;
  const own = actor.kind === 'user' ? actor.departmentCode : undefined;
  const departmentCode = options.departmentCode ?? own;
  if (departmentCode === undefined) {
    // anonymous: 401; without the right to any department's evidence: 403
    authorize(actor, 'evidence.department', {}, 'write');
    throw new InputError('请用 department 参数指明部门', [
      { path: 'department', message: 'required for callers without a department' },
    ]);
  }
  // 'write': a refusal is a 403, not a 404 (the department's existence is no secret)
  authorize(actor, 'evidence.department', { departmentCode }, 'write');
  if (options.side !== 'acted' && options.side !== 'provided')
    throw new InputError('side 须为 acted 或 provided', [
      { path: 'side', message: 'must be acted or provided' },
    ]);
  return queryEvidence(
    { ...options, department: undefined },
    options.side === 'acted'
      ? { sql: 'department_code = ?', value: departmentCode }
      : {
          // on its resources, or under grants of its resources (a refused call may name only
          // the grant)
          sql: `(resource_code IN (SELECT r.code FROM resources r
                   JOIN departments d ON d.id = r.provider_id WHERE d.code = ?)
                 OR grant_id IN (SELECT g.id::text FROM grants g
                   JOIN resources r ON r.id = g.resource_id
                   JOIN departments d ON d.id = r.provider_id WHERE d.code = ?))`,
          value: departmentCode,
        },
  );
}

async function queryEvidence(
  options: Omit<ListEvidenceOptions, 'actor'>,
  scope?: { sql: string; value: unknown },
): Promise<EvidencePage> {
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
    where.push(sql.replaceAll('?', `$${values.length}`));
  };
  if (scope) add(scope.sql, scope.value);
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
