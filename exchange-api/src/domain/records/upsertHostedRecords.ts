import type { Prisma, PrismaClient } from '@gx/migrations';
import { recordKeyOrder } from '@gx/platform';
import { prismaQuery, type DeletionGrant } from './deleteHostedRecords.ts';
import { noteLeftViews, recordsLeavingViews } from './recordsLeavingViews.ts';

export interface UpsertHostedRecordsOptions {
  resourceId: string;
  schemaVersion: number;
  /** [record key, record] pairs, already validated against `schemaVersion` */
  rows: readonly (readonly [string, Record<string, unknown>])[];
  /**
   * the resource's key fields and the grants whose consumers may hold copies
   * (`subscribedGrants`): a record a change takes out of a grant's row filter is noted for that
   * grant (ADR 0012, `recordsLeavingViews`)
   */
  views: { keyFields: readonly string[]; grants: readonly DeletionGrant[] };
}

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Write records of a resource into the hosted record store by key, and mark the resource's data
 * as updated. Every writer on the exchange side goes through here (ingestion, and a correction
 * made from an objection), so subscribers see them alike: a trigger gives each changed record
 * its next change_seq and notifies subscribers at commit, serialising writers of this resource
 * (migration 20261121080000_record_changes).
 *
 * When the resource has connectors, the records whose data changed also go to the outbox in the
 * same transaction, from which a connector worker moves them to the resource's raw stream: the
 * consumers' sink connectors receive them under their grants like records a source connector
 * brought (migration 20261124090000_record_outbox). A record a change takes out of a grant's
 * row filter is noted for that grant (ADR 0012), so its consumer removes its copy. Runs inside
 * the caller's transaction when given one, otherwise in its own.
 */
export async function upsertHostedRecords(
  db: Db,
  options: UpsertHostedRecordsOptions,
): Promise<void> {
  if (options.rows.length === 0) return;
  if ('$transaction' in db) await db.$transaction((tx) => write(tx, options));
  else await write(db, options);
}

async function write(
  tx: Prisma.TransactionClient,
  { resourceId, schemaVersion, rows, views }: UpsertHostedRecordsOptions,
): Promise<void> {
  const query = prismaQuery(tx);
  const left = await recordsLeavingViews(query, { resourceId, ...views, rows });
  // The trigger draws a change number only for a record whose data changes; one that is written
  // again as it was keeps its old number. Every number drawn after `before` is this statement's,
  // so `change_seq > before` picks the changed records. An unchanged record can pass too (its
  // number drawn by a transaction that committed between `before` and our update): it then goes
  // to the outbox once more, which sinks absorb (idempotent by key); a change is never missed.
  const [mark] = await tx.$queryRaw<{ before: bigint }[]>`
    SELECT nextval('record_change_seq') AS before`;
  const before = mark!.before;
  const stored = rows.map(([key, data]) => ({
    key,
    key_order: recordKeyOrder(data, views.keyFields),
    data,
  }));
  await tx.$executeRaw`
    WITH stored AS (
      INSERT INTO records (resource_id, record_key, key_order, data, schema_version, updated_at)
      SELECT ${resourceId}::uuid, r.key, r.key_order, r.data, ${schemaVersion}, now()
        FROM jsonb_to_recordset(${JSON.stringify(stored)}::jsonb) AS r(key text, key_order jsonb, data jsonb)
      ON CONFLICT (resource_id, record_key) DO UPDATE
        SET data = EXCLUDED.data, key_order = EXCLUDED.key_order,
            schema_version = EXCLUDED.schema_version, updated_at = now()
      RETURNING record_key, data, change_seq)
    INSERT INTO record_outbox (resource_id, record_key, data)
    SELECT ${resourceId}::uuid, s.record_key, s.data FROM stored s
     WHERE s.change_seq > ${before}
       AND EXISTS (SELECT 1 FROM connectors c LEFT JOIN grants g ON g.id = c.grant_id
                    WHERE c.resource_id = ${resourceId}::uuid OR g.resource_id = ${resourceId}::uuid)`;
  // numbered after the changes, so a subscriber hears of the change before the removal
  await noteLeftViews(query, resourceId, left);
  await tx.resource.update({ where: { id: resourceId }, data: { dataUpdatedAt: new Date() } });
}
