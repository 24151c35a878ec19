import { DataFactory, type Store, type Term } from 'n3';
import { HarvestFetchError, displayUrl, type RemoteFetcher } from './fetchRemote.ts';
import {
  formatOfFileTypes,
  openTypeOf,
  openTypeOfAccessRight,
  resourceFormatOf,
  sharingTypeOf,
  updateCycleOf,
} from './harvestVocabularies.ts';
import { parseRdf } from './parseRdf.ts';
import {
  clip,
  CREDIT_CODE_SHAPE,
  RESOURCE_CODE_SHAPE,
  type RemoteEntry,
  type RemoteTheme,
  type WalkEvent,
} from './remoteEntry.ts';

const { namedNode } = DataFactory;

const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  adms: 'http://www.w3.org/ns/adms#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
} as const;
const EU_DATA_THEME = 'http://publications.europa.eu/resource/authority/data-theme/';

/** Turtle first (smaller, no context to resolve), JSON-LD next */
export const RDF_ACCEPT =
  'text/turtle, application/ld+json;q=0.9, application/n-triples;q=0.8, application/trig;q=0.5';
/** a catalogue with more pages than this is taken for a paging loop */
const MAX_PAGES = 10_000;

const iri = (ns: keyof typeof NS, local: string) => namedNode(NS[ns] + local);

/** Reads one harvested graph: values of a node, literals in the preferred language. */
class Graph {
  constructor(private readonly store: Store) {}

  objects(subject: Term, predicate: Term): Term[] {
    return this.store.getObjects(subject, predicate, null);
  }

  /** 中文 first, then untagged, then any language */
  literal(subject: Term, predicate: Term): string | null {
    return this.literals(subject, predicate)[0] ?? null;
  }

  literals(subject: Term, predicate: Term): string[] {
    const found = this.objects(subject, predicate).filter((o) => o.termType === 'Literal');
    const rank = (t: Term) => {
      const lang = (t as { language?: string }).language ?? '';
      if (lang === 'zh' || lang.startsWith('zh-')) return 0;
      return lang === '' ? 1 : 2;
    };
    const best = Math.min(...found.map(rank));
    return found
      .filter((t) => rank(t) === best)
      .map((t) => t.value.trim())
      .filter(Boolean);
  }

  /** an IRI value, or the text of a literal (some sources write IRIs as strings) */
  value(subject: Term, predicate: Term): string | null {
    const o = this.objects(subject, predicate)[0];
    return o && (o.termType === 'NamedNode' || o.termType === 'Literal') ? o.value.trim() : null;
  }

  subjects(predicate: Term, object: Term | null): Term[] {
    return this.store.getSubjects(predicate, object, null);
  }
}

function dateOnly(value: string | null): string | null {
  return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
}

function isoDateTime(value: string | null): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/**
 * Our own classifications, when the source is a catalogue of this software: concepts with a
 * skos:notation in a scheme named `…/sharing-types`, `…/open-types` or `…/resource-formats`
 * (see the DCAT export), and literal properties named `…#sharingConditions` and so on.
 */
function ownClassifications(g: Graph, store: Store, dataset: Term) {
  const found: Record<string, string> = {};
  for (const quad of store.getQuads(dataset, null, null, null)) {
    const o = quad.object;
    const local = /[#/]([^#/]+)$/.exec(quad.predicate.value)?.[1] ?? '';
    if (o.termType === 'Literal') {
      if (['sharingConditions', 'openConditions', 'sharingLegalBasis'].includes(local)) {
        found[local] ??= g.literal(dataset, quad.predicate) ?? '';
      }
      continue;
    }
    const notation = g.literal(o, iri('skos', 'notation'));
    const scheme = g.value(o, iri('skos', 'inScheme'));
    if (!notation || !scheme) continue;
    const schemeName = /\/([^/]+)\/?$/.exec(scheme)?.[1];
    if (schemeName) found[schemeName] ??= notation;
  }
  return found;
}

/** tel:+86-571-87654321 → 0571-87654321; tel:+86-13812345678 → 13812345678 */
function localPhone(value: string): string {
  const number = value.replace(/^tel:/i, '');
  const china = /^\+86-?(.+)$/.exec(number);
  if (!china) return number;
  return /^1\d{10}$/.test(china[1]!) ? china[1]! : `0${china[1]!}`;
}

function contactOf(g: Graph, dataset: Term) {
  const point = g.objects(dataset, iri('dcat', 'contactPoint'))[0];
  if (!point) return { name: null, email: null, phone: null };
  const email = g.value(point, iri('vcard', 'hasEmail'))?.replace(/^mailto:/i, '') ?? null;
  const tel = g.objects(point, iri('vcard', 'hasTelephone'))[0];
  const phone = tel
    ? localPhone(
        tel.termType === 'NamedNode'
          ? tel.value
          : (g.value(tel, iri('vcard', 'hasValue')) ?? tel.value),
      )
    : null;
  return { name: g.literal(point, iri('vcard', 'fn')), email, phone };
}

/**
 * One dcat:Dataset as a remote entry. Identity: dct:identifier, else the dataset IRI (a
 * blank node without an identifier cannot be recognised again and is refused).
 */
export function dcatDatasetToEntry(store: Store, dataset: Term): WalkEvent {
  const g = new Graph(store);
  const named = dataset.termType === 'NamedNode' ? dataset.value : null;
  const identifier = clip(g.literal(dataset, iri('dct', 'identifier')) ?? named, 2000);
  const remoteId = clip(named ?? identifier, 2000);
  if (!identifier || !remoteId) {
    return {
      type: 'invalid',
      identifier: null,
      remoteId: null,
      message: '数据集既没有 dct:identifier 也没有 IRI，无法识别',
    };
  }
  const title = clip(g.literal(dataset, iri('dct', 'title')), 200);
  if (!title || [...title].length < 2) {
    return { type: 'invalid', identifier, remoteId, message: '数据集没有 dct:title' };
  }
  const own = ownClassifications(g, store, dataset);

  const themes: RemoteTheme[] = [];
  const euThemes: RemoteTheme[] = [];
  for (const theme of g.objects(dataset, iri('dcat', 'theme'))) {
    if (theme.termType === 'Literal') {
      themes.push({ code: theme.value, name: theme.value });
    } else if (theme.value.startsWith(EU_DATA_THEME)) {
      euThemes.push({ euTheme: theme.value });
    } else {
      themes.push({
        code:
          g.literal(theme, iri('skos', 'notation')) ??
          /[#/]([^#/]+)$/.exec(theme.value)?.[1] ??
          undefined,
        name: g.literal(theme, iri('skos', 'prefLabel')) ?? undefined,
      });
    }
  }

  const publisherNode = g.objects(dataset, iri('dct', 'publisher'))[0];
  let publisher: RemoteEntry['publisher'] = null;
  if (publisherNode) {
    const name = clip(
      g.literal(publisherNode, iri('foaf', 'name')) ??
        g.literal(publisherNode, iri('skos', 'prefLabel')) ??
        g.literal(publisherNode, iri('vcard', 'fn')),
      200,
    );
    const ids = [
      ...g.literals(publisherNode, iri('dct', 'identifier')),
      ...g
        .objects(publisherNode, iri('adms', 'identifier'))
        .map((id) => g.literal(id, iri('skos', 'notation')) ?? ''),
    ].map((v) => v.trim().toUpperCase());
    if (name) {
      publisher = {
        name,
        unifiedSocialCreditCode: ids.find((v) => CREDIT_CODE_SHAPE.test(v)) ?? null,
        remoteKey: publisherNode.termType === 'NamedNode' ? publisherNode.value : null,
      };
    }
  }

  const distributions = g.objects(dataset, iri('dcat', 'distribution'));
  const hasApi = distributions.some((d) => g.objects(d, iri('dcat', 'accessService')).length > 0);
  const hasFile = distributions.some((d) => g.objects(d, iri('dcat', 'downloadURL')).length > 0);
  const fileTypes = distributions.flatMap((d) =>
    [g.value(d, iri('dct', 'format')), g.value(d, iri('dcat', 'mediaType'))].filter(
      (v): v is string => v !== null,
    ),
  );
  const openType =
    openTypeOf(own['open-types']) ??
    openTypeOfAccessRight(g.value(dataset, iri('dct', 'accessRights'))) ??
    'open';
  const sharingType =
    sharingTypeOf(own['sharing-types']) ?? (openType === 'open' ? 'unconditional' : 'conditional');
  const methods: ('api' | 'file')[] = [];
  if (hasFile || !hasApi) methods.push('file');
  if (hasApi) methods.push('api');
  const contact = contactOf(g, dataset);
  const keywords = [
    ...new Set(
      g
        .literals(dataset, iri('dcat', 'keyword'))
        .map((k) => clip(k, 50))
        .filter((k): k is string => k !== null),
    ),
  ].slice(0, 30);

  const entry: RemoteEntry = {
    identifier,
    remoteId,
    sourceUrl: clip(g.value(dataset, iri('dcat', 'landingPage')) ?? named, 2000),
    code: [identifier.toUpperCase()].find((c) => RESOURCE_CODE_SHAPE.test(c)) ?? null,
    title,
    description: clip(g.literal(dataset, iri('dct', 'description')), 4000),
    keywords,
    themes: [...themes, ...euThemes],
    publisher,
    format:
      resourceFormatOf(own['resource-formats']) ??
      formatOfFileTypes(hasApi ? ['API', ...fileTypes] : fileTypes),
    sharingType,
    sharingMethods: sharingType === 'none' ? [] : methods,
    sharingConditions: clip(own.sharingConditions, 4000),
    sharingLegalBasis: clip(own.sharingLegalBasis, 4000),
    openType,
    openConditions: clip(own.openConditions, 4000),
    updateCycle: updateCycleOf(g.value(dataset, iri('dct', 'accrualPeriodicity'))) ?? 'irregular',
    issued: dateOnly(g.value(dataset, iri('dct', 'issued'))),
    modified: isoDateTime(g.value(dataset, iri('dct', 'modified'))),
    contactName: clip(contact.name, 100),
    contactEmail: clip(contact.email, 200),
    contactPhone: clip(contact.phone, 40),
  };
  return { type: 'entry', entry };
}

/** The datasets a page describes: typed dcat:Dataset, and catalogue members with a title. */
function datasetsOf(store: Store): Term[] {
  const g = new Graph(store);
  const found = new Map<string, Term>();
  for (const d of g.subjects(iri('rdf', 'type'), iri('dcat', 'Dataset'))) found.set(d.id, d);
  for (const quad of store.getQuads(null, iri('dcat', 'dataset'), null, null)) {
    const d = quad.object;
    if (!found.has(d.id) && g.literal(d, iri('dct', 'title'))) found.set(d.id, d);
  }
  return [...found.values()];
}

/** hydra:next (or the older hydra:nextPage) of the page just read. */
function nextPageOf(store: Store, pageUrls: readonly string[]): string | null {
  const links = [
    ...store.getQuads(null, iri('hydra', 'next'), null, null),
    ...store.getQuads(null, iri('hydra', 'nextPage'), null, null),
  ].filter((q) => q.object.termType === 'NamedNode');
  if (links.length === 0) return null;
  const own = links.find((q) => pageUrls.includes(q.subject.value));
  return (own ?? links[0]!).object.value;
}

/**
 * Walk a DCAT-AP catalogue: fetch the document, read every dataset it describes, follow Hydra
 * paging until a page has no next. A page that cannot be read or parsed, a next page on
 * another scheme, or a paging loop ends the walk with HarvestFetchError.
 */
export async function* walkDcat(url: string, fetcher: RemoteFetcher): AsyncGenerator<WalkEvent> {
  const visited = new Set<string>();
  let next: string | null = url;
  while (next) {
    if (visited.size >= MAX_PAGES)
      throw new HarvestFetchError(`来源分页超过 ${MAX_PAGES} 页，已停止`);
    visited.add(next);
    const doc = await fetcher.get(next, RDF_ACCEPT);
    const store = await parseRdf(doc);
    yield { type: 'page', url: next };
    for (const dataset of datasetsOf(store)) yield dcatDatasetToEntry(store, dataset);
    const following = nextPageOf(store, [next, doc.url]);
    if (following === null) return;
    if (!/^https?:\/\//i.test(following)) {
      throw new HarvestFetchError(`下一页地址不是 http(s)：${displayUrl(following)}`);
    }
    if (visited.has(following)) {
      throw new HarvestFetchError(`来源分页出现循环：${displayUrl(following)}`);
    }
    next = following;
  }
}
