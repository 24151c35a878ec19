import { HarvestFetchError, displayUrl, type RemoteFetcher } from './fetchRemote.ts';
import {
  formatOfFileTypes,
  openTypeOf,
  openTypeOfAccessRight,
  resourceFormatOf,
  sharingTypeOf,
  updateCycleOf,
} from './harvestVocabularies.ts';
import {
  clip,
  CREDIT_CODE_SHAPE,
  RESOURCE_CODE_SHAPE,
  type RemoteEntry,
  type RemoteTheme,
  type WalkEvent,
} from './remoteEntry.ts';

/** rows per package_search page (CKAN's own limit is 1000) */
export const CKAN_PAGE_SIZE = 100;
/** a source listing more pages than this is taken for broken (a paging loop) */
const MAX_PAGES = 10_000;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : null;

/** CKAN extras: a list of { key, value } (the API) or an object (some forks). */
function extrasOf(pkg: Json): Map<string, string> {
  const extras = new Map<string, string>();
  const raw = pkg.extras;
  if (Array.isArray(raw)) {
    for (const e of raw) {
      if (isObject(e) && typeof e.key === 'string' && e.value !== undefined && e.value !== null) {
        extras.set(e.key, typeof e.value === 'string' ? e.value : JSON.stringify(e.value));
      }
    }
  } else if (isObject(raw)) {
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') extras.set(k, v);
  }
  return extras;
}

/** An extra that may hold one value or a JSON list of values (ckanext-dcat writes lists). */
function listExtra(value: string | undefined): string[] {
  if (!value) return [];
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (Array.isArray(parsed)) return parsed.filter((v): v is string => typeof v === 'string');
    } catch {
      // not JSON: one value
    }
  }
  return [text];
}

function dateOnly(value: string | null): string | null {
  if (!value) return null;
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return match ? match[1]! : null;
}

function isoDateTime(value: string | null): string | null {
  if (!value) return null;
  // CKAN writes naive UTC timestamps (2024-05-01T08:00:00.123456)
  const withZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
  const time = Date.parse(withZone);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function codeCandidate(values: (string | null | undefined)[]): string | null {
  for (const v of values) {
    const upper = v?.trim().toUpperCase();
    if (upper && RESOURCE_CODE_SHAPE.test(upper)) return upper;
  }
  return null;
}

/**
 * One CKAN package as a remote entry. Identity: extras `uri`, else extras `identifier`, else
 * the package `name` (CKAN's harvesters do the same); the package `id` is the remote id.
 */
export function ckanPackageToEntry(pkg: Json, base: string): WalkEvent {
  const extras = extrasOf(pkg);
  const name = str(pkg.name);
  const remoteId = str(pkg.id) ?? name;
  const identifier = clip(extras.get('uri') ?? extras.get('identifier') ?? name, 2000);
  if (!identifier || !remoteId) {
    return { type: 'invalid', identifier, remoteId, message: '来源条目没有 name 或 id，无法识别' };
  }
  const title = clip(str(pkg.title) ?? name, 200);
  if (!title || [...title].length < 2) {
    return { type: 'invalid', identifier, remoteId, message: '来源条目没有标题' };
  }
  const tags = Array.isArray(pkg.tags) ? pkg.tags : [];
  const keywords = [
    ...new Set(
      tags
        .map((t) => (isObject(t) ? clip(t.display_name ?? t.name, 50) : clip(t, 50)))
        .filter((t): t is string => t !== null),
    ),
  ].slice(0, 30);
  const themes: RemoteTheme[] = [];
  for (const code of [extras.get('theme_code'), extras.get('theme')]) {
    for (const value of listExtra(code)) {
      themes.push(/^https?:/.test(value) ? { euTheme: value } : { code: value, name: value });
    }
  }
  for (const g of Array.isArray(pkg.groups) ? pkg.groups : []) {
    if (isObject(g))
      themes.push({ code: str(g.name) ?? undefined, name: str(g.title) ?? undefined });
  }
  const org = isObject(pkg.organization) ? pkg.organization : null;
  const publisherName =
    clip(org ? (str(org.title) ?? str(org.name)) : null, 200) ??
    clip(extras.get('publisher_name'), 200);
  const uscc = (extras.get('publisher_uscc') ?? extras.get('publisher_identifier') ?? '')
    .trim()
    .toUpperCase();
  const resources = (Array.isArray(pkg.resources) ? pkg.resources : []).filter(isObject);
  const fileTypes = resources
    .flatMap((r) => [str(r.format), str(r.mimetype)])
    .filter((f): f is string => f !== null);
  const hasApi = resources.some((r) => /api/i.test(String(r.format ?? r.resource_type ?? '')));
  const openType =
    openTypeOf(extras.get('open_type')) ??
    openTypeOfAccessRight(extras.get('access_rights')) ??
    (pkg.private === true ? 'none' : 'open');
  const sharingType = sharingTypeOf(extras.get('sharing_type')) ?? 'unconditional';
  const sharingMethods = listExtra(extras.get('sharing_methods'))
    .flatMap((m) => m.split(','))
    .map((m) => m.trim())
    .filter((m): m is 'api' | 'file' | 'subscription' =>
      ['api', 'file', 'subscription'].includes(m),
    );
  // when the data changed, if the source says so (our CKAN API: data_updated); else the metadata
  const modified = isoDateTime(
    str(extras.get('modified')) ?? str(extras.get('data_updated')) ?? str(pkg.metadata_modified),
  );
  const landingPage = str(extras.get('landing_page')) ?? str(extras.get('landingPage'));
  const entry: RemoteEntry = {
    identifier,
    remoteId: clip(remoteId, 2000)!,
    sourceUrl: clip(
      landingPage ?? (name ? `${base}/dataset/${encodeURIComponent(name)}` : null),
      2000,
    ),
    code: codeCandidate([
      extras.get('resource_code'),
      extras.get('code'),
      extras.get('identifier'),
      name,
    ]),
    title,
    description: clip(str(pkg.notes), 4000),
    keywords,
    themes,
    publisher: publisherName
      ? {
          name: publisherName,
          unifiedSocialCreditCode: CREDIT_CODE_SHAPE.test(uscc) ? uscc : null,
          remoteKey: org ? (str(org.id) ?? str(org.name)) : null,
        }
      : null,
    format:
      resourceFormatOf(extras.get('resource_format')) ??
      (hasApi ? 'api' : formatOfFileTypes(fileTypes)),
    sharingType,
    sharingMethods:
      sharingType === 'none'
        ? []
        : sharingMethods.length > 0
          ? [...new Set(sharingMethods)]
          : [hasApi ? 'api' : 'file'],
    sharingConditions: clip(extras.get('sharing_conditions'), 4000),
    sharingLegalBasis: clip(extras.get('sharing_legal_basis'), 4000),
    openType,
    openConditions: clip(extras.get('open_conditions'), 4000),
    updateCycle:
      updateCycleOf(extras.get('update_cycle')) ??
      updateCycleOf(extras.get('frequency')) ??
      updateCycleOf(extras.get('accrual_periodicity')) ??
      'irregular',
    issued: dateOnly(str(extras.get('issued')) ?? str(pkg.metadata_created)),
    modified,
    contactName: clip(str(pkg.maintainer) ?? str(pkg.author) ?? extras.get('contact_name'), 100),
    contactEmail: clip(
      str(pkg.maintainer_email) ?? str(pkg.author_email) ?? extras.get('contact_email'),
      200,
    ),
    contactPhone: clip(extras.get('contact_phone'), 40),
  };
  return { type: 'entry', entry };
}

/**
 * Walk a CKAN site's `package_search` page by page (`rows`/`start`, sorted by name so that
 * pages do not shift while entries change). A page that cannot be read, or does not look like
 * CKAN's envelope, ends the walk with HarvestFetchError.
 */
export async function* walkCkan(
  baseUrl: string,
  fetcher: RemoteFetcher,
  pageSize = CKAN_PAGE_SIZE,
): AsyncGenerator<WalkEvent> {
  const base = baseUrl.replace(/\/+$/, '');
  let start = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    // spaces as %20, not the form encoding `+`, which not every server decodes in a query
    const url = `${base}/api/3/action/package_search?rows=${pageSize}&start=${start}&sort=${encodeURIComponent('name asc')}`;
    const doc = await fetcher.get(url, 'application/json');
    let envelope: unknown;
    try {
      envelope = JSON.parse(doc.body);
    } catch {
      throw new HarvestFetchError(`来源返回的不是 JSON：${displayUrl(url)}`);
    }
    if (!isObject(envelope) || envelope.success !== true || !isObject(envelope.result)) {
      throw new HarvestFetchError(`来源返回的不是 CKAN package_search 结果：${displayUrl(url)}`);
    }
    const { count, results } = envelope.result;
    if (typeof count !== 'number' || !Array.isArray(results)) {
      throw new HarvestFetchError(
        `来源的 package_search 结果缺少 count 或 results：${displayUrl(url)}`,
      );
    }
    yield { type: 'page', url };
    for (const pkg of results) {
      yield isObject(pkg)
        ? ckanPackageToEntry(pkg, base)
        : { type: 'invalid', identifier: null, remoteId: null, message: '来源条目不是对象' };
    }
    start += results.length;
    if (start >= count) return;
    // fewer entries than announced: the walk cannot be called complete, so nothing is withdrawn
    if (results.length === 0) {
      throw new HarvestFetchError(
        `来源声称有 ${count} 条，但第 ${start + 1} 条起的分页为空：${displayUrl(url)}`,
      );
    }
  }
  throw new HarvestFetchError(`来源分页超过 ${MAX_PAGES} 页，已停止`);
}
