import { FORMAT_LABELS, OPEN_TYPE_LABELS, SHARING_TYPE_LABELS } from '../../excel/labels.ts';
import { NS, type OwnSchemeName } from './namespaces.ts';

/**
 * Our own terms as data: what the export writes and what `/dcat/vocab…` serves come from these
 * tables, so a served definition cannot fall behind the export (test/interop.dcat.test.ts checks
 * that every gx: predicate of an exported catalogue is defined).
 */

/** A code scheme of ours: its title and every code with its Chinese label. */
export interface OwnScheme {
  title: string;
  labels: Readonly<Record<string, string>>;
}

export const OWN_SCHEMES: Readonly<Record<OwnSchemeName, OwnScheme>> = {
  'sharing-types': { title: '共享类型', labels: SHARING_TYPE_LABELS },
  'open-types': { title: '开放类型', labels: OPEN_TYPE_LABELS },
  'resource-formats': { title: '信息资源格式', labels: FORMAT_LABELS },
};

/** A property of ours (`gx:<name>`) on a dcat:Dataset. */
export interface OwnPropertyDefinition {
  label: string;
  comment: string;
  /** full IRI of the values' class or datatype */
  range: string;
}

const CONCEPT = `${NS.skos}Concept`;
const TEXT = `${NS.rdf}langString`;

export const OWN_PROPERTIES = {
  sharingType: {
    label: '共享类型',
    comment:
      '信息资源的共享类型（无条件共享、有条件共享、不予共享），取值为本目录“共享类型”概念体系（…/dcat/vocab/sharing-types）中的概念。',
    range: CONCEPT,
  },
  openType: {
    label: '开放类型',
    comment:
      '信息资源的开放类型（无条件开放、有条件开放、不予开放），取值为本目录“开放类型”概念体系（…/dcat/vocab/open-types）中的概念；dct:accessRights 给出对应的欧盟访问权限。',
    range: CONCEPT,
  },
  resourceFormat: {
    label: '信息资源格式',
    comment:
      '信息资源格式（数据库、电子表格、地理空间等），取值为本目录“信息资源格式”概念体系（…/dcat/vocab/resource-formats）中的概念；与分发的文件格式（dct:format）不同。',
    range: CONCEPT,
  },
  sharingConditions: {
    label: '共享条件',
    comment: '有条件共享的信息资源，使用部门申请共享须满足的条件。',
    range: TEXT,
  },
  openConditions: {
    label: '开放条件',
    comment: '有条件开放的信息资源，开放申请须满足的条件。',
    range: TEXT,
  },
  sharingLegalBasis: {
    label: '不予共享依据',
    comment: '不予共享的信息资源所依据的法律、行政法规或政策。',
    range: TEXT,
  },
  statutoryFunction: {
    label: '三定职责',
    comment: '信息资源所支撑的提供方部门职责（三定职责、权责清单事项）的名称。',
    range: TEXT,
  },
} as const satisfies Record<string, OwnPropertyDefinition>;

export type OwnProperty = keyof typeof OWN_PROPERTIES;

/** The CURIE the graph builders write for one of our properties. */
export const gx = (property: OwnProperty): string => `gx:${property}`;
