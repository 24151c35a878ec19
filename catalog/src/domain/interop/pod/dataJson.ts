import type { CatalogPublisher } from '../catalogPublisher.ts';
import { DOWNLOAD_FORMATS, FILE_FORMATS, LICENCE } from '../dcat/vocabularies.ts';
import {
  openDataLinks,
  type PublishedResource,
  type UpdateCycleCode,
} from '../publishedCatalog.ts';

/**
 * Project Open Data Metadata Schema v1.1 (the `data.json` of data.gov) for our open datasets.
 * `bureauCode` and `programCode` are US-federal codes (OMB Circular A-11, Federal Program
 * Inventory) that no Chinese body has; they are left out rather than filled with invented
 * values (docs/interop.md).
 */

export const POD_SCHEMA = 'https://project-open-data.cio.gov/v1.1/schema';

/** ISO 8601 repeating durations as POD lists them; 不定期 has POD's own word. */
export const POD_PERIODICITY: Record<UpdateCycleCode, string> = {
  realtime: 'R/PT1S',
  daily: 'R/P1D',
  weekly: 'R/P1W',
  monthly: 'R/P1M',
  quarterly: 'R/P3M',
  yearly: 'R/P1Y',
  irregular: 'irregular',
};

export interface PodDistribution {
  '@type': 'dcat:Distribution';
  title: string;
  description: string;
  format: string;
  mediaType: string;
  downloadURL?: string;
  accessURL?: string;
}

export interface PodDataset {
  '@type': 'dcat:Dataset';
  identifier: string;
  title: string;
  description: string;
  keyword: string[];
  modified: string;
  issued?: string;
  publisher: { '@type': 'org:Organization'; name: string };
  contactPoint: { '@type': 'vcard:Contact'; fn: string; hasEmail: string };
  accessLevel: 'public' | 'restricted public';
  rights?: string;
  license?: string;
  spatial: string;
  accrualPeriodicity: string;
  landingPage: string;
  describedBy: string;
  describedByType: string;
  theme: string[];
  language: string[];
  distribution: PodDistribution[];
}

export interface PodCatalog {
  '@context': string;
  '@id': string;
  '@type': 'dcat:Catalog';
  conformsTo: string;
  describedBy: string;
  dataset: PodDataset[];
}

export interface PodContext {
  base: string;
  config: { PUBLIC_EXCHANGE_URL: string; PUBLIC_PORTAL_URL: string };
  publisher: CatalogPublisher;
}

const EMAIL = /^[\w_~!$&'()*+,;=:.-]+@[\w.-]+\.[\w.-]+$/;

/**
 * POD requires an e-mail for every contact point; ours is optional. The entry's own address,
 * else its provider's, else the catalogue publisher's, else `opendata@<portal host>` — the
 * platform's public mailbox by convention (docs/interop.md).
 */
function contactEmail(r: PublishedResource, ctx: PodContext): string {
  const candidates = [
    r.contact.email,
    r.provider.contactEmail,
    ctx.publisher.authority.contactEmail,
  ];
  const found = candidates.find((e): e is string => !!e && EMAIL.test(e));
  return `mailto:${found ?? `opendata@${new URL(ctx.config.PUBLIC_PORTAL_URL).hostname}`}`;
}

/** at most 255 characters, as POD's `rights` allows */
const clip = (text: string, max = 255) =>
  [...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`;

export function podDataset(r: PublishedResource, ctx: PodContext): PodDataset {
  const links = openDataLinks(r.code, ctx.config);
  const modified = r.dataUpdatedAt && r.dataUpdatedAt > r.updatedAt ? r.dataUpdatedAt : r.updatedAt;
  const isPublic = r.openType === 'open';
  const keyNote = isPublic ? '' : '（有条件开放：须凭开放申请获批的 API key）';
  const distribution: PodDistribution[] = r.harvestedFrom
    ? [] // a harvested copy's data is served by its source, not by this exchange
    : DOWNLOAD_FORMATS.map((format) => ({
        '@type': 'dcat:Distribution',
        title: `${r.name}（${FILE_FORMATS[format].name} 下载）`,
        description: `开放策略下的全部记录${keyNote}`,
        format: FILE_FORMATS[format].name,
        mediaType: FILE_FORMATS[format].mediaType,
        downloadURL: links.download(format),
      }));
  if (!r.harvestedFrom)
    distribution.push({
      '@type': 'dcat:Distribution',
      title: `${r.name}（开放数据接口）`,
      description: `按条件查询记录的开放数据接口，返回 JSON，需开发者 API key${keyNote}`,
      format: 'API',
      mediaType: 'application/json',
      accessURL: links.records,
    });
  return {
    '@type': 'dcat:Dataset',
    identifier: r.code,
    title: r.name,
    description: r.abstract,
    // POD requires at least one keyword; an entry without keywords is found by its theme
    keyword: r.keywords.length ? r.keywords : [r.theme.name],
    modified: modified.toISOString(),
    ...(r.publishDate ? { issued: r.publishDate.toISOString().slice(0, 10) } : {}),
    publisher: { '@type': 'org:Organization', name: r.provider.name },
    contactPoint: {
      '@type': 'vcard:Contact',
      fn: r.contact.name ?? r.provider.contactName ?? r.provider.name,
      hasEmail: contactEmail(r, ctx),
    },
    accessLevel: isPublic ? 'public' : 'restricted public',
    ...(isPublic
      ? { license: LICENCE.deed }
      : {
          rights: clip(
            `有条件开放：须提交开放申请，经${r.provider.name}审核同意后使用。${r.openConditions ?? ''}`,
          ),
        }),
    spatial: r.provider.region.name,
    accrualPeriodicity: POD_PERIODICITY[r.updateCycle],
    landingPage: links.landingPage,
    describedBy: `${ctx.base}/v1/resources/${encodeURIComponent(r.code)}/schema`,
    describedByType: 'application/json',
    theme: [r.theme.name],
    language: ['zh-CN'],
    distribution,
  };
}

export function podCatalog(resources: readonly PublishedResource[], ctx: PodContext): PodCatalog {
  return {
    '@context': `${POD_SCHEMA}/catalog.jsonld`,
    '@id': `${ctx.base}/data.json`,
    '@type': 'dcat:Catalog',
    conformsTo: POD_SCHEMA,
    describedBy: `${POD_SCHEMA}/catalog.json`,
    dataset: resources.map((r) => podDataset(r, ctx)),
  };
}
