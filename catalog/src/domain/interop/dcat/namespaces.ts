/**
 * The RDF namespaces of the DCAT-AP export. The standard ones are fixed; ours (`gx:`) lives
 * under the catalogue's base URL, so a harvester finds it next to the catalogue it read
 * (`<catalogue base>/dcat/vocab#`) — see `ownVocabulary`.
 */
export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  dcatap: 'http://data.europa.eu/r5r/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  adms: 'http://www.w3.org/ns/adms#',
  prov: 'http://www.w3.org/ns/prov#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
} as const;

/** Our code schemes, each served at `<base>/dcat/vocab/<name>` (its concepts `#<code>`). */
export const OWN_SCHEME_NAMES = ['sharing-types', 'open-types', 'resource-formats'] as const;
export type OwnSchemeName = (typeof OWN_SCHEME_NAMES)[number];

export const isOwnSchemeName = (name: string): name is OwnSchemeName =>
  (OWN_SCHEME_NAMES as readonly string[]).includes(name);

/** IRIs of our own vocabulary and concept schemes under one catalogue base URL. */
export interface OwnVocabulary {
  /** namespace of our properties (gx:sharingType …) */
  ns: string;
  /** the document that defines the properties: the namespace without its `#` */
  document: string;
  themeScheme: string;
  theme(code: string): string;
  scheme(name: OwnSchemeName): string;
  concept(name: OwnSchemeName, code: string): string;
}

export function ownVocabulary(base: string): OwnVocabulary {
  const scheme = (name: OwnSchemeName) => `${base}/dcat/vocab/${name}`;
  return {
    ns: `${base}/dcat/vocab#`,
    document: `${base}/dcat/vocab`,
    themeScheme: `${base}/dcat/themes`,
    theme: (code) => `${base}/dcat/themes#${encodeURIComponent(code)}`,
    scheme,
    concept: (name, code) => `${scheme(name)}#${encodeURIComponent(code)}`,
  };
}

/** The prefixes written in Turtle and used as the inline JSON-LD @context. */
export function prefixesFor(base: string): Record<string, string> {
  return { ...NS, gx: ownVocabulary(base).ns };
}
