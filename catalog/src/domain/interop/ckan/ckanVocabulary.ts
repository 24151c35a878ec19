import { createHash } from 'node:crypto';
import { Prisma } from '@gx/migrations';
import { LICENCE } from '../dcat/vocabularies.ts';

/**
 * How our directory's codes read in CKAN's terms. Each derived value has its JavaScript form
 * (for the package dicts) and its SQL form (for `fq` and facets) side by side, so that what a
 * search filters and counts is exactly what package_show shows.
 */

/** The CKAN release whose Action API (envelope, parameters, dicts) this one follows. */
export const CKAN_VERSION = '2.10.5';

/** The downloads of an open entry, in resource order (exchange-open.yaml `format`). */
export const DOWNLOADS = [
  { format: 'CSV', param: 'csv', mimetype: 'text/csv' },
  { format: 'JSON', param: 'json', mimetype: 'application/json' },
  {
    format: 'XLSX',
    param: 'xlsx',
    mimetype: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
] as const;

/** The format of the resource that points at the open-data API. */
export const API_FORMAT = 'API';

/** Open types whose entries have downloads and the open-data API (无条件 and 有条件开放). */
const OPEN_TYPES_WITH_DATA = ['open', 'conditional'] as const;

export const hasOpenData = (openType: string): boolean =>
  (OPEN_TYPES_WITH_DATA as readonly string[]).includes(openType);

/** The `res_format` values of an entry: its downloads and the API, or none. */
export function resourceFormats(openType: string): string[] {
  return hasOpenData(openType) ? [...DOWNLOADS.map((d) => d.format), API_FORMAT] : [];
}

/** resourceFormats as SQL over an `open_type` column. */
export function resourceFormatsSql(openTypeColumn: string): Prisma.Sql {
  const formats = [...DOWNLOADS.map((d) => d.format), API_FORMAT];
  return Prisma.sql`(CASE WHEN ${Prisma.raw(openTypeColumn)}::text = ANY(${[...OPEN_TYPES_WITH_DATA]}::text[])
    THEN ${formats}::text[] ELSE ARRAY[]::text[] END)`;
}

export interface CkanLicense {
  id: string;
  title: string;
  url: string;
  isOpen: boolean;
}

/**
 * Licences by CKAN licence id (ckan/model/license.py). 无条件开放 data is under the licence the
 * DCAT-AP export names (CC BY 4.0, dcat/vocabularies.ts), with CKAN's id for CC BY; 有条件开放
 * and shared-only entries are not open in the Open Definition's sense (CKAN's `other-closed`).
 */
export const LICENSES = {
  open: { id: 'cc-by', title: LICENCE.title, url: LICENCE.deed, isOpen: true },
  closed: { id: 'other-closed', title: 'Other (Not Open)', url: '', isOpen: false },
} as const satisfies Record<string, CkanLicense>;

export function licenseOf(openType: string): CkanLicense {
  return openType === 'open' ? LICENSES.open : LICENSES.closed;
}

/** licenseOf as SQL over an `open_type` column: the licence id. */
export function licenseIdSql(openTypeColumn: string): Prisma.Sql {
  return Prisma.sql`(CASE WHEN ${Prisma.raw(openTypeColumn)}::text = 'open'
    THEN ${LICENSES.open.id} ELSE ${LICENSES.closed.id} END)`;
}

/** The title of a licence id, for facets (unknown ids show as themselves, as in CKAN). */
export function licenseTitle(id: string): string {
  return Object.values(LICENSES).find((l) => l.id === id)?.title ?? id;
}

/** A dataset's CKAN name: its resource code in lower case ([a-z0-9-], 26 characters). */
export const packageName = (code: string): string => code.toLowerCase();

/**
 * A timestamp as CKAN writes one: Python's `isoformat()` of the UTC time without a zone,
 * microseconds only when there are any (`2026-11-21T08:30:00.123000`).
 */
export function ckanTimestamp(date: Date | null | undefined): string | null {
  if (!date) return null;
  const iso = date.toISOString();
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? iso.slice(0, 19) : `${iso.slice(0, 19)}.${String(ms).padStart(3, '0')}000`;
}

function uuidFromHash(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** RFC 4122 namespace for names that are URLs. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
const CKAN_NAMESPACE = uuidFromHash(URL_NAMESPACE, 'urn:gov-exchange:ckan');

/**
 * A stable UUID (version 5) for something CKAN gives an id but our directory does not (a
 * download, a theme, a tag): the same thing has the same id on every call and every instance.
 */
export function stableId(kind: 'resource' | 'group' | 'tag', name: string): string {
  return uuidFromHash(CKAN_NAMESPACE, `${kind}:${name}`);
}
