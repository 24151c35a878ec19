import type { Quad } from 'n3';
import type { CatalogPublisher } from '../catalogPublisher.ts';
import {
  openDataLinks,
  type PublishedProvider,
  type PublishedResource,
} from '../publishedCatalog.ts';
import {
  NS,
  ownVocabulary,
  prefixesFor,
  type OwnSchemeName,
  type OwnVocabulary,
} from './namespaces.ts';
import { gx, OWN_PROPERTIES, OWN_SCHEMES } from './ownTerms.ts';
import { RdfGraph } from './rdfGraph.ts';
import {
  accessRightOf,
  AVAILABILITY_STABLE,
  DATA_THEMES,
  DOWNLOAD_FORMATS,
  EU_SCHEMES,
  FILE_FORMATS,
  FREQUENCIES,
  LANGUAGE_ZHO,
  LICENCE,
  publisherTypeOf,
  THEME_TO_EU,
  type EuTerm,
} from './vocabularies.ts';

/** Where things live, as the public reaches them. */
export interface DcatContext {
  /** the catalogue's base URL (no trailing slash) */
  base: string;
  config: { PUBLIC_EXCHANGE_URL: string; PUBLIC_PORTAL_URL: string };
  publisher: CatalogPublisher;
}

/** Hydra paging of one catalogue page (IRIs carry the page query). */
export interface HydraPage {
  view: string;
  first: string;
  last: string;
  previous?: string;
  next?: string;
  totalItems: number;
}

export const catalogIri = (base: string): string => `${base}/dcat/catalog`;
export const datasetIri = (base: string, code: string): string =>
  `${base}/dcat/datasets/${encodeURIComponent(code)}`;
export const dataServiceIri = (base: string): string => `${catalogIri(base)}#open-data-api`;
/** the OpenAPI description of the open-data API, served beside the catalogue */
export const dataServiceDescriptionUrl = (base: string): string =>
  `${base}/dcat/open-data-api/openapi.json`;
const agentIri = (base: string, departmentCode: string) =>
  `${base}/v1/departments/${encodeURIComponent(departmentCode)}`;
const regionIri = (base: string, regionCode: string) => `${base}/v1/regions#${regionCode}`;

const isOpen = (r: PublishedResource) => r.openType !== 'none';

/** 0571-87654321 → tel:+86-571-87654321; a mobile 13812345678 → tel:+86-13812345678. */
function telephoneIri(phone: string | null): string | undefined {
  if (!phone) return undefined;
  const compact = phone.replace(/\s+/g, '');
  const landline = /^0(\d{2,3})-?(\d{7,8})$/.exec(compact);
  if (landline) return `tel:+86-${landline[1]}-${landline[2]}`;
  if (/^1\d{10}$/.test(compact)) return `tel:+86-${compact}`;
  return undefined;
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const mailtoIri = (email: string | null) =>
  email && EMAIL.test(email) ? `mailto:${email}` : undefined;

/** Builds the graph of one document (a catalogue page or a dataset) on one `RdfGraph`. */
class DcatDocument {
  readonly g: RdfGraph;
  readonly own: OwnVocabulary;

  constructor(readonly ctx: DcatContext) {
    this.own = ownVocabulary(ctx.base);
    this.g = new RdfGraph(prefixesFor(ctx.base));
  }

  private scheme(iri: string, title: string, lang: string): void {
    this.g.type(iri, 'skos:ConceptScheme');
    this.g.text(iri, 'dct:title', title, lang);
  }

  /**
   * An EU vocabulary term as range.ttl and the vocabulary shapes want it: typed (skos:Concept
   * plus the class its property expects), labelled, and placed in its scheme.
   */
  euTerm(term: EuTerm, ...classes: string[]): string {
    this.g.type(term.iri, 'skos:Concept', ...classes);
    this.g.text(term.iri, 'skos:prefLabel', term.label, 'en');
    this.g.link(term.iri, 'skos:inScheme', term.scheme);
    const scheme = Object.values(EU_SCHEMES).find((s) => s.iri === term.scheme);
    if (scheme) this.scheme(scheme.iri, scheme.title, 'en');
    return term.iri;
  }

  /** One of our own codes as a concept of our own scheme, so nothing is lost in mapping. */
  private ownConcept(
    iri: string,
    schemeIri: string,
    schemeTitle: string,
    code: string,
    label: string,
  ): string {
    this.g.type(iri, 'skos:Concept');
    this.g.text(iri, 'skos:prefLabel', label);
    this.g.plain(iri, 'skos:notation', code);
    this.g.link(iri, 'skos:inScheme', schemeIri);
    this.scheme(schemeIri, schemeTitle, 'zh');
    return iri;
  }

  /** One of our own codes as a concept of its scheme, so nothing is lost in mapping. */
  ownCode(name: OwnSchemeName, code: string): string {
    const { title, labels } = OWN_SCHEMES[name];
    return this.ownConcept(
      this.own.concept(name, code),
      this.own.scheme(name),
      title,
      code,
      labels[code] ?? code,
    );
  }

  /** A flat scheme of ours served as a document of its own: every concept is a top concept. */
  topConcepts(schemeIri: string, concepts: readonly string[]): void {
    for (const concept of concepts) {
      this.g.link(schemeIri, 'skos:hasTopConcept', concept);
      this.g.link(concept, 'skos:topConceptOf', schemeIri);
    }
  }

  /** The definitions of our properties (gx:), as the vocabulary document serves them. */
  ownProperties(): void {
    const document = this.own.document;
    this.g.text(document, 'dct:title', `${this.ctx.publisher.title}扩展属性`);
    for (const [name, property] of Object.entries(OWN_PROPERTIES)) {
      const iri = `${this.own.ns}${name}`;
      this.g.type(iri, 'rdf:Property');
      this.g.text(iri, 'rdfs:label', property.label);
      this.g.text(iri, 'rdfs:comment', property.comment);
      this.g.link(iri, 'rdfs:domain', `${NS.dcat}Dataset`);
      this.g.link(iri, 'rdfs:range', property.range);
      this.g.link(iri, 'rdfs:isDefinedBy', document);
    }
  }

  themeScheme(): string {
    this.scheme(this.own.themeScheme, `${this.ctx.publisher.title}主题分类`, 'zh');
    return this.own.themeScheme;
  }

  ownTheme(theme: PublishedResource['theme']): string {
    const iri = this.ownConcept(
      this.own.theme(theme.code),
      this.themeScheme(),
      `${this.ctx.publisher.title}主题分类`,
      theme.code,
      theme.name,
    );
    for (const eu of THEME_TO_EU[theme.code] ?? []) {
      this.g.link(iri, 'skos:closeMatch', this.euTerm(eu));
    }
    return iri;
  }

  location(region: { code: string; name: string }): string {
    const iri = regionIri(this.ctx.base, region.code);
    this.g.type(iri, 'dct:Location');
    this.g.text(iri, 'rdfs:label', region.name);
    this.g.plain(iri, 'dct:identifier', region.code);
    return iri;
  }

  agent(provider: PublishedProvider): string {
    const iri = agentIri(this.ctx.base, provider.code);
    this.g.type(iri, 'foaf:Agent', 'foaf:Organization');
    this.g.text(iri, 'foaf:name', provider.name);
    if (provider.unifiedSocialCreditCode) {
      this.g.plain(iri, 'dct:identifier', provider.unifiedSocialCreditCode);
    }
    this.g.link(
      iri,
      'dct:type',
      this.euTerm(publisherTypeOf(provider.kind, provider.region.level)),
    );
    this.g.link(iri, 'dct:spatial', this.location(provider.region));
    return iri;
  }

  contact(
    iri: string,
    who: { name: string | null; organisation: string; email: string | null; phone: string | null },
  ): string {
    this.g.type(iri, 'vcard:Kind');
    this.g.text(iri, 'vcard:fn', who.name ?? who.organisation);
    this.g.text(iri, 'vcard:organization-name', who.organisation);
    const email = mailtoIri(who.email);
    if (email) this.g.link(iri, 'vcard:hasEmail', email);
    const tel = telephoneIri(who.phone);
    if (tel) this.g.link(iri, 'vcard:hasTelephone', tel);
    return iri;
  }

  document(url: string): string {
    this.g.type(url, 'foaf:Document');
    return url;
  }

  licence(): string {
    this.g.type(LICENCE.iri, 'dct:LicenseDocument');
    this.g.text(LICENCE.iri, 'rdfs:label', LICENCE.title, 'en');
    this.g.link(LICENCE.iri, 'dct:type', this.euTerm(LICENCE.type));
    this.g.link(LICENCE.iri, 'rdfs:seeAlso', LICENCE.deed);
    return LICENCE.iri;
  }

  language(): string {
    return this.euTerm(LANGUAGE_ZHO, 'dct:LinguisticSystem');
  }

  /** The exchange's open-data API: one service for every open dataset. */
  dataService(servedDatasets: readonly string[]): string {
    const { base, config, publisher } = this.ctx;
    const iri = dataServiceIri(base);
    this.g.type(iri, 'dcat:DataService');
    this.g.text(iri, 'dct:title', `${publisher.region.name}开放数据接口`);
    this.g.text(
      iri,
      'dct:description',
      '开放信息资源的记录查询接口（按条件、字段和游标分页查询，需开发者 API key）；无条件开放的资源另可匿名下载 CSV、JSON、XLSX 文件。',
    );
    this.g.link(
      iri,
      'dcat:endpointURL',
      `${config.PUBLIC_EXCHANGE_URL.replace(/\/+$/, '')}/v1/open`,
    );
    this.g.link(iri, 'dcat:endpointDescription', dataServiceDescriptionUrl(base));
    this.g.link(iri, 'dct:publisher', this.agent(publisher.authority));
    this.g.link(
      iri,
      'dcat:contactPoint',
      this.contact(`${iri}-contact`, {
        name: publisher.authority.contactName,
        organisation: publisher.authority.name,
        email: publisher.authority.contactEmail,
        phone: publisher.authority.contactPhone,
      }),
    );
    this.g.text(iri, 'dcat:keyword', '开放数据');
    this.g.text(iri, 'dcat:keyword', '数据接口');
    this.g.link(iri, 'dcat:theme', this.euTerm(DATA_THEMES.GOVE));
    this.g.link(
      iri,
      'dct:format',
      this.euTerm(FILE_FORMATS.json.fileType, 'dct:MediaTypeOrExtent'),
    );
    for (const dataset of servedDatasets) this.g.link(iri, 'dcat:servesDataset', dataset);
    return iri;
  }

  private mediaType(mediaTypeIri: string): string {
    this.g.type(mediaTypeIri, 'dct:MediaType');
    return mediaTypeIri;
  }

  /** Licence for 无条件开放; for 有条件开放 a rights statement with the provider's conditions. */
  private terms(distribution: string, datasetIri: string, r: PublishedResource): void {
    if (r.openType === 'open') {
      this.g.link(distribution, 'dct:license', this.licence());
      return;
    }
    const rights = `${datasetIri}#rights`;
    this.g.type(rights, 'dct:RightsStatement');
    this.g.text(
      rights,
      'rdfs:label',
      `有条件开放：须提交开放申请，经${r.provider.name}审核同意后凭获批的 API key 使用。${r.openConditions ?? ''}`,
    );
    this.g.link(distribution, 'dct:rights', rights);
  }

  private distributions(datasetIri: string, r: PublishedResource): string[] {
    const links = openDataLinks(r.code, this.ctx.config);
    const conditional =
      r.openType === 'conditional' ? '（有条件开放：须凭开放申请获批的 API key）' : '';
    const made: string[] = [];
    const DESCRIPTIONS = {
      csv: 'CSV 文件（UTF-8 带 BOM，表头为信息项中文名称），开放策略下的全部记录',
      json: 'JSON 数组，开放策略下的全部记录',
      xlsx: 'Excel 工作簿（一个工作表），开放策略下的全部记录',
    } as const;
    for (const format of DOWNLOAD_FORMATS) {
      const f = FILE_FORMATS[format];
      const iri = `${datasetIri}#${format}`;
      const url = links.download(format);
      this.g.type(iri, 'dcat:Distribution');
      this.g.text(iri, 'dct:title', `${r.name}（${f.name} 下载）`);
      this.g.text(iri, 'dct:description', DESCRIPTIONS[format] + conditional);
      this.g.link(iri, 'dcat:accessURL', url);
      this.g.link(iri, 'dcat:downloadURL', url);
      this.g.link(iri, 'dct:format', this.euTerm(f.fileType, 'dct:MediaTypeOrExtent'));
      this.g.link(iri, 'dcat:mediaType', this.mediaType(f.mediaTypeIri));
      this.g.link(iri, 'dcatap:availability', this.euTerm(AVAILABILITY_STABLE));
      if (r.dataUpdatedAt) this.g.dateTime(iri, 'dct:modified', r.dataUpdatedAt);
      this.terms(iri, datasetIri, r);
      made.push(iri);
    }
    const api = `${datasetIri}#api`;
    this.g.type(api, 'dcat:Distribution');
    this.g.text(api, 'dct:title', `${r.name}（开放数据接口）`);
    this.g.text(
      api,
      'dct:description',
      `按条件查询记录的开放数据接口，返回 JSON，需开发者 API key${conditional}`,
    );
    this.g.link(api, 'dcat:accessURL', links.records);
    this.g.link(api, 'dcat:accessService', dataServiceIri(this.ctx.base));
    this.g.link(
      api,
      'dct:format',
      this.euTerm(FILE_FORMATS.json.fileType, 'dct:MediaTypeOrExtent'),
    );
    this.g.link(api, 'dcat:mediaType', this.mediaType(FILE_FORMATS.json.mediaTypeIri));
    this.g.link(api, 'dcatap:availability', this.euTerm(AVAILABILITY_STABLE));
    this.terms(api, datasetIri, r);
    made.push(api);
    return made;
  }

  dataset(r: PublishedResource): string {
    const { base, config } = this.ctx;
    const iri = datasetIri(base, r.code);
    const links = openDataLinks(r.code, config);
    this.g.type(iri, 'dcat:Dataset');
    this.g.plain(iri, 'dct:identifier', r.code);
    this.g.text(iri, 'dct:title', r.name);
    this.g.text(iri, 'dct:description', r.abstract);
    for (const keyword of r.keywords) this.g.text(iri, 'dcat:keyword', keyword);
    for (const eu of THEME_TO_EU[r.theme.code] ?? []) {
      this.g.link(iri, 'dcat:theme', this.euTerm(eu));
    }
    this.g.link(iri, 'dcat:theme', this.ownTheme(r.theme));
    this.g.link(iri, 'dct:publisher', this.agent(r.provider));
    this.g.link(
      iri,
      'dcat:contactPoint',
      this.contact(`${iri}#contact`, {
        name: r.contact.name ?? r.provider.contactName,
        organisation: r.provider.name,
        email: r.contact.email ?? r.provider.contactEmail,
        phone: r.contact.phone ?? r.provider.contactPhone,
      }),
    );
    this.g.link(
      iri,
      'dct:accessRights',
      this.euTerm(accessRightOf(r.openType, r.sharingType), 'dct:RightsStatement'),
    );
    this.g.link(
      iri,
      'dct:accrualPeriodicity',
      this.euTerm(FREQUENCIES[r.updateCycle], 'dct:Frequency'),
    );
    if (r.publishDate) this.g.date(iri, 'dct:issued', r.publishDate);
    else if (r.publishedAt) this.g.dateTime(iri, 'dct:issued', r.publishedAt);
    const modified =
      r.dataUpdatedAt && r.dataUpdatedAt > r.updatedAt ? r.dataUpdatedAt : r.updatedAt;
    this.g.dateTime(iri, 'dct:modified', modified);
    this.g.link(iri, 'dct:language', this.language());
    this.g.link(iri, 'dcat:landingPage', this.document(links.landingPage));
    this.g.link(iri, 'dct:spatial', this.location(r.provider.region));
    if (r.harvestedFrom) this.g.link(iri, 'prov:wasDerivedFrom', r.harvestedFrom.sourceUrl);

    // our own classifications, kept beside their EU counterparts
    this.g.link(iri, gx('sharingType'), this.ownCode('sharing-types', r.sharingType));
    this.g.link(iri, gx('openType'), this.ownCode('open-types', r.openType));
    this.g.link(iri, gx('resourceFormat'), this.ownCode('resource-formats', r.format));
    this.g.text(iri, gx('sharingConditions'), r.sharingConditions);
    this.g.text(iri, gx('openConditions'), r.openConditions);
    this.g.text(iri, gx('sharingLegalBasis'), r.sharingLegalBasis);
    this.g.text(iri, gx('statutoryFunction'), r.statutoryFunction?.name);

    // a harvested copy's data is served by its source (prov:wasDerivedFrom), not by this exchange
    if (isOpen(r) && !r.harvestedFrom) {
      for (const d of this.distributions(iri, r)) this.g.link(iri, 'dcat:distribution', d);
    }
    return iri;
  }

  catalog(
    datasets: readonly string[],
    modified: Date | null,
    hydra: HydraPage | undefined,
  ): string {
    const { base, config, publisher } = this.ctx;
    const iri = catalogIri(base);
    this.g.type(iri, 'dcat:Catalog');
    this.g.text(iri, 'dct:title', publisher.title);
    this.g.text(iri, 'dct:description', publisher.description);
    this.g.link(iri, 'dct:publisher', this.agent(publisher.authority));
    this.g.link(iri, 'foaf:homepage', this.document(config.PUBLIC_PORTAL_URL.replace(/\/+$/, '')));
    if (modified) this.g.dateTime(iri, 'dct:modified', modified);
    this.g.link(iri, 'dct:language', this.language());
    this.g.link(iri, 'dct:license', this.licence());
    this.g.link(iri, 'dct:spatial', this.location(publisher.region));
    this.g.link(iri, 'dcat:themeTaxonomy', this.themeScheme());
    this.scheme(EU_SCHEMES.dataTheme.iri, EU_SCHEMES.dataTheme.title, 'en');
    this.g.link(iri, 'dcat:themeTaxonomy', EU_SCHEMES.dataTheme.iri);
    this.g.link(iri, 'dcat:service', dataServiceIri(base));
    for (const d of datasets) this.g.link(iri, 'dcat:dataset', d);
    if (hydra) {
      this.g.type(iri, 'hydra:Collection');
      this.g.integer(iri, 'hydra:totalItems', hydra.totalItems);
      this.g.link(iri, 'hydra:view', hydra.view);
      this.g.type(hydra.view, 'hydra:PartialCollectionView');
      this.g.link(hydra.view, 'hydra:first', hydra.first);
      this.g.link(hydra.view, 'hydra:last', hydra.last);
      if (hydra.previous) this.g.link(hydra.view, 'hydra:previous', hydra.previous);
      if (hydra.next) this.g.link(hydra.view, 'hydra:next', hydra.next);
    }
    return iri;
  }
}

/**
 * One page of the catalogue: the catalogue node (on every page), the page's datasets with their
 * distributions, publishers and contact points, the open-data service, and the rdf:type of
 * every referenced object (range.ttl checks classes in the data graph itself).
 */
export function buildCatalogPage(
  ctx: DcatContext,
  page: {
    resources: readonly PublishedResource[];
    modified: Date | null;
    hydra: HydraPage;
  },
): Quad[] {
  const doc = new DcatDocument(ctx);
  const datasets = page.resources.map((r) => doc.dataset(r));
  const served = page.resources.filter(isOpen).map((r) => datasetIri(ctx.base, r.code));
  doc.dataService(served);
  doc.catalog(datasets, page.modified, page.hydra);
  return doc.g.quads;
}

/** One dataset on its own (its IRI is the URL it is served at), with what it references. */
export function buildDatasetDocument(ctx: DcatContext, resource: PublishedResource): Quad[] {
  const doc = new DcatDocument(ctx);
  const iri = doc.dataset(resource);
  if (isOpen(resource)) doc.dataService([iri]);
  return doc.g.quads;
}

/** Our theme scheme (主题分类) with every theme of the directory as a concept of it. */
export function buildThemeScheme(
  ctx: DcatContext,
  themes: readonly PublishedResource['theme'][],
): Quad[] {
  const doc = new DcatDocument(ctx);
  doc.topConcepts(
    doc.themeScheme(),
    themes.map((theme) => doc.ownTheme(theme)),
  );
  return doc.g.quads;
}

/** One of our code schemes with every code, used in the catalogue or not. */
export function buildOwnScheme(ctx: DcatContext, name: OwnSchemeName): Quad[] {
  const doc = new DcatDocument(ctx);
  doc.topConcepts(
    doc.own.scheme(name),
    Object.keys(OWN_SCHEMES[name].labels).map((code) => doc.ownCode(name, code)),
  );
  return doc.g.quads;
}

/** The vocabulary document: our properties (gx:) as rdf:Property. */
export function buildOwnVocabulary(ctx: DcatContext): Quad[] {
  const doc = new DcatDocument(ctx);
  doc.ownProperties();
  return doc.g.quads;
}
