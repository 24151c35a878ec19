import { shapedKeyFields, type DeletionGrant, type DeletionQuery } from './deleteHostedRecords.ts';

/** key → { grant id: the record's key fields as that grant's policy shapes them } */
export type LeftViews = Map<string, Record<string, Record<string, unknown>>>;

export interface RecordsLeavingViewsOptions {
  resourceId: string;
  /** the resource's key fields (its record schema's `x-key`) */
  keyFields: readonly string[];
  /** the grants whose consumers may hold copies (`subscribedGrants`, or enforcement's) */
  grants: readonly DeletionGrant[];
  /** [record key, record] pairs about to be written */
  rows: readonly (readonly [string, Record<string, unknown>])[];
}

const hasRowFilter = (grant: DeletionGrant) => grant.policy.policy.rowFilter !== undefined;

/**
 * The rows that could leave a view: those a grant with a row filter rejects (a writer with none
 * can skip `recordsLeavingViews` and its transaction).
 */
export function leavingCandidates({
  grants,
  rows,
}: Pick<RecordsLeavingViewsOptions, 'grants' | 'rows'>): Map<string, Record<string, unknown>> {
  const filtered = grants.filter(hasRowFilter);
  if (filtered.length === 0) return new Map();
  return new Map(
    rows.filter(
      // PostgreSQL text holds no NUL: such a key is not stored, so it cannot leave anything
      ([key, data]) => !key.includes('\0') && filtered.some((g) => !g.policy.matches(data)),
    ),
  );
}

/**
 * Records about to leave a grant's view (ADR 0012): of `rows`, those stored now in a version a
 * grant's row filter admits, while the version about to be written is one it rejects (a person
 * moves from 西湖区 to 上城区 under a 西湖区 grant). Call it in the writer's transaction before the
 * write, and `noteLeftViews` after it. Only grants with a row filter can be left, and only rows
 * one of them rejects are looked up, so a resource without filtered grants costs nothing.
 * Takes the resource's writer lock (as the records trigger would), so the stored versions read
 * are the ones the write replaces.
 */
export async function recordsLeavingViews(
  query: DeletionQuery,
  { resourceId, keyFields, grants, rows }: RecordsLeavingViewsOptions,
): Promise<LeftViews> {
  const left: LeftViews = new Map();
  const candidates = leavingCandidates({ grants, rows });
  if (candidates.size === 0) return left;
  const filtered = grants.filter(hasRowFilter);
  await query('SELECT pg_advisory_xact_lock(1919, hashtext($1::text))::text AS locked', [
    resourceId,
  ]);
  // each grant's filter in SQL (the same semantics as `matches`, property-tested) on the
  // stored version
  const params: unknown[] = [resourceId, JSON.stringify([...candidates.keys()])];
  const admitted = filtered.map((grant, i) => {
    const where = grant.policy.where({ column: 'data', firstParam: params.length + 1 });
    params.push(...where.params);
    return `coalesce((${where.sql}), false) AS g${i}`;
  });
  const stored = await query<{ key: string } & Record<string, unknown>>(
    `SELECT record_key AS key, ${admitted.join(', ')} FROM records
      WHERE resource_id = $1::uuid AND record_key IN (SELECT jsonb_array_elements_text($2::jsonb))`,
    params,
  );
  for (const row of stored) {
    const data = candidates.get(row.key)!;
    const seenBy: Record<string, Record<string, unknown>> = {};
    filtered.forEach((grant, i) => {
      if (row[`g${i}`] === true && !grant.policy.matches(data))
        seenBy[grant.grantId] = shapedKeyFields(grant, keyFields, data);
    });
    if (Object.keys(seenBy).length > 0) left.set(row.key, seenBy);
  }
  return left;
}

/**
 * Note the records that left grants' views (`recordsLeavingViews`), after the write in the same
 * transaction: a `record_deletions` row of kind `left` each, numbered after the change, so SSE
 * subscribers of those grants get `event: removed` and enforcement can send their sinks a
 * tombstone. The record stays in the store.
 */
export async function noteLeftViews(
  query: DeletionQuery,
  resourceId: string,
  left: LeftViews,
): Promise<void> {
  if (left.size === 0) return;
  await query(
    `INSERT INTO record_deletions (resource_id, record_key, grants, kind)
     SELECT $1::uuid, d.key, d.grants, 'left'
       FROM jsonb_to_recordset($2::jsonb) AS d(key text, grants jsonb)
     RETURNING 1 AS ok`,
    [resourceId, JSON.stringify([...left].map(([key, grants]) => ({ key, grants })))],
  );
}
