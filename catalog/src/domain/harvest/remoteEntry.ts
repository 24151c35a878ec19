import { createHash } from 'node:crypto';
import { canonicalJson } from '@gx/platform';

export type ResourceFormatCode =
  'database' | 'spreadsheet' | 'document' | 'image' | 'geo' | 'stream' | 'api' | 'other';
export type SharingTypeCode = 'unconditional' | 'conditional' | 'none';
export type OpenTypeCode = 'open' | 'conditional' | 'none';
export type UpdateCycleCode =
  'realtime' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular';

/** Who published an entry at its source, as far as the source says. */
export interface RemotePublisher {
  name: string;
  /** 统一社会信用代码, only when the source states a well-formed one */
  unifiedSocialCreditCode: string | null;
  /** the publisher's identity at the source (CKAN organisation id, agent IRI) */
  remoteKey: string | null;
}

/** A theme as the source names it; candidates are tried in order against the local themes. */
export interface RemoteTheme {
  /** a code that may be a local theme code (CKAN group name, skos:notation) */
  code?: string;
  /** a label that may be a local theme name */
  name?: string;
  /** an EU data-theme IRI (mapped back through the DCAT export's table) */
  euTheme?: string;
}

/**
 * One entry of a remote catalogue, normalised from CKAN or DCAT into what a directory entry
 * needs. Its hash decides whether a re-harvest writes anything.
 */
export interface RemoteEntry {
  /** the identity across harvests (CKAN extras uri / identifier / name; DCAT dct:identifier / IRI) */
  identifier: string;
  /** the source's own id, which may change (CKAN package id, DCAT dataset IRI) */
  remoteId: string;
  /** link to the entry at its source, for people */
  sourceUrl: string | null;
  /** the remote code when it has the shape of a local 信息资源代码 */
  code: string | null;
  title: string;
  description: string | null;
  keywords: string[];
  themes: RemoteTheme[];
  publisher: RemotePublisher | null;
  format: ResourceFormatCode;
  sharingType: SharingTypeCode;
  sharingMethods: ('api' | 'file' | 'subscription')[];
  sharingConditions: string | null;
  sharingLegalBasis: string | null;
  openType: OpenTypeCode;
  openConditions: string | null;
  updateCycle: UpdateCycleCode;
  /** YYYY-MM-DD */
  issued: string | null;
  /** ISO date-time the source last changed the entry */
  modified: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
}

/** What a walk of a remote catalogue produces, in order. */
export type WalkEvent =
  | { type: 'page'; url: string }
  | { type: 'entry'; entry: RemoteEntry }
  /** an entry the source lists but that cannot be read (no identity, no title…) */
  | { type: 'invalid'; identifier: string | null; remoteId: string | null; message: string };

/** 信息资源代码: 分类(9) - 组织机构代码(9) - 顺序号(6) */
export const RESOURCE_CODE_SHAPE = /^[1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}$/;

/** A well-formed 统一社会信用代码 (the character set of GB 32100, without the check digit test). */
export const CREDIT_CODE_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/**
 * The content hash of an entry as a source gave it, together with the source settings that
 * shape the local copy (a changed fallback theme or region must rewrite the entries).
 */
export function entryHash(entry: RemoteEntry, settings: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson({ entry, settings })).digest('hex');
}

/** Trim, collapse empty to null, and cut to the column's length. */
export function clip(value: unknown, max: number): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  if (text.length === 0) return null;
  return [...text].slice(0, max).join('');
}
