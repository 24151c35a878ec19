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

/** IRIs of our own vocabulary and concept schemes under one catalogue base URL. */
export interface OwnVocabulary {
  /** namespace of our properties (gx:sharingType …) */
  ns: string;
  themeScheme: string;
  theme(code: string): string;
  sharingTypeScheme: string;
  sharingType(code: string): string;
  openTypeScheme: string;
  openType(code: string): string;
  formatScheme: string;
  format(code: string): string;
}

export function ownVocabulary(base: string): OwnVocabulary {
  const scheme = (name: string) => `${base}/dcat/vocab/${name}`;
  const concept = (name: string) => (code: string) => `${scheme(name)}#${encodeURIComponent(code)}`;
  return {
    ns: `${base}/dcat/vocab#`,
    themeScheme: `${base}/dcat/themes`,
    theme: (code) => `${base}/dcat/themes#${encodeURIComponent(code)}`,
    sharingTypeScheme: scheme('sharing-types'),
    sharingType: concept('sharing-types'),
    openTypeScheme: scheme('open-types'),
    openType: concept('open-types'),
    formatScheme: scheme('resource-formats'),
    format: concept('resource-formats'),
  };
}

/** The prefixes written in Turtle and used as the inline JSON-LD @context. */
export function prefixesFor(base: string): Record<string, string> {
  return { ...NS, gx: ownVocabulary(base).ns };
}
