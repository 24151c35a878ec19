import express from 'express';
import { DEMO_DEPARTMENTS } from '@gx/platform';
import { listen, type Listening } from '@gx/platform/testing';

/**
 * Remote catalogues for the harvest tests: a CKAN site (package_search, at most two rows a
 * page, as a CKAN with `ckan.search.rows_max = 2` answers) and a DCAT-AP catalogue in Turtle
 * paged with Hydra. Their content is state the tests change between harvests; the servers are
 * real HTTP servers on 127.0.0.1.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
export type CkanPackage = Record<string, any>;

export const creditCodeOf = (departmentCode: string): string =>
  DEMO_DEPARTMENTS.find((d) => d.code === departmentCode)!.unifiedSocialCreditCode;

/** the 9-character organisation code inside a 统一社会信用代码 */
export const orgCodeOf = (departmentCode: string): string =>
  creditCodeOf(departmentCode).slice(8, 17);

const ckanTime = (iso: string) => iso.replace(/Z$/, '');

/**
 * Five packages as a CKAN site publishes them: one of a department matched by its credit code,
 * one matched by name, one of an organisation unknown here, one whose name is one of our
 * resource codes, one without an organisation.
 */
export function ckanPackages(): CkanPackage[] {
  const police = `209001001-${orgCodeOf('hz-gaj')}-000007`;
  return [
    {
      id: 'b7f1c9a0-1111-4c1a-9d2e-000000000001',
      name: 'hz-air-quality-hourly',
      title: '杭州市环境空气质量小时数据',
      notes: '全市国控站点逐小时发布的 AQI、PM2.5、PM10、臭氧等监测值。',
      metadata_created: ckanTime('2025-03-01T02:00:00.000Z'),
      metadata_modified: ckanTime('2026-10-01T08:00:00.000Z'),
      maintainer: '韩雪',
      maintainer_email: 'sthj@example.gov.cn',
      private: false,
      organization: { id: 'org-sthj', name: 'hz-sthj', title: '杭州市生态环境局' },
      groups: [{ name: 'environment', title: '生态环境' }],
      tags: [{ name: '空气质量' }, { name: 'PM2.5' }],
      resources: [{ format: 'CSV' }, { format: 'JSON' }],
      extras: [
        { key: 'publisher_uscc', value: creditCodeOf('hz-sthj') },
        {
          key: 'frequency',
          value: 'http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT',
        },
      ],
    },
    {
      id: 'b7f1c9a0-2222-4c1a-9d2e-000000000002',
      name: 'hz-medical-institutions',
      title: '杭州市医疗机构名录',
      notes: '全市各级各类医疗机构的名称、地址、类别和执业许可证号。',
      metadata_created: ckanTime('2025-04-01T02:00:00.000Z'),
      metadata_modified: ckanTime('2026-09-15T08:00:00.000Z'),
      private: false,
      organization: { id: 'org-wjw', name: 'wjw', title: '杭州市卫生健康委员会' },
      groups: [{ name: 'health', title: '医疗卫生' }],
      tags: [{ name: '医院' }, { name: '诊所' }],
      resources: [{ format: 'XLSX' }, { format: 'API' }],
      extras: [{ key: 'frequency', value: 'monthly' }],
    },
    {
      id: 'b7f1c9a0-3333-4c1a-9d2e-000000000003',
      name: 'zj-open-data-alliance-members',
      title: '浙江省开放数据联盟成员名单',
      notes: '联盟成员单位名称及加入时间。',
      metadata_created: ckanTime('2025-05-01T02:00:00.000Z'),
      metadata_modified: ckanTime('2026-06-01T08:00:00.000Z'),
      private: false,
      organization: { id: 'org-odl', name: 'zj-odl', title: '浙江省开放数据联盟' },
      groups: [],
      tags: [],
      resources: [{ format: 'PDF' }],
      extras: [],
    },
    {
      id: 'b7f1c9a0-4444-4c1a-9d2e-000000000004',
      name: police.toLowerCase(),
      title: '杭州市公安派出所分布',
      notes: '各派出所名称、地址、辖区与联系电话。',
      metadata_created: ckanTime('2025-06-01T02:00:00.000Z'),
      metadata_modified: ckanTime('2026-08-01T08:00:00.000Z'),
      private: false,
      organization: { id: 'org-gaj', name: 'hz-gaj', title: '杭州市公安局' },
      groups: [{ name: 'public-safety', title: '公共安全' }],
      tags: [{ name: '派出所' }],
      resources: [{ format: 'GeoJSON' }],
      extras: [
        { key: 'identifier', value: police },
        { key: 'publisher_uscc', value: creditCodeOf('hz-gaj') },
        { key: 'sharing_type', value: 'conditional' },
        { key: 'sharing_conditions', value: '用于治安管理的部门可申请' },
      ],
    },
    {
      id: 'b7f1c9a0-5555-4c1a-9d2e-000000000005',
      name: 'weather-warnings',
      title: '气象灾害预警信号',
      notes: '台风、暴雨、高温等预警信号的发布与解除。',
      metadata_created: ckanTime('2025-07-01T02:00:00.000Z'),
      metadata_modified: ckanTime('2026-10-20T08:00:00.000Z'),
      private: false,
      groups: [{ name: 'weather', title: '气象服务' }],
      tags: [{ name: '预警' }],
      resources: [{ format: 'JSON' }],
      extras: [{ key: 'update_cycle', value: 'realtime' }],
    },
  ];
}

export interface CkanFixture extends Listening {
  packages: CkanPackage[];
  /** `start` offsets answered with 500 */
  failingStarts: Set<number>;
  /** package_search calls served */
  calls: number;
}

/** A CKAN site serving `packages` through package_search, two rows a page, sorted by name. */
export async function startCkanFixture(packages = ckanPackages()): Promise<CkanFixture> {
  const app = express();
  const state = { packages, failingStarts: new Set<number>(), calls: 0 };
  app.get('/api/3/action/package_search', (req, res) => {
    state.calls += 1;
    const start = Number(req.query.start ?? 0);
    const rows = Math.min(Number(req.query.rows ?? 10), 2);
    if (state.failingStarts.has(start)) {
      res.status(500).json({ help: '', success: false, error: { __type: 'Internal Error' } });
      return;
    }
    const sorted = [...state.packages].sort((a, b) => (a.name < b.name ? -1 : 1));
    res.json({
      help: 'http://fixture/api/3/action/help_show?name=package_search',
      success: true,
      result: {
        count: sorted.length,
        sort: 'name asc',
        results: sorted.slice(start, start + rows),
        facets: {},
        search_facets: {},
      },
    });
  });
  const listening = await listen(app);
  return Object.assign(state, listening);
}

export interface DcatDataset {
  /** path of the dataset IRI under the server base */
  path: string;
  identifier: string;
  title: string;
  description: string;
  keywords: string[];
  /** full IRIs of dcat:theme */
  themes: string[];
  publisher: { path: string; name: string; identifier?: string };
  accessRights: 'PUBLIC' | 'RESTRICTED' | 'NON_PUBLIC';
  frequency: string;
  modified: string;
  formats: string[];
}

const EU = 'http://publications.europa.eu/resource/authority';

export function dcatDatasets(): DcatDataset[] {
  return [
    {
      path: '/datasets/bus-routes',
      identifier: 'hz-bus-routes',
      title: '杭州市公交线路与站点',
      description: '公交线路走向、站点位置与首末班时间。',
      keywords: ['公交', '站点'],
      themes: [`${EU}/data-theme/TRAN`],
      publisher: {
        path: '/agents/jtj',
        name: '杭州市交通运输局',
        identifier: creditCodeOf('hz-jtj'),
      },
      accessRights: 'PUBLIC',
      frequency: `${EU}/frequency/DAILY`,
      modified: '2026-10-02T00:00:00Z',
      formats: [`${EU}/file-type/CSV`],
    },
    {
      path: '/datasets/school-list',
      identifier: 'hz-school-list',
      title: '杭州市中小学校名录',
      description: '学校名称、学段、地址与办学性质。',
      keywords: ['学校'],
      themes: [`${EU}/data-theme/EDUC`],
      publisher: { path: '/agents/jyj', name: '杭州市教育局' },
      accessRights: 'RESTRICTED',
      frequency: `${EU}/frequency/ANNUAL`,
      modified: '2026-09-01T00:00:00Z',
      formats: [`${EU}/file-type/XLSX`],
    },
    {
      path: '/datasets/river-quality',
      identifier: 'hz-river-quality',
      title: '杭州市主要河道水质监测',
      description: '主要河道断面的水质类别与主要指标。',
      keywords: ['水质', '河道'],
      themes: [`${EU}/data-theme/ENVI`],
      publisher: { path: '/agents/lake', name: '杭州市河湖管理中心' },
      accessRights: 'PUBLIC',
      frequency: `${EU}/frequency/MONTHLY`,
      modified: '2026-08-15T00:00:00Z',
      formats: [`${EU}/file-type/CSV`, `${EU}/file-type/JSON`],
    },
  ];
}

const lit = (s: string) => JSON.stringify(s);

function datasetTurtle(base: string, d: DcatDataset): string {
  const iri = `<${base}${d.path}>`;
  const publisher = `<${base}${d.publisher.path}>`;
  const lines = [
    `${iri} a dcat:Dataset ;`,
    `  dct:identifier ${lit(d.identifier)} ;`,
    `  dct:title ${lit(d.title)}@zh ;`,
    `  dct:description ${lit(d.description)}@zh ;`,
    ...d.keywords.map((k) => `  dcat:keyword ${lit(k)}@zh ;`),
    ...d.themes.map((t) => `  dcat:theme <${t}> ;`),
    `  dct:publisher ${publisher} ;`,
    `  dct:accessRights <${EU}/access-right/${d.accessRights}> ;`,
    `  dct:accrualPeriodicity <${d.frequency}> ;`,
    `  dct:modified "${d.modified}"^^xsd:dateTime ;`,
    `  dcat:landingPage <${base}/portal${d.path}> ;`,
    ...d.formats.map((_, i) => `  dcat:distribution <${base}${d.path}#dist-${i}> ;`),
    `  dcat:contactPoint <${base}${d.path}#contact> .`,
    `<${base}${d.path}#contact> a vcard:Kind ; vcard:fn "数据管理员"@zh ;`,
    `  vcard:hasEmail <mailto:data@example.gov.cn> ; vcard:hasTelephone <tel:+86-571-87000000> .`,
    ...d.formats.map(
      (f, i) =>
        `<${base}${d.path}#dist-${i}> a dcat:Distribution ; dct:format <${f}> ; dcat:downloadURL <${base}/files${d.path}-${i}> .`,
    ),
    `${publisher} a foaf:Agent ; foaf:name ${lit(d.publisher.name)}@zh${
      d.publisher.identifier ? ` ; dct:identifier ${lit(d.publisher.identifier)}` : ''
    } .`,
  ];
  return lines.join('\n');
}

/** One page of the catalogue: its datasets and the Hydra view linking to the next page. */
function catalogPageTurtle(base: string, datasets: DcatDataset[], page: number, pages: number) {
  const view = `${base}/catalog.ttl${page > 1 ? `?page=${page}` : ''}`;
  const next = page < pages ? `${base}/catalog.ttl?page=${page + 1}` : undefined;
  return [
    '@prefix dcat: <http://www.w3.org/ns/dcat#> .',
    '@prefix dct: <http://purl.org/dc/terms/> .',
    '@prefix foaf: <http://xmlns.com/foaf/0.1/> .',
    '@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .',
    '@prefix hydra: <http://www.w3.org/ns/hydra/core#> .',
    '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .',
    '',
    `<${base}/catalog> a dcat:Catalog, hydra:Collection ;`,
    `  dct:title "杭州市公共数据开放目录"@zh ;`,
    ...datasets.map((d) => `  dcat:dataset <${base}${d.path}> ;`),
    `  hydra:view <${view}> .`,
    `<${view}> a hydra:PartialCollectionView${next ? ` ; hydra:next <${next}>` : ''} .`,
    '',
    ...datasets.map((d) => datasetTurtle(base, d)),
    '',
  ].join('\n');
}

export interface DcatFixture extends Listening {
  datasets: DcatDataset[];
  pageSize: number;
  /** page numbers answered with 500 */
  failingPages: Set<number>;
  /** the URL a source registers */
  catalogUrl: string;
}

/** A DCAT-AP catalogue in Turtle, `pageSize` datasets a page, linked by hydra:next. */
export async function startDcatFixture(datasets = dcatDatasets()): Promise<DcatFixture> {
  const app = express();
  const state = { datasets, pageSize: 2, failingPages: new Set<number>() };
  let base = '';
  app.get('/catalog.ttl', (req, res) => {
    const page = Number(req.query.page ?? 1);
    if (state.failingPages.has(page)) {
      res.status(500).type('text/plain').send('数据库维护中');
      return;
    }
    const pages = Math.max(1, Math.ceil(state.datasets.length / state.pageSize));
    const slice = state.datasets.slice((page - 1) * state.pageSize, page * state.pageSize);
    res.type('text/turtle').send(catalogPageTurtle(base, slice, page, pages));
  });
  const listening = await listen(app);
  base = listening.base;
  return Object.assign(state, listening, { catalogUrl: `${listening.base}/catalog.ttl` });
}
