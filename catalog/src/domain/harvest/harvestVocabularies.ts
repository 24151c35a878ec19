import { FORMATS as RESOURCE_FORMATS } from '../search/searchResources.ts';
import type {
  OpenTypeCode,
  ResourceFormatCode,
  SharingTypeCode,
  UpdateCycleCode,
} from './remoteEntry.ts';

/**
 * Reading remote classifications back into ours. Sources name them in many ways: our own codes
 * (a cascaded catalogue of this software), their Chinese labels, the EU vocabularies of
 * DCAT-AP (an IRI or its last segment) and CKAN's free-text words. Anything unknown maps to
 * null and the caller picks the default.
 */

/** The last segment of an IRI (after `/` or `#`), upper-cased; a plain word as it is. */
export function vocabularyKey(value: string): string {
  const trimmed = value.trim();
  const segment = /[/#]([^/#]+)\/?$/.exec(trimmed)?.[1] ?? trimmed;
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // a malformed escape stays as it is
  }
  return decoded.toUpperCase();
}

const FREQUENCY: Record<string, UpdateCycleCode> = {
  REALTIME: 'realtime',
  CONT: 'realtime',
  UPDATE_CONT: 'realtime',
  CONTINUOUS: 'realtime',
  '1MIN': 'realtime',
  '5MIN': 'realtime',
  '10MIN': 'realtime',
  '15MIN': 'realtime',
  '30MIN': 'realtime',
  HOURLY: 'realtime',
  实时: 'realtime',
  DAILY: 'daily',
  DAILY_2: 'daily',
  每日: 'daily',
  每天: 'daily',
  WEEKLY: 'weekly',
  WEEKLY_2: 'weekly',
  WEEKLY_3: 'weekly',
  BIWEEKLY: 'weekly',
  每周: 'weekly',
  MONTHLY: 'monthly',
  MONTHLY_2: 'monthly',
  MONTHLY_3: 'monthly',
  BIMONTHLY: 'monthly',
  每月: 'monthly',
  QUARTERLY: 'quarterly',
  每季度: 'quarterly',
  ANNUAL: 'yearly',
  ANNUAL_2: 'yearly',
  ANNUAL_3: 'yearly',
  YEARLY: 'yearly',
  BIENNIAL: 'yearly',
  TRIENNIAL: 'yearly',
  每年: 'yearly',
  IRREG: 'irregular',
  IRREGULAR: 'irregular',
  UNKNOWN: 'irregular',
  OTHER: 'irregular',
  NEVER: 'irregular',
  AS_NEEDED: 'irregular',
  不定期: 'irregular',
};

/** EU frequency (or our 更新周期, or a CKAN word) → 更新周期 */
export function updateCycleOf(value: string | null | undefined): UpdateCycleCode | null {
  if (!value) return null;
  return FREQUENCY[vocabularyKey(value)] ?? null;
}

const SHARING: Record<string, SharingTypeCode> = {
  UNCONDITIONAL: 'unconditional',
  无条件共享: 'unconditional',
  CONDITIONAL: 'conditional',
  有条件共享: 'conditional',
  NONE: 'none',
  不予共享: 'none',
};

export function sharingTypeOf(value: string | null | undefined): SharingTypeCode | null {
  if (!value) return null;
  return SHARING[vocabularyKey(value)] ?? null;
}

const OPEN: Record<string, OpenTypeCode> = {
  OPEN: 'open',
  无条件开放: 'open',
  CONDITIONAL: 'conditional',
  有条件开放: 'conditional',
  NONE: 'none',
  不予开放: 'none',
};

export function openTypeOf(value: string | null | undefined): OpenTypeCode | null {
  if (!value) return null;
  return OPEN[vocabularyKey(value)] ?? null;
}

/**
 * EU access right → 开放属性. PUBLIC is open to all; RESTRICTED needs an application at the
 * source (有条件开放); NON_PUBLIC is not open.
 */
export function openTypeOfAccessRight(value: string | null | undefined): OpenTypeCode | null {
  if (!value) return null;
  switch (vocabularyKey(value)) {
    case 'PUBLIC':
      return 'open';
    case 'RESTRICTED':
      return 'conditional';
    case 'NON_PUBLIC':
    case 'NON-PUBLIC':
    case 'NONPUBLIC':
      return 'none';
    default:
      return null;
  }
}

const FORMATS = new Set<ResourceFormatCode>(RESOURCE_FORMATS);

/** Our own 信息资源格式 code (or its label), when a cascaded catalogue states it. */
export function resourceFormatOf(value: string | null | undefined): ResourceFormatCode | null {
  if (!value) return null;
  const key = vocabularyKey(value).toLowerCase();
  if (FORMATS.has(key as ResourceFormatCode)) return key as ResourceFormatCode;
  const byLabel: Record<string, ResourceFormatCode> = {
    数据库: 'database',
    电子表格: 'spreadsheet',
    文档: 'document',
    图像: 'image',
    图片: 'image',
    地理空间: 'geo',
    空间地理: 'geo',
    流数据: 'stream',
    接口: 'api',
    其他: 'other',
  };
  return byLabel[key] ?? null;
}

const FILE_TYPE_FORMAT: [RegExp, ResourceFormatCode][] = [
  [/^(API|WMS|WFS|WMTS|WCS|SPARQLQ|OGC_API|REST|SERVICE)$/, 'api'],
  [/^(CSV|TSV|XLS|XLSX|ODS|XLSM)$/, 'spreadsheet'],
  [/^(SHP|GEOJSON|KML|KMZ|GML|GPKG|GEOTIFF|GDB|MAP_SRVC)$/, 'geo'],
  [/^(PDF|DOC|DOCX|ODT|TXT|HTML|RTF|EPUB)$/, 'document'],
  [/^(JPEG|JPG|PNG|GIF|TIFF|TIF|BMP|SVG|WEBP)$/, 'image'],
  [/^(SQL|DB|MDB|ACCDB|SQLITE|DBF)$/, 'database'],
];

/**
 * The resource format from the file types of a source's distributions: an API wins (the data
 * can be queried), then the most telling file kind; nothing known is `other`.
 */
export function formatOfFileTypes(values: readonly string[]): ResourceFormatCode {
  const keys = values.map((v) => vocabularyKey(v).replace(/^.*\//, '').replace(/^\./, ''));
  for (const [pattern, format] of FILE_TYPE_FORMAT) {
    if (keys.some((k) => pattern.test(k))) return format;
  }
  return 'other';
}
