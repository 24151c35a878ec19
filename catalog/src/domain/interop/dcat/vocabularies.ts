import type { OpenTypeCode, SharingTypeCode, UpdateCycleCode } from '../publishedCatalog.ts';

/**
 * How our directory's codes map onto the EU controlled vocabularies DCAT-AP 3.0.1 expects
 * (Publications Office "authority tables", ADMS, IANA). Kept as data so that docs/interop.md and
 * the exporter cannot drift apart: the docs tables are read off these constants.
 *
 * Every EU term carries its official English label: the SHACL shapes require a skos:prefLabel on
 * every skos:Concept of the data graph, and the EU tables have no Chinese labels to borrow.
 */

const AUTHORITY = 'http://publications.europa.eu/resource/authority';

/** An EU (or ADMS) vocabulary term and the scheme it belongs to. */
export interface EuTerm {
  iri: string;
  scheme: string;
  /** official English label */
  label: string;
}

/** The concept schemes referenced, with their English titles (typed skos:ConceptScheme). */
export const EU_SCHEMES = {
  accessRight: { iri: `${AUTHORITY}/access-right`, title: 'Access right' },
  frequency: { iri: `${AUTHORITY}/frequency`, title: 'Frequency' },
  fileType: { iri: `${AUTHORITY}/file-type`, title: 'File type' },
  dataTheme: { iri: `${AUTHORITY}/data-theme`, title: 'Data theme' },
  language: { iri: `${AUTHORITY}/language`, title: 'Language' },
  licence: { iri: `${AUTHORITY}/licence`, title: 'Licence' },
  plannedAvailability: {
    iri: `${AUTHORITY}/planned-availability`,
    title: 'Planned availability',
  },
  publisherType: { iri: 'http://purl.org/adms/publishertype/1.0', title: 'Publisher type' },
  licenceType: { iri: 'http://purl.org/adms/licencetype/1.0', title: 'Licence type' },
} as const;

type SchemeKey = keyof typeof EU_SCHEMES;

const term = (scheme: SchemeKey, iri: string, label: string): EuTerm => ({
  iri,
  scheme: EU_SCHEMES[scheme].iri,
  label,
});
const authority = (scheme: SchemeKey, code: string, label: string): EuTerm =>
  term(scheme, `${EU_SCHEMES[scheme].iri}/${code}`, label);

export const ACCESS_RIGHTS = {
  PUBLIC: authority('accessRight', 'PUBLIC', 'public'),
  RESTRICTED: authority('accessRight', 'RESTRICTED', 'restricted'),
  NON_PUBLIC: authority('accessRight', 'NON_PUBLIC', 'non-public'),
} as const;

/**
 * dct:accessRights from the two Chinese classifications: 无条件开放 is public; 有条件开放 needs
 * an approved application, and an entry that is not open but shareable (无条件/有条件共享)
 * reaches other departments only, both restricted; 不予共享 and 不予开放 is non-public.
 */
export function accessRightOf(openType: OpenTypeCode, sharingType: SharingTypeCode): EuTerm {
  if (openType === 'open') return ACCESS_RIGHTS.PUBLIC;
  if (openType === 'conditional') return ACCESS_RIGHTS.RESTRICTED;
  return sharingType === 'none' ? ACCESS_RIGHTS.NON_PUBLIC : ACCESS_RIGHTS.RESTRICTED;
}

/** 更新周期 → EU frequency; the mapping is one-to-one, so our code needs no extra property. */
export const FREQUENCIES: Record<UpdateCycleCode, EuTerm> = {
  realtime: authority('frequency', 'UPDATE_CONT', 'continuously updated'),
  daily: authority('frequency', 'DAILY', 'daily'),
  weekly: authority('frequency', 'WEEKLY', 'weekly'),
  monthly: authority('frequency', 'MONTHLY', 'monthly'),
  quarterly: authority('frequency', 'QUARTERLY', 'quarterly'),
  yearly: authority('frequency', 'ANNUAL', 'annual'),
  irregular: authority('frequency', 'IRREG', 'irregular'),
};

export type DownloadFormat = 'csv' | 'json' | 'xlsx';

/** A download format of the exchange's open-data downloads: EU file type and IANA media type. */
export interface FileFormat {
  fileType: EuTerm;
  /** IANA media type, e.g. text/csv */
  mediaType: string;
  /** IRI of the media type in IANA's registry (what dcat:mediaType expects) */
  mediaTypeIri: string;
  /** the name people use, e.g. CSV */
  name: string;
}

const IANA = 'https://www.iana.org/assignments/media-types';
const fileFormat = (code: string, mediaType: string): FileFormat => ({
  fileType: authority('fileType', code, code),
  mediaType,
  mediaTypeIri: `${IANA}/${mediaType}`,
  name: code,
});

export const FILE_FORMATS: Record<DownloadFormat, FileFormat> = {
  csv: fileFormat('CSV', 'text/csv'),
  json: fileFormat('JSON', 'application/json'),
  xlsx: fileFormat('XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
};

/** The order distributions are listed in. */
export const DOWNLOAD_FORMATS: readonly DownloadFormat[] = ['csv', 'json', 'xlsx'];

export const DATA_THEMES = {
  AGRI: authority('dataTheme', 'AGRI', 'Agriculture, fisheries, forestry and food'),
  ECON: authority('dataTheme', 'ECON', 'Economy and finance'),
  EDUC: authority('dataTheme', 'EDUC', 'Education, culture and sport'),
  ENVI: authority('dataTheme', 'ENVI', 'Environment'),
  GOVE: authority('dataTheme', 'GOVE', 'Government and public sector'),
  HEAL: authority('dataTheme', 'HEAL', 'Health'),
  JUST: authority('dataTheme', 'JUST', 'Justice, legal system and public safety'),
  REGI: authority('dataTheme', 'REGI', 'Regions and cities'),
  SOCI: authority('dataTheme', 'SOCI', 'Population and society'),
  TRAN: authority('dataTheme', 'TRAN', 'Transport'),
} as const;

/**
 * Our themes (the `themes` table: the five base databases and the thematic domains) → EU data
 * themes. Where one of ours straddles two EU themes both are given (社会信用 is economic and
 * judicial). A theme not listed here (a harvested one, a later addition) keeps only our own
 * concept.
 */
export const THEME_TO_EU: Readonly<Record<string, readonly EuTerm[]>> = {
  population: [DATA_THEMES.SOCI],
  'legal-entity': [DATA_THEMES.ECON],
  spatial: [DATA_THEMES.REGI, DATA_THEMES.ENVI],
  credit: [DATA_THEMES.ECON, DATA_THEMES.JUST],
  'e-license': [DATA_THEMES.GOVE],
  education: [DATA_THEMES.EDUC],
  health: [DATA_THEMES.HEAL],
  'social-security': [DATA_THEMES.SOCI],
  employment: [DATA_THEMES.SOCI, DATA_THEMES.ECON],
  transport: [DATA_THEMES.TRAN],
  environment: [DATA_THEMES.ENVI],
  market: [DATA_THEMES.ECON],
  urban: [DATA_THEMES.REGI],
  'public-safety': [DATA_THEMES.JUST],
  weather: [DATA_THEMES.ENVI],
  'civil-affairs': [DATA_THEMES.SOCI],
  agriculture: [DATA_THEMES.AGRI],
  'finance-tax': [DATA_THEMES.ECON],
  'culture-tourism': [DATA_THEMES.EDUC],
  government: [DATA_THEMES.GOVE],
  justice: [DATA_THEMES.JUST],
};

export const LANGUAGE_ZHO = authority('language', 'ZHO', 'Chinese');

export const AVAILABILITY_STABLE = authority('plannedAvailability', 'STABLE', 'stable');

/**
 * The licence of 无条件开放 data and of the catalogue's metadata: Creative Commons Attribution
 * 4.0 (reuse for any purpose, credit the provider). The EU licence table's IRI for DCAT, the
 * Creative Commons deed for data.json (which wants a plain URL people open).
 */
export const LICENCE = {
  iri: `${EU_SCHEMES.licence.iri}/CC_BY_4_0`,
  title: 'Creative Commons Attribution 4.0 International',
  deed: 'https://creativecommons.org/licenses/by/4.0/',
  type: term('licenceType', 'http://purl.org/adms/licencetype/Attribution', 'Attribution'),
} as const;

const PUBLISHER_TYPES = {
  regional: term(
    'publisherType',
    'http://purl.org/adms/publishertype/RegionalAuthority',
    'Regional authority',
  ),
  local: term(
    'publisherType',
    'http://purl.org/adms/publishertype/LocalAuthority',
    'Local authority',
  ),
  company: term('publisherType', 'http://purl.org/adms/publishertype/Company', 'Company'),
} as const;

/**
 * ADMS publisher type of a department: state enterprises are companies; every other body
 * (委办局, courts, procuratorates, congress, CPPCC, 事业单位) is an authority of its region's
 * level — a province's is regional, a city's, district's or street's is local.
 */
export function publisherTypeOf(kind: string, regionLevel: string): EuTerm {
  if (kind === 'state_enterprise') return PUBLISHER_TYPES.company;
  return regionLevel === 'province' ? PUBLISHER_TYPES.regional : PUBLISHER_TYPES.local;
}
