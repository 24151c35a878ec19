import type { Writable } from 'node:stream';
import type { Pool } from 'pg';
import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import type { EvidenceSink } from '../sharing/evidenceSink.ts';
import { openForRead } from './readRecords.ts';
import { recordGrantDelivery } from './recordGrantDelivery.ts';
import {
  columnHeadings,
  STREAM_MEDIA_TYPES,
  streamRecords,
  type StreamFormat,
} from './streamRecords.ts';

export type ExportFormat = StreamFormat;
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'json', 'xlsx'];

/**
 * 批量导出: every record the grant lets the caller have, streamed by `streamRecords` — never
 * the whole result in memory, PostgreSQL's COPY when the policy masks nothing — as CSV (UTF-8
 * with BOM so Excel reads Chinese), JSON lines, a JSON array or XLSX. The evidence entry carries
 * the record count and the SHA-256 of exactly the bytes delivered.
 */
export async function exportRecords({
  prisma,
  pool,
  evidence,
  actor,
  grantId,
  purpose,
  format,
  out,
  requestHash,
  onStart,
}: {
  prisma: PrismaClient;
  pool: Pool;
  evidence: EvidenceSink;
  actor: Actor;
  grantId: string;
  purpose: string | undefined;
  format: ExportFormat;
  out: Writable;
  requestHash: string;
  /** called once the grant is open, before the first byte: set headers here */
  onStart(info: { resourceCode: string; filename: string; mediaType: string }): void;
}) {
  const opened = await openForRead(
    { prisma, pool, evidence, actor, grantId, purpose, requestHash },
    'bulk',
  );
  const items = await prisma.informationItem.findMany({
    where: { resourceId: opened.resourceId },
    orderBy: { position: 'asc' },
  });
  onStart({
    resourceCode: opened.resourceCode,
    filename: `${opened.resourceCode}.${format}`,
    mediaType: STREAM_MEDIA_TYPES[format],
  });
  const { count, digest } = await streamRecords({
    pool,
    resourceId: opened.resourceId,
    policy: opened.policy,
    labels: columnHeadings(items),
    types: new Map(items.map((i) => [i.name, i.dataType])),
    format,
    out,
  });
  const receipt = await recordGrantDelivery({ evidence, actor, purpose, requestHash }, opened, {
    operation: 'export',
    recordCount: count,
    deliveredDigest: digest,
  });
  return { count, receipt };
}
