import type { Prisma } from '@gx/migrations';
import type { SubscribedGrant } from '../sharing/openGrant.ts';

export interface DeleteHostedRecordsOptions {
  resourceId: string;
  /** the resource's key fields (its record schema's `x-key`) */
  keyFields: readonly string[];
  keys: readonly string[];
  /** the grants whose consumers may hold copies (`subscribedGrants`) */
  grants: readonly SubscribedGrant[];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The record's key fields as a grant's policy shapes them — the values its consumer's copies
 * carry (a masked or pseudonymised key stays so); a key field the policy withholds is absent.
 */
export function shapedKeyFields(
  grant: SubscribedGrant,
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
 * grant's consumer knows them — so SSE subscribers get `event: removed` and, through the outbox
 * when the resource has connectors, sinks get a tombstone. Only grants that could see the
 * record are told. The data itself is kept nowhere. Keys that are not stored are skipped.
 * Resolves to the keys deleted.
 */
export async function deleteHostedRecords(
  tx: Prisma.TransactionClient,
  { resourceId, keyFields, keys, grants }: DeleteHostedRecordsOptions,
): Promise<string[]> {
  // PostgreSQL text holds no NUL and no lone surrogate, so no stored key has one (and jsonb
  // would refuse the list)
  const storable = keys.filter((key) => !key.includes('\0') && !LONE_SURROGATE.test(key));
  if (storable.length === 0) return [];
  // the resource's writers are serialised by this lock (migration 20261121080000_record_changes);
  // taken before the rows' locks, in the order every writer takes them, so two writers of the
  // resource queue here instead of deadlocking on each other's rows
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(1919, hashtext(${resourceId}::text))::text`;
  const gone = await tx.$queryRaw<{ key: string; data: Record<string, unknown> }[]>`
    DELETE FROM records
     WHERE resource_id = ${resourceId}::uuid
       AND record_key IN (SELECT jsonb_array_elements_text(${JSON.stringify(storable)}::jsonb))
    RETURNING record_key AS key, data`;
  if (gone.length === 0) return [];
  const deletions = gone.map(({ key, data }) => {
    const seenBy: Record<string, Record<string, unknown>> = {};
    for (const grant of grants) {
      if (grant.policy.matches(data))
        seenBy[grant.grantId] = shapedKeyFields(grant, keyFields, data);
    }
    return { key, grants: seenBy };
  });
  await tx.$executeRaw`
    INSERT INTO record_deletions (resource_id, record_key, grants)
    SELECT ${resourceId}::uuid, d.key, d.grants
      FROM jsonb_to_recordset(${JSON.stringify(deletions)}::jsonb) AS d(key text, grants jsonb)`;
  await tx.$executeRaw`
    INSERT INTO record_outbox (resource_id, record_key, deleted)
    SELECT ${resourceId}::uuid, d.key, true
      FROM jsonb_to_recordset(${JSON.stringify(deletions)}::jsonb) AS d(key text)
     WHERE EXISTS (SELECT 1 FROM connectors c LEFT JOIN grants g ON g.id = c.grant_id
                    WHERE c.resource_id = ${resourceId}::uuid OR g.resource_id = ${resourceId}::uuid)`;
  await tx.resource.update({ where: { id: resourceId }, data: { dataUpdatedAt: new Date() } });
  return deletions.map((d) => d.key);
}
