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
import type { CompiledPolicy } from '../policy/compilePolicy.ts';
import {
  rowFilterProblems,
  rowFilterSql,
  type FieldType,
  type RowFilter,
} from '../policy/rowFilter.ts';
import type { EvidenceSink } from '../sharing/evidenceSink.ts';
import { recordGrantDelivery } from './recordGrantDelivery.ts';
import { recordOrder } from './recordOrder.ts';
import { chargeGrantRecords, countGrantCall, grantQuotas } from '../sharing/grantQuotas.ts';
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
 * Run a step of a grant read; a refusal it throws (a `DomainError`: no such grant, wrong
 * purpose, suspended, revoked, expired, mode not granted, quota spent) is itself evidence, then
 * answered as usual.
 */
async function refusalsAsEvidence<T>(
  ctx: ReadContext,
  mode: DeliveryMode,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
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

/** Records an export will deliver: what the grant's row filter lets through now. */
async function matchedRecords(pool: Pool, opened: OpenedGrant): Promise<number> {
  const where = opened.policy.where({ column: 'data', firstParam: 2 });
  const { rows } = await pool.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM records WHERE resource_id = $1::uuid AND ${where.sql}`,
    [opened.resourceId, ...where.params],
  );
  return Number(rows[0]!.count);
}

/**
 * Open the grant for a read (`openGrant`); a refusal is evidence. A read by key passes
 * `recordKey` to have the record read in the gate's round trip (`OpenedGrant.record`).
 *
 * A grant with quotas (`policy.quotas`) also counts the call against `requestsPerSecond` and
 * refuses once today's `recordsPerDay` are spent. A verification is charged its one record
 * here, an export every record it matches (all or nothing, before the first byte); query pages
 * and reads by key charge what they deliver with `chargeDelivery`. A subscription is one long
 * call: it is not counted here, its deliveries are charged as they go.
 */
export function openForRead(
  ctx: ReadContext,
  mode: DeliveryMode,
  recordKey?: string,
): Promise<OpenedGrant> {
  return refusalsAsEvidence(ctx, mode, async () => {
    const opened = await openGrant({
      pool: ctx.pool,
      prisma: ctx.prisma,
      actor: ctx.actor,
      grantId: ctx.grantId,
      purpose: ctx.purpose,
      mode,
      recordKey,
    });
    const quotas = grantQuotas(opened.policy.policy);
    if (quotas && mode !== 'subscription') {
      await countGrantCall(ctx.pool, opened.grantId, quotas);
      const charged =
        mode === 'verify'
          ? 1
          : mode === 'bulk' && quotas.recordsPerDay !== undefined
            ? await matchedRecords(ctx.pool, opened)
            : 0;
      await chargeGrantRecords(ctx.pool, opened.grantId, quotas, charged);
    }
    return opened;
  });
}

/**
 * Charge `records` about to be delivered under an open grant to its records-per-day quota, all
 * or nothing, before they leave (before their evidence entry); a refusal (429, `remaining` in
 * the problem) is evidence. Query pages, reads by key and a subscription's deliveries call it.
 */
export function chargeDelivery(
  ctx: ReadContext,
  opened: OpenedGrant,
  mode: DeliveryMode,
  records: number,
): Promise<void> {
  return refusalsAsEvidence(ctx, mode, () =>
    chargeGrantRecords(ctx.pool, opened.grantId, grantQuotas(opened.policy.policy), records),
  );
}

async function recordByKey(pool: Pool, resourceId: string, key: string) {
  const { rows } = await pool.query<{ data: Record<string, unknown> }>({
    name: 'record-by-key',
    text: 'SELECT data FROM records WHERE resource_id = $1::uuid AND record_key = $2',
    values: [resourceId, key],
  });
  return rows[0]?.data;
}

/** Fields a caller may filter and sort on: delivered and not masked (a filter on a masked field would leak it). */
function filterableTypes(
  policy: CompiledPolicy,
  types: Record<string, FieldType>,
): Record<string, FieldType> {
  const masked = policy.policy.masks ?? {};
  return Object.fromEntries(
    policy.policy.fields.filter((f) => !masked[f] && types[f]).map((f) => [f, types[f]!]),
  );
}

/**
 * Where a page ends: the last record's key order (`records.key_order` as JSON text) and key,
 * which the next page starts after. A cursor holds both, sealed by the policy.
 */
type PagePosition = readonly [keyOrder: string, recordKey: string];

function parseCursor(policy: CompiledPolicy, cursor: string): PagePosition {
  const opened = policy.openCursor(cursor);
  let position: unknown;
  try {
    position = opened === undefined ? undefined : JSON.parse(opened);
  } catch {
    position = undefined;
  }
  // sealed by this policy, so only a cursor written before key_order existed fails here
  if (
    Array.isArray(position) &&
    position.length === 2 &&
    typeof position[0] === 'string' &&
    typeof position[1] === 'string'
  )
    return position as unknown as PagePosition;
  throw new InputError('分页游标无效', [
    { path: 'after', message: '请使用上一页返回的 nextCursor' },
  ]);
}

/** What a page of records is read under: a grant's policy, or a resource's open policy. */
export interface RecordPageOptions {
  prisma: PrismaClient;
  resourceId: string;
  policy: CompiledPolicy;
  /** the caller's own filter, on delivered unmasked fields */
  filter?: RowFilter;
  fields?: string[];
  after?: string;
  limit: number;
  order?: 'asc' | 'desc';
  /** how the policy's fields are named in problems: 已授权 (grants) or 已开放 (open data) */
  scope?: string;
}

/**
 * One page of records under a compiled policy: the policy's row filter AND the caller's own
 * filter (on delivered, unmasked fields), in key order (`recordOrder`) with keyset pagination,
 * projected to the policy's fields (or fewer) with masks applied. The records API under a grant
 * and the open-data API under a resource's open policy both read through here.
 */
export async function readRecordPage({
  prisma,
  resourceId,
  policy,
  filter,
  fields: requested,
  after,
  limit,
  order,
  scope = '已授权',
}: RecordPageOptions): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  const types = await resourceFieldTypes(prisma, resourceId);
  const allowed = filterableTypes(policy, types);
  if (filter) {
    const problems = rowFilterProblems(filter, allowed, '/filter', (field) =>
      types[field]
        ? `字段 ${field} 未${scope.slice(1)}或已脱敏，不能用于过滤`
        : `资源没有字段 ${field}`,
    );
    // the detail names the first kind of problem the caller has: a field it may not use, or a
    // value or operator that does not fit its field's type
    if (problems.length > 0)
      throw new InputError(
        problems.some((p) => p.path.endsWith('/field'))
          ? `过滤条件只能使用${scope}且未脱敏的字段`
          : '过滤条件与字段类型不符',
        problems,
      );
  }
  const fields = requested ?? policy.policy.fields;
  const outside = fields.filter((f) => !policy.policy.fields.includes(f));
  if (outside.length > 0) {
    throw new InputError(
      `只能选择${scope}的字段`,
      outside.map((f) => ({ path: 'fields', message: `未${scope.slice(1)}字段 ${f}` })),
    );
  }
  if (limit < 1 || limit > MAX_PAGE)
    throw new InputError(`每页 1–${MAX_PAGE} 条`, [{ path: 'limit', message: '超出范围' }]);

  const policyWhere = policy.where({ column: 'data', firstParam: 2 });
  const params: unknown[] = [resourceId, ...policyWhere.params];
  // the key order's text under another name: ORDER BY key_order would read an output column
  let sql = `SELECT record_key, key_order::text AS position, data FROM records WHERE resource_id = $1::uuid AND ${policyWhere.sql}`;
  if (filter) {
    const own = rowFilterSql(filter, allowed, {
      column: 'data',
      firstParam: params.length + 1,
    });
    sql += ` AND ${own.sql}`;
    params.push(...own.params);
  }
  const desc = order === 'desc';
  if (after) {
    params.push(...parseCursor(policy, after));
    sql += ` AND (key_order, record_key COLLATE "C") ${desc ? '<' : '>'} ($${params.length - 1}::jsonb, $${params.length}::text)`;
  }
  params.push(limit + 1);
  sql += ` ORDER BY ${recordOrder(desc ? 'DESC' : 'ASC')} LIMIT $${params.length}`;

  const rows = await prisma.$queryRawUnsafe<
    { record_key: string; position: string; data: Record<string, unknown> }[]
  >(sql, ...params);
  const page = rows.slice(0, limit);
  const items = page.map((r) => {
    const shaped = policy.shape(r.data);
    return Object.fromEntries(fields.filter((f) => f in shaped).map((f) => [f, shaped[f]]));
  });
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? policy.sealCursor(JSON.stringify([last.position, last.record_key] satisfies PagePosition))
      : null;
  return { items, nextCursor };
}

/**
 * 查询: records under a grant (see `readRecordPage`). Evidence records count and a digest of
 * exactly what was delivered.
 */
export async function queryRecords(
  ctx: ReadContext & Omit<RecordPageOptions, 'prisma' | 'resourceId' | 'policy' | 'scope'>,
): Promise<Delivery<{ items: Record<string, unknown>[]; nextCursor: string | null }>> {
  const opened = await openForRead(ctx, 'query');
  const body = await readRecordPage({
    prisma: ctx.prisma,
    resourceId: opened.resourceId,
    policy: opened.policy,
    filter: ctx.filter,
    fields: ctx.fields,
    after: ctx.after,
    limit: ctx.limit,
    order: ctx.order,
  });
  await chargeDelivery(ctx, opened, 'query', body.items.length);
  const receipt = await recordGrantDelivery(ctx, opened, {
    operation: 'query',
    recordCount: body.items.length,
    deliveredDigest: digestOf(body.items),
  });
  return { body, receipt };
}

/**
 * 按键获取: one record by key, if the grant's row filter lets the caller see it. A key that
 * finds nothing (absent, or outside the row filter: the answer does not tell which) is still
 * evidence — a `get` of no record — because asking whether someone is in a department's data
 * already learns something; the provider sees such probes among its exchange records. It is
 * answered 404 without a receipt: nothing was delivered.
 */
export async function getRecord(
  ctx: ReadContext & { key: string },
): Promise<Delivery<Record<string, unknown>>> {
  // PostgreSQL text holds no NUL, so no stored key has one
  const opened = await openForRead(ctx, 'query', ctx.key.includes('\0') ? undefined : ctx.key);
  const data = opened.record;
  if (!data || !opened.policy.matches(data)) {
    await recordGrantDelivery(ctx, opened, {
      operation: 'get',
      recordCount: 0,
      deliveredDigest: digestOf([]),
      details: { found: false },
    });
    throw new NotFoundError('授权范围内没有这条记录');
  }
  await chargeDelivery(ctx, opened, 'query', 1);
  const shaped = opened.policy.shape(data);
  const receipt = await recordGrantDelivery(ctx, opened, {
    operation: 'get',
    recordCount: 1,
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
  const receipt = await recordGrantDelivery(ctx, opened, {
    operation: 'verify',
    recordCount: found ? 1 : 0,
    deliveredDigest: digestOf([body]),
  });
  return { body, receipt };
}
