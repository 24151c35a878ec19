import type { ClientBase } from 'pg';
import type { Prisma } from '@gx/migrations';
import type { CompiledPolicy } from '../policy/compilePolicy.ts';

/** A grant whose consumer may hold copies of the records, with its compiled policy. */
export interface DeletionGrant {
  grantId: string;
  policy: CompiledPolicy;
}

/**
 * Runs one statement in the caller's transaction and resolves to its rows: a Prisma
 * transaction client (`prismaQuery`) or a pg client alike.
 */
export type DeletionQuery = <T>(sql: string, params: unknown[]) => Promise<T[]>;

export function prismaQuery(tx: Prisma.TransactionClient): DeletionQuery {
  return <T>(sql: string, params: unknown[]) => tx.$queryRawUnsafe<T[]>(sql, ...params);
}

/** The same over a pg client (or pool) in the caller's transaction. */
export function pgQuery(client: Pick<ClientBase, 'query'>): DeletionQuery {
  return async <T>(sql: string, params: unknown[]) => (await client.query(sql, params)).rows as T[];
}

export interface DeleteHostedRecordsOptions {
  resourceId: string;
  /** the resource's key fields (its record schema's `x-key`) */
  keyFields: readonly string[];
  keys: readonly string[];
  /** the grants whose consumers may hold copies (`subscribedGrants`) */
  grants: readonly DeletionGrant[];
  /**
   * put a deletion in the outbox for the connector sinks when the resource has connectors
   * (the exchange API); connector enforcement, which produces the tombstones itself, does not
   */
  outbox: boolean;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The record's key fields as a grant's policy shapes them — the values its consumer's copies
 * carry (a masked or pseudonymised key stays so); a key field the policy withholds is absent.
 */
export function shapedKeyFields(
  grant: DeletionGrant,
  keyFields: readonly string[],
  data: Record<string, unknown>,
): Record<string, unknown> {
  const shaped = grant.policy.shape(data);
  const out: Record<string, unknown> = {};
  for (const field of keyFields) if (Object.hasOwn(shaped, field)) out[field] = shaped[field];
  return out;
}

/**
 * Delete records of a resource from the hosted store (ADR 0012), inside the caller's
 * transaction. Each deleted record leaves a row in `record_deletions` — its key, its place in
 * the change feed, and for every grant whose row filter admitted it the key fields as that
 * grant's consumer knows them — so SSE subscribers get `event: removed` and connector sinks a
 * tombstone. Only grants that could see the record are told. The data itself is kept nowhere.
 * Keys that are not stored are skipped. Resolves to the keys deleted.
 */
export async function deleteHostedRecords(
  query: DeletionQuery,
  { resourceId, keyFields, keys, grants, outbox }: DeleteHostedRecordsOptions,
): Promise<string[]> {
  // PostgreSQL text holds no NUL and no lone surrogate, so no stored key has one (and jsonb
  // would refuse the list)
  const storable = keys.filter((key) => !key.includes('\0') && !LONE_SURROGATE.test(key));
  if (storable.length === 0) return [];
  // the resource's writers are serialised by this lock (migration 20261121080000_record_changes);
  // taken before the rows' locks, so two writers of the resource queue here instead of
  // deadlocking on each other's rows
  await query('SELECT pg_advisory_xact_lock(1919, hashtext($1::text))::text AS locked', [
    resourceId,
  ]);
  const gone = await query<{ key: string; data: Record<string, unknown> }>(
    `DELETE FROM records
      WHERE resource_id = $1::uuid
        AND record_key IN (SELECT jsonb_array_elements_text($2::jsonb))
     RETURNING record_key AS key, data`,
    [resourceId, JSON.stringify(storable)],
  );
  if (gone.length === 0) return [];
  const deletions = gone.map(({ key, data }) => {
    const seenBy: Record<string, Record<string, unknown>> = {};
    for (const grant of grants) {
      if (grant.policy.matches(data))
        seenBy[grant.grantId] = shapedKeyFields(grant, keyFields, data);
    }
    return { key, grants: seenBy };
  });
  const list = JSON.stringify(deletions);
  await query(
    `INSERT INTO record_deletions (resource_id, record_key, grants)
     SELECT $1::uuid, d.key, d.grants FROM jsonb_to_recordset($2::jsonb) AS d(key text, grants jsonb)
     RETURNING 1 AS ok`,
    [resourceId, list],
  );
  if (outbox) {
    await query(
      `INSERT INTO record_outbox (resource_id, record_key, deleted)
       SELECT $1::uuid, d.key, true FROM jsonb_to_recordset($2::jsonb) AS d(key text)
        WHERE EXISTS (SELECT 1 FROM connectors c LEFT JOIN grants g ON g.id = c.grant_id
                       WHERE c.resource_id = $1::uuid OR g.resource_id = $1::uuid)
       RETURNING 1 AS ok`,
      [resourceId, list],
    );
  }
  await query(
    'UPDATE resources SET data_updated_at = now() WHERE id = $1::uuid RETURNING 1 AS ok',
    [resourceId],
  );
  return deletions.map((d) => d.key);
}
