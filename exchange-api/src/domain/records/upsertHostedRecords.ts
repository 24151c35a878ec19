import type { Prisma, PrismaClient } from '@gx/migrations';

export interface UpsertHostedRecordsOptions {
  resourceId: string;
  schemaVersion: number;
  /** [record key, record] pairs, already validated against `schemaVersion` */
  rows: readonly (readonly [string, Record<string, unknown>])[];
}

/**
 * Write records of a resource into the hosted record store by key, and mark the resource's data
 * as updated. Every writer on the exchange side goes through here (ingestion, and a correction
 * made from an objection), so subscribers see them alike: a trigger gives each changed record
 * its next change_seq and notifies subscribers at commit, serialising writers of this resource
 * (migration 20261121080000_record_changes). Runs inside the caller's transaction when given one.
 */
export async function upsertHostedRecords(
  db: PrismaClient | Prisma.TransactionClient,
  { resourceId, schemaVersion, rows }: UpsertHostedRecordsOptions,
): Promise<void> {
  if (rows.length === 0) return;
  await db.$executeRaw`
    INSERT INTO records (resource_id, record_key, data, schema_version, updated_at)
    SELECT ${resourceId}::uuid, r.key, r.data, ${schemaVersion}, now()
      FROM jsonb_to_recordset(${JSON.stringify(rows.map(([key, data]) => ({ key, data })))}::jsonb) AS r(key text, data jsonb)
    ON CONFLICT (resource_id, record_key) DO UPDATE
      SET data = EXCLUDED.data, schema_version = EXCLUDED.schema_version, updated_at = now()`;
  await db.resource.update({ where: { id: resourceId }, data: { dataUpdatedAt: new Date() } });
}
