import type { Pool } from 'pg';
import type { PrismaClient } from '@gx/migrations';
import {
  canonicalJson,
  describeActor,
  DomainError,
  InputError,
  NotFoundError,
  type Actor,
} from '@gx/platform';
import { digestOf } from '../evidence/digestRecords.ts';
import {
  rowFilterProblems,
  rowFilterSql,
  type FieldType,
  type RowFilter,
} from '../policy/rowFilter.ts';
import type { EvidenceSink } from '../sharing/evidenceSink.ts';
import { openGrant, type DeliveryMode, type OpenedGrant } from '../sharing/openGrant.ts';
import { resourceFieldTypes } from '../sharing/resourceFieldTypes.ts';

export const MAX_PAGE = 1000;

interface ReadContext {
  prisma: PrismaClient;
  /** the process pool: the hot path (grant gate, record by key) uses pg directly */
  pool: Pool;
  evidence: EvidenceSink;
  actor: Actor;
  grantId: string;
  purpose: string | undefined;
  /** hash of the HTTP request, for the evidence entry */
  requestHash: string;
}

export interface Delivery<T> {
  body: T;
  /** evidence receipt of the delivery */
  receipt: unknown;
}

/**
 * Open the grant for a read; a refusal (no such grant, wrong purpose, suspended, revoked,
 * expired, mode not granted) is itself evidence, then answered as usual.
 */
export async function openForRead(ctx: ReadContext, mode: DeliveryMode): Promise<OpenedGrant> {
  try {
    return await openGrant({
      pool: ctx.pool,
      prisma: ctx.prisma,
      actor: ctx.actor,
      grantId: ctx.grantId,
      purpose: ctx.purpose,
      mode,
    });
  } catch (error) {
    if (error instanceof DomainError && ctx.actor.kind !== 'anonymous') {
      await ctx.evidence.append({
        actor: describeActor(ctx.actor),
        actorKind: ctx.actor.kind,
        department: 'departmentCode' in ctx.actor ? (ctx.actor.departmentCode ?? null) : null,
        grantId: /^[0-9a-f-]{36}$/i.test(ctx.grantId) ? ctx.grantId : null,
        purpose: ctx.purpose?.slice(0, 500) ?? null,
        operation: 'refusal',
        recordCount: 0,
        requestHash: ctx.requestHash,
        outcome: 'refused',
        details: { mode, reason: error.code, detail: error.message },
      });
    }
    throw error;
  }
}

async function recordByKey(pool: Pool, resourceId: string, key: string) {
  const { rows } = await pool.query<{ data: Record<string, unknown> }>(
    'SELECT data FROM records WHERE resource_id = $1::uuid AND record_key = $2',
    [resourceId, key],
  );
  return rows[0]?.data;
}

/** Fields a consumer may filter and sort on: granted and not masked (a filter on a masked field would leak it). */
function filterableTypes(
  opened: OpenedGrant,
  types: Record<string, FieldType>,
): Record<string, FieldType> {
  const masked = opened.policy.policy.masks ?? {};
  return Object.fromEntries(
    opened.policy.policy.fields.filter((f) => !masked[f] && types[f]).map((f) => [f, types[f]!]),
  );
}

function parseCursor(cursor: string): string {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof key === 'string') return key;
  } catch {
    // fall through
  }
  throw new InputError('分页游标无效', [
    { path: 'after', message: '请使用上一页返回的 nextCursor' },
  ]);
}

/**
 * 查询: records under a grant, filtered by the grant's row filter AND the caller's own filter
 * (on granted, unmasked fields), ordered by record key with keyset pagination, projected to the
 * granted fields (or fewer) with masks applied. Evidence records count and a digest of exactly
 * what was delivered.
 */
export async function queryRecords(
  ctx: ReadContext & {
    filter?: RowFilter;
    fields?: string[];
    after?: string;
    limit: number;
    order?: 'asc' | 'desc';
  },
): Promise<Delivery<{ items: Record<string, unknown>[]; nextCursor: string | null }>> {
  const opened = await openForRead(ctx, 'query');
  const types = await resourceFieldTypes(ctx.prisma, opened.resourceId);
  const allowed = filterableTypes(opened, types);
  if (ctx.filter) {
    const problems = rowFilterProblems(ctx.filter, allowed, '/filter');
    if (problems.length > 0) throw new InputError('过滤条件只能使用已授权且未脱敏的字段', problems);
  }
  const fields = ctx.fields ?? opened.policy.policy.fields;
  const notGranted = fields.filter((f) => !opened.policy.policy.fields.includes(f));
  if (notGranted.length > 0) {
    throw new InputError(
      '只能选择已授权的字段',
      notGranted.map((f) => ({ path: 'fields', message: `未授权字段 ${f}` })),
    );
  }
  if (ctx.limit < 1 || ctx.limit > MAX_PAGE)
    throw new InputError(`每页 1–${MAX_PAGE} 条`, [{ path: 'limit', message: '超出范围' }]);

  const grantWhere = opened.policy.where({ column: 'data', firstParam: 2 });
  const params: unknown[] = [opened.resourceId, ...grantWhere.params];
  let sql = `SELECT record_key, data FROM records WHERE resource_id = $1::uuid AND ${grantWhere.sql}`;
  if (ctx.filter) {
    const own = rowFilterSql(ctx.filter, allowed, {
      column: 'data',
      firstParam: params.length + 1,
    });
    sql += ` AND ${own.sql}`;
    params.push(...own.params);
  }
  const desc = ctx.order === 'desc';
  if (ctx.after) {
    params.push(parseCursor(ctx.after));
    sql += ` AND record_key COLLATE "C" ${desc ? '<' : '>'} $${params.length}::text`;
  }
  params.push(ctx.limit + 1);
  sql += ` ORDER BY record_key COLLATE "C" ${desc ? 'DESC' : 'ASC'} LIMIT $${params.length}`;

  const rows = await ctx.prisma.$queryRawUnsafe<
    { record_key: string; data: Record<string, unknown> }[]
  >(sql, ...params);
  const page = rows.slice(0, ctx.limit);
  const items = page.map((r) => {
    const shaped = opened.policy.shape(r.data);
    return Object.fromEntries(fields.filter((f) => f in shaped).map((f) => [f, shaped[f]]));
  });
  const nextCursor =
    rows.length > ctx.limit
      ? Buffer.from(JSON.stringify(page.at(-1)!.record_key)).toString('base64url')
      : null;
  const receipt = await ctx.evidence.append({
    actor: describeActor(ctx.actor),
    actorKind: ctx.actor.kind,
    department: opened.consumerCode,
    grantId: opened.grantId,
    purpose: ctx.purpose,
    resourceCode: opened.resourceCode,
    operation: 'query',
    recordCount: items.length,
    requestHash: ctx.requestHash,
    deliveredDigest: digestOf(items),
  });
  return { body: { items, nextCursor }, receipt };
}

/** 按键获取: one record by key, if the grant's row filter lets the caller see it. */
export async function getRecord(
  ctx: ReadContext & { key: string },
): Promise<Delivery<Record<string, unknown>>> {
  const opened = await openForRead(ctx, 'query');
  const data = await recordByKey(ctx.pool, opened.resourceId, ctx.key);
  if (!data || !opened.policy.matches(data)) throw new NotFoundError('授权范围内没有这条记录');
  const shaped = opened.policy.shape(data);
  const receipt = await ctx.evidence.append({
    actor: describeActor(ctx.actor),
    actorKind: ctx.actor.kind,
    department: opened.consumerCode,
    grantId: opened.grantId,
    purpose: ctx.purpose,
    resourceCode: opened.resourceCode,
    operation: 'get',
    recordCount: 1,
    requestHash: ctx.requestHash,
    deliveredDigest: digestOf([shaped]),
  });
  return { body: shaped, receipt };
}

function sameValue(stored: unknown, claimed: unknown): boolean {
  if (stored === null || stored === undefined) return false;
  if (typeof stored === 'number' && typeof claimed === 'number') return stored === claimed;
  if (typeof stored === 'string' && typeof claimed === 'string')
    return stored.trim().normalize('NFKC') === claimed.trim().normalize('NFKC');
  return canonicalJson(stored) === canonicalJson(claimed);
}

/**
 * 查询核验: does the record with this key hold these values? Answers match / no match per
 * field and discloses nothing else. Only granted fields may be verified; masks do not apply
 * (the values are compared, never returned).
 */
export async function verifyRecord(
  ctx: ReadContext & { key: string; claims: Record<string, unknown> },
): Promise<
  Delivery<{ key: string; found: boolean; fields: Record<string, 'match' | 'no_match'> }>
> {
  const opened = await openForRead(ctx, 'verify');
  const notGranted = Object.keys(ctx.claims).filter(
    (f) => !opened.policy.policy.fields.includes(f),
  );
  if (notGranted.length > 0 || Object.keys(ctx.claims).length === 0) {
    throw new InputError(
      '只能核验已授权的字段',
      notGranted.map((f) => ({ path: `/claims/${f}`, message: '未授权字段' })),
    );
  }
  const data = await recordByKey(ctx.pool, opened.resourceId, ctx.key);
  const found = !!data && opened.policy.matches(data);
  const fields = Object.fromEntries(
    Object.entries(ctx.claims).map(
      ([f, claimed]) => [f, found && sameValue(data![f], claimed) ? 'match' : 'no_match'] as const,
    ),
  );
  const body = { key: ctx.key, found, fields };
  const receipt = await ctx.evidence.append({
    actor: describeActor(ctx.actor),
    actorKind: ctx.actor.kind,
    department: opened.consumerCode,
    grantId: opened.grantId,
    purpose: ctx.purpose,
    resourceCode: opened.resourceCode,
    operation: 'verify',
    recordCount: found ? 1 : 0,
    requestHash: ctx.requestHash,
    deliveredDigest: digestOf([body]),
  });
  return { body, receipt };
}
