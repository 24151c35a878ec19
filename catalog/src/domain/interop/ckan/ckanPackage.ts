import { FREQUENCIES } from '../dcat/vocabularies.ts';
import { openDataLinks, type PublishedResource } from '../publishedCatalog.ts';
import { groupSummary, organizationSummary, type OrganizationRow } from './ckanGroups.ts';
import {
  API_FORMAT,
  ckanTimestamp,
  DOWNLOADS,
  hasOpenData,
  licenseOf,
  packageName,
  stableId,
} from './ckanVocabulary.ts';

/** Where a dataset's links point: this catalogue, the exchange (downloads, API), the portal. */
export interface CkanLinks {
  /** base URL of this catalogue (publicBaseUrl): the DCAT dataset IRIs live under it */
  catalogBase: string;
  PUBLIC_EXCHANGE_URL: string;
  PUBLIC_PORTAL_URL: string;
}

const SHARING_LABELS: Record<string, string> = {
  unconditional: '无条件共享',
  conditional: '有条件共享',
  none: '不予共享',
};
const OPEN_LABELS: Record<string, string> = {
  open: '无条件开放',
  conditional: '有条件开放',
  none: '不予开放',
};

function resourceDict(
  r: PublishedResource,
  position: number,
  fields: {
    id: string;
    format: string;
    mimetype: string;
    url: string;
    name: string;
    description: string;
  },
) {
  return {
    id: fields.id,
    package_id: r.id,
    url: fields.url,
    format: fields.format,
    mimetype: fields.mimetype,
    mimetype_inner: null,
    name: fields.name,
    description: fields.description,
    position,
    state: 'active',
    created: ckanTimestamp(r.publishedAt ?? r.createdAt),
    last_modified: ckanTimestamp(r.dataUpdatedAt),
    metadata_modified: ckanTimestamp(r.updatedAt),
    resource_type: fields.format === API_FORMAT ? 'api' : null,
    url_type: null,
    size: null,
    hash: '',
    cache_url: null,
    cache_last_updated: null,
    datastore_active: false,
  };
}

/**
 * An open entry's resources: one per download of the exchange (CSV, JSON, XLSX) and one for the
 * open-data API. Their ids are UUIDs derived from the code and format, the same on every call.
 * Entries that are not open have none: their data is reached through sharing requests, which
 * CKAN has no notion of. Harvested copies have none either: their source serves their data.
 */
function resourcesOf(r: PublishedResource, links: CkanLinks) {
  // a harvested copy's data is served by its source (extras harvest_source_url)
  if (!hasOpenData(r.openType) || r.harvestedFrom) return [];
  const urls = openDataLinks(r.code, links);
  const access =
    r.openType === 'open'
      ? '无条件开放，无需申请'
      : `有条件开放：须经${r.provider.name}审核同意后凭获批的 API key 使用`;
  const downloads = DOWNLOADS.map((d, i) =>
    resourceDict(r, i, {
      id: stableId('resource', `${r.code}/${d.param}`),
      format: d.format,
      mimetype: d.mimetype,
      url: urls.download(d.param),
      name: `${r.name}（${d.format}）`,
      description: `全部开放数据的 ${d.format} 下载文件。${access}。`,
    }),
  );
  const api = resourceDict(r, downloads.length, {
    id: stableId('resource', `${r.code}/api`),
    format: API_FORMAT,
    mimetype: 'application/json',
    url: urls.records,
    name: `${r.name}（数据接口）`,
    description: `开放数据接口，按页查询记录，需要开发者 API key。${access}。`,
  });
  return [...downloads, api];
}

/**
 * What CKAN has no field for but a harvester needs, as CKAN extras (strings, sorted by key):
 * our code and DCAT IRI for identity, the Chinese sharing and open classifications, the update
 * cycle with its EU frequency, theme, publisher identity and data grade.
 */
function extrasOf(r: PublishedResource, links: CkanLinks) {
  const extras: Record<string, string | null | undefined> = {
    identifier: r.code,
    uri: `${links.catalogBase}/dcat/datasets/${r.code}`,
    sharing_type: r.sharingType,
    sharing_type_label: SHARING_LABELS[r.sharingType],
    sharing_conditions: r.sharingConditions,
    open_type: r.openType,
    open_type_label: OPEN_LABELS[r.openType],
    open_conditions: r.openConditions,
    update_cycle: r.updateCycle,
    frequency: FREQUENCIES[r.updateCycle]?.iri,
    theme: r.theme.code,
    theme_name: r.theme.name,
    resource_format: r.format,
    publisher_uscc: r.provider.unifiedSocialCreditCode,
    publisher_region: r.provider.region.code,
    publisher_region_name: r.provider.region.name,
    data_grade: r.dataGrade,
    issued: r.publishDate?.toISOString().slice(0, 10),
    data_updated: ckanTimestamp(r.dataUpdatedAt),
    statutory_function: r.statutoryFunction?.name,
    harvest_source_url: r.harvestedFrom?.sourceUrl,
  };
  return Object.entries(extras)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ key, value }));
}

/**
 * A published directory entry as CKAN's package dict (package_show, package_search results).
 * `organization` comes from the department row (CKAN shows its creation time, which the
 * published view does not carry).
 */
export function ckanPackage(r: PublishedResource, org: OrganizationRow, links: CkanLinks) {
  const license = licenseOf(r.openType);
  const resources = resourcesOf(r, links);
  const tags = r.keywords.map((k) => ({
    id: stableId('tag', k),
    name: k,
    display_name: k,
    state: 'active',
    vocabulary_id: null,
  }));
  const contactEmail = r.contact.email ?? r.provider.contactEmail;
  return {
    id: r.id,
    name: packageName(r.code),
    title: r.name,
    notes: r.abstract,
    url: openDataLinks(r.code, links).landingPage,
    version: null,
    author: r.provider.name,
    author_email: r.provider.contactEmail,
    maintainer: r.contact.name ?? r.provider.contactName,
    maintainer_email: contactEmail,
    license_id: license.id,
    license_title: license.title,
    license_url: license.url,
    isopen: license.isOpen,
    state: 'active',
    private: false,
    type: 'dataset',
    creator_user_id: null,
    metadata_created: ckanTimestamp(r.createdAt),
    metadata_modified: ckanTimestamp(r.updatedAt),
    owner_org: org.id,
    organization: organizationSummary(org),
    groups: [groupSummary(r.theme)],
    tags,
    num_tags: tags.length,
    resources,
    num_resources: resources.length,
    extras: extrasOf(r, links),
    relationships_as_object: [],
    relationships_as_subject: [],
  };
}

export type CkanPackage = ReturnType<typeof ckanPackage>;
