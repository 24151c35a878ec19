import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { Pool } from 'pg';
import Cursor from 'pg-cursor';
import type { PrismaClient } from '@gx/migrations';
import { canonicalJson, describeActor, type Actor } from '@gx/platform';
import type { EvidenceSink } from '../sharing/evidenceSink.ts';
import { openForRead } from './readRecords.ts';

export type ExportFormat = 'csv' | 'jsonl';
const BATCH = 2000;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // quote when needed; a leading = + - @ would make Excel evaluate the cell, so neutralise it
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * 批量导出: every record the grant lets the caller have, streamed in batches from a cursor —
 * never the whole result in memory — as CSV (UTF-8 with BOM so Excel reads Chinese) or JSON
 * lines. Backpressure is respected. The evidence entry carries the record count and the
 * SHA-256 of exactly the bytes delivered.
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
  onStart(info: { resourceCode: string; filename: string }): void;
}) {
  const opened = await openForRead(
    { prisma, pool, evidence, actor, grantId, purpose, requestHash },
    'bulk',
  );
  const items = await prisma.informationItem.findMany({
    where: { resourceId: opened.resourceId },
    orderBy: { position: 'asc' },
  });
  const labels = new Map(items.map((i) => [i.name, i.label]));
  const fields = opened.policy.policy.fields.filter(
    (f) => !(opened.policy.policy.masks?.[f]?.kind === 'redact'),
  );
  onStart({ resourceCode: opened.resourceCode, filename: `${opened.resourceCode}.${format}` });

  const digest = createHash('sha256');
  const write = async (chunk: string) => {
    digest.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  if (format === 'csv')
    await write(`\uFEFF${fields.map((f) => csvCell(labels.get(f) ?? f)).join(',')}\r\n`);

  const where = opened.policy.where({ column: 'data', firstParam: 2 });
  const client = await pool.connect();
  let count = 0;
  try {
    const cursor = client.query(
      new Cursor(
        `SELECT data FROM records WHERE resource_id = $1::uuid AND ${where.sql} ORDER BY record_key COLLATE "C"`,
        [opened.resourceId, ...where.params],
      ),
    );
    try {
      for (;;) {
        const rows = (await cursor.read(BATCH)) as { data: Record<string, unknown> }[];
        if (rows.length === 0) break;
        let chunk = '';
        for (const row of rows) {
          const shaped = opened.policy.shape(row.data);
          chunk +=
            format === 'csv'
              ? `${fields.map((f) => csvCell(shaped[f])).join(',')}\r\n`
              : `${canonicalJson(shaped)}\n`;
        }
        count += rows.length;
        await write(chunk);
      }
    } finally {
      await cursor.close();
    }
  } finally {
    client.release();
  }
  const receipt = await evidence.append({
    actor: describeActor(actor),
    actorKind: actor.kind,
    department: opened.consumerCode,
    grantId: opened.grantId,
    purpose,
    resourceCode: opened.resourceCode,
    operation: 'export',
    recordCount: count,
    requestHash,
    deliveredDigest: digest.digest('hex'),
  });
  return { count, receipt };
}
