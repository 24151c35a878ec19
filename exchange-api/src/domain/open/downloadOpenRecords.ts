import type { Writable } from 'node:stream';
import type { Pool } from 'pg';
import type { Actor } from '@gx/platform';
import { columnHeadings, streamRecords, STREAM_MEDIA_TYPES } from '../records/streamRecords.ts';
import type { EvidenceSink } from '../sharing/evidenceSink.ts';
import { openResource } from './openResource.ts';
import { recordOpenDelivery } from './recordOpenDelivery.ts';

export type OpenDownloadFormat = 'csv' | 'json' | 'xlsx';

/** What the transport needs to announce a download before its first byte. */
export interface OpenDownloadStart {
  mediaType: string;
  /** `<resource name>.<format>`, e.g. 空气质量小时监测数据.csv */
  filename: string;
  /** an ASCII stand-in for clients that do not read `filename*`: `<resource code>.<format>` */
  asciiFilename: string;
}

/**
 * 数据下载: every record of an open resource under its open policy, streamed by the export
 * engine (CSV with BOM and Chinese headers, a JSON array, or XLSX). The evidence entry carries
 * the record count and the SHA-256 of exactly the bytes sent.
 */
export async function downloadOpenRecords({
  pool,
  evidence,
  actor,
  code,
  format,
  out,
  requestHash,
  onStart,
}: {
  pool: Pool;
  evidence: EvidenceSink;
  actor: Actor;
  code: string;
  format: OpenDownloadFormat;
  /** not ended here: the receipt may still follow as a trailer */
  out: Writable;
  requestHash: string;
  /** called once the resource is open, before the first byte: set headers here */
  onStart(start: OpenDownloadStart): void;
}): Promise<{ count: number; receipt: unknown }> {
  const opened = await openResource({
    pool,
    evidence,
    actor,
    code,
    access: 'download',
    requestHash,
  });
  onStart({
    mediaType: STREAM_MEDIA_TYPES[format],
    filename: `${opened.name}.${format}`,
    asciiFilename: `${opened.resourceCode}.${format}`,
  });
  const { count, digest } = await streamRecords({
    pool,
    resourceId: opened.resourceId,
    policy: opened.policy,
    labels: columnHeadings(opened.items),
    types: new Map(opened.items.map((i) => [i.name, i.dataType])),
    format,
    out,
  });
  const receipt = await recordOpenDelivery(evidence, {
    actor,
    opened,
    access: 'download',
    recordCount: count,
    requestHash,
    deliveredDigest: digest,
    details: { format },
  });
  return { count, receipt };
}
