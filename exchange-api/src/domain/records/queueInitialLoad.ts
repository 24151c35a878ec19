import type { DeletionQuery } from './deleteHostedRecords.ts';

/**
 * 存量同步: one outbox marker per key a grant's sinks should hold the current state of — every
 * record the exchange holds for the grant's resource, and every retained deletion of a record
 * the grant could see (ADR 0012) that is not stored again since. The workers' relay puts the
 * markers on the resource's raw stream, and enforcement answers each with the key as it then
 * is, on the grant's delivery stream only: the record through the grant's policy, or a
 * tombstone (migration 20261124100000_initial_load). Runs in the caller's transaction
 * (`prismaQuery(tx)` or a pg client). Resolves to how many markers were queued.
 */
export async function queueInitialLoad(query: DeletionQuery, grantId: string): Promise<number> {
  const rows = await query<{ n: number }>(
    `WITH queued AS (
       INSERT INTO record_outbox (resource_id, record_key, initial_load_grant)
       SELECT resource_id, record_key, $1::uuid FROM (
         SELECT r.resource_id, r.record_key
           FROM grants g JOIN records r ON r.resource_id = g.resource_id
          WHERE g.id = $1::uuid
         UNION
         SELECT d.resource_id, d.record_key
           FROM grants g JOIN record_deletions d ON d.resource_id = g.resource_id
          WHERE g.id = $1::uuid AND d.grants ? $1::text) AS keys
        ORDER BY record_key
       RETURNING 1)
     SELECT count(*)::int AS n FROM queued`,
    [grantId],
  );
  return rows[0]?.n ?? 0;
}

/** Whether any connector sink reads the grant's delivery stream. */
export async function grantHasSinks(query: DeletionQuery, grantId: string): Promise<boolean> {
  const rows = await query<{ yes: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM connectors WHERE kind = 'sink' AND grant_id = $1::uuid) AS yes`,
    [grantId],
  );
  return rows[0]?.yes === true;
}
