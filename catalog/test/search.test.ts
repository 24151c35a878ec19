/**
 * The directory search on a small hand-made directory: who sees what, facets, sorting,
 * pagination, highlights, and hostile input through the real HTTP stack (OpenAPI validation
 * against schemas/openapi/catalog-search.yaml, problem+json).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  createDatabase,
  createHttpApp,
  createLogger,
  createMetrics,
  InputError,
  seedDemo,
  type Actor,
  type Database,
} from '@gx/platform';
import {
  createTestDatabase,
  expectResponseMatchesSpec,
  listen,
  type Listening,
  type TestDatabase,
} from '@gx/platform/testing';
import { approveResource } from '../src/domain/resources/approveResource.ts';
import { createResource } from '../src/domain/resources/createResource.ts';
import type { ResourceInput } from '../src/domain/resources/resourceInput.ts';
import { retireResource } from '../src/domain/resources/retireResource.ts';
import { submitResource } from '../src/domain/resources/submitResource.ts';
import { searchResources } from '../src/domain/search/searchResources.ts';
import { searchRouter } from '../src/http/search.router.ts';

const SEARCH_SPEC = fileURLToPath(
  new URL('../../schemas/openapi/catalog-search.yaml', import.meta.url),
);

const user = (
  departmentCode: string,
  roles: ('steward' | 'approver' | 'platform-admin')[],
): Actor => ({
  kind: 'user',
  subject: `sub-${departmentCode}-${roles.join('-')}`,
  username: `${departmentCode}.${roles.join('-') || 'staff'}`,
  departmentCode,
  regionCode: '330100000000',
  roles,
});
const steward = (departmentCode: string) => user(departmentCode, ['steward']);
const APPROVER = user('hz-dsj', ['approver']);
const ADMIN = user('hz-dsj', ['platform-admin']);
const SCJG_STAFF = user('hz-scjg', []);

type Status = 'draft' | 'in_review' | 'published' | 'retired';

function input(name: string, abstract: string, extra: Partial<ResourceInput> = {}): ResourceInput {
  return {
    name,
    abstract,
    themeCode: 'environment',
    format: 'database',
    sharingType: 'unconditional',
    sharingMethods: ['api'],
    openType: 'open',
    updateCycle: 'daily',
    keywords: [],
    items: [
      { name: 'record_id', label: '记录编号', dataType: 'string', isKey: true },
      { name: 'observed_at', label: '时间', dataType: 'datetime' },
    ],
    ...extra,
  };
}

let testDb: TestDatabase;
let db: Database;
const codes = new Map<string, string>();

async function catalogue(department: string, entry: ResourceInput, status: Status) {
  const prisma = db.prisma;
  const actor = steward(department);
  const { code } = await createResource({ prisma, actor, input: entry });
  codes.set(entry.name, code);
  if (status === 'draft') return code;
  await submitResource({ prisma, actor, code });
  if (status === 'in_review') return code;
  await approveResource({ prisma, actor: APPROVER, code });
  if (status === 'retired') await retireResource({ prisma, actor: APPROVER, code });
  return code;
}

const PAGED = 25;
const SCRIPT_NAME = '<script>alert(1)</script>企业登记信息';

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase({ url: testDb.url, max: 5 });
  await seedDemo(db.pool);
  await catalogue(
    'hz-sthj',
    input('空气质量小时监测数据', '各国控监测站点逐小时的空气质量指数和污染物浓度。', {
      format: 'stream',
      updateCycle: 'realtime',
      keywords: ['AQI', 'PM2.5'],
    }),
    'published',
  );
  await catalogue(
    'hz-sthj',
    input('地表水水质监测数据', '地表水监测断面的月度水质类别，可与空气质量数据联合分析。', {
      updateCycle: 'monthly',
    }),
    'published',
  );
  const personal = {
    themeCode: 'population',
    sharingType: 'conditional',
    sharingConditions: '依法履职需要，经审核同意后共享',
    openType: 'none',
  } as const;
  await catalogue('hz-gaj', input('居民户籍信息', '常住户籍人口信息。', personal), 'published');
  await catalogue('hz-gaj', input('户籍迁移信息', '户口迁入迁出登记。', personal), 'draft');
  await catalogue(
    'hz-gaj',
    input('户籍证明开具信息', '户籍证明的开具记录。', personal),
    'in_review',
  );
  await catalogue('hz-gaj', input('户籍档案（旧）', '已停用的户籍档案。', personal), 'retired');
  await catalogue(
    'hz-scjg',
    input(SCRIPT_NAME, 'A&B "引号" <b>粗体</b> 企业登记的注册信息。', {
      themeCode: 'legal-entity',
    }),
    'published',
  );
  await catalogue(
    'hz-scjg',
    input('企业年度报告信息', '企业年报公示信息。', {
      themeCode: 'legal-entity',
      openType: 'conditional',
      openConditions: '实名认证后申请',
    }),
    'published',
  );
  for (let i = 1; i <= PAGED; i += 1) {
    await catalogue(
      'hz-tjj',
      input(`统计分页样例${String(i).padStart(2, '0')}`, '用于分页测试的统计资料。', {
        themeCode: 'finance-tax',
        format: 'spreadsheet',
      }),
      'published',
    );
  }
}, 120_000);

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

const search = (
  actor: Actor,
  options: Omit<Parameters<typeof searchResources>[0], 'prisma' | 'actor'>,
) => searchResources({ prisma: db.prisma, actor, ...options });
const names = (result: Awaited<ReturnType<typeof search>>) =>
  result.items.map((i) => i.name).sort();

describe('who sees what', () => {
  it('shows anonymous callers published open entries only', async () => {
    expect((await search(ANONYMOUS, { q: '户籍' })).total).toBe(0);
    expect(names(await search(ANONYMOUS, { q: '企业' }))).toEqual(
      [SCRIPT_NAME, '企业年度报告信息'].sort(),
    );
  });

  it('shows department staff every published entry, but no other department’s drafts', async () => {
    expect(names(await search(SCJG_STAFF, { q: '户籍' }))).toEqual(['居民户籍信息']);
  });

  it('shows a steward their own department’s drafts, entries in review and retired entries', async () => {
    expect(names(await search(steward('hz-gaj'), { q: '户籍' }))).toEqual(
      ['居民户籍信息', '户籍迁移信息', '户籍证明开具信息', '户籍档案（旧）'].sort(),
    );
  });

  it('shows the data authority’s approver entries in review and retired, never drafts; an admin all', async () => {
    expect(names(await search(APPROVER, { q: '户籍' }))).toEqual(
      ['居民户籍信息', '户籍证明开具信息', '户籍档案（旧）'].sort(),
    );
    expect((await search(ADMIN, { q: '户籍' })).total).toBe(4);
  });

  it('counts facets over what the caller may see only', async () => {
    const anonymous = await search(ANONYMOUS, {});
    expect(anonymous.facets.department.map((b) => b.value)).not.toContain('hz-gaj');
    const gaj = await search(steward('hz-gaj'), {});
    expect(gaj.facets.department.find((b) => b.value === 'hz-gaj')?.count).toBe(4);
  });
});

describe('facets', () => {
  it('counts every facet and keeps a chosen facet’s alternatives', async () => {
    const all = await search(ANONYMOUS, {});
    expect(all.mode).toBe('browse');
    expect(all.total).toBe(4 + PAGED);
    expect(all.facets.department).toEqual([
      { value: 'hz-tjj', label: '杭州市统计局', count: PAGED, selected: false },
      { value: 'hz-scjg', label: '杭州市市场监督管理局', count: 2, selected: false },
      { value: 'hz-sthj', label: '杭州市生态环境局', count: 2, selected: false },
    ]);
    expect(all.facets.openType).toEqual([
      { value: 'open', label: '无条件开放', count: 3 + PAGED, selected: false },
      { value: 'conditional', label: '有条件开放', count: 1, selected: false },
    ]);

    const sthj = await search(ANONYMOUS, { filters: { department: ['hz-sthj'] } });
    expect(sthj.total).toBe(2);
    // the department facet still offers the other departments with their counts …
    expect(sthj.facets.department.map((b) => [b.value, b.count, b.selected])).toEqual([
      ['hz-tjj', PAGED, false],
      ['hz-scjg', 2, false],
      ['hz-sthj', 2, true],
    ]);
    // … while every other facet counts within the chosen department
    expect(sthj.facets.theme).toEqual([
      { value: 'environment', label: '生态环境', count: 2, selected: false },
    ]);
    expect(sthj.facets.updateCycle.map((b) => [b.value, b.count])).toEqual([
      ['monthly', 1],
      ['realtime', 1],
    ]);
    expect(sthj.facets.region).toEqual([
      { value: '330100000000', label: '杭州市', count: 2, selected: false },
    ]);
  });

  it('returns as many buckets per facet as asked, largest first (30 unless asked)', async () => {
    const one = await search(ANONYMOUS, { facetSize: 1 });
    expect(one.facets.department).toEqual([
      { value: 'hz-tjj', label: '杭州市统计局', count: PAGED, selected: false },
    ]);
    expect(one.total).toBe(4 + PAGED);
    expect((await search(ANONYMOUS, { facetSize: 1_000 })).facets.department).toHaveLength(3);
    await expect(search(ANONYMOUS, { facetSize: 1_001 })).rejects.toThrow('检索条件无效');
  });

  it('combines facets: values of one facet are alternatives, different facets all apply', async () => {
    const either = await search(ANONYMOUS, { filters: { department: ['hz-sthj', 'hz-scjg'] } });
    expect(either.total).toBe(4);
    const both = await search(ANONYMOUS, {
      filters: { department: ['hz-sthj', 'hz-scjg'], openType: ['conditional'] },
    });
    expect(names(both)).toEqual(['企业年度报告信息']);
    expect(
      (await search(ANONYMOUS, { q: '空气质量', filters: { format: ['stream'] } })).total,
    ).toBe(1);
  });
});

describe('sorting and pagination', () => {
  it('ranks a name match above an abstract match, and sorts by publication on request', async () => {
    const relevant = await search(ANONYMOUS, { q: '空气质量' });
    expect(relevant.sort).toBe('relevance');
    expect(relevant.items.map((i) => i.name)).toEqual([
      '空气质量小时监测数据',
      '地表水水质监测数据',
    ]);
    expect(relevant.items[0]!.score!).toBeGreaterThan(relevant.items[1]!.score!);

    const recent = await search(ANONYMOUS, { q: '空气质量', sort: 'recent' });
    expect(recent.items.map((i) => i.name)).toEqual(['地表水水质监测数据', '空气质量小时监测数据']);
    const browse = await search(ANONYMOUS, { pageSize: 3 });
    expect(browse.sort).toBe('recent');
    expect(browse.items.map((i) => i.name)).toEqual([
      '统计分页样例25',
      '统计分页样例24',
      '统计分页样例23',
    ]);
  });

  it('pages through every match once, with the same total on every page', async () => {
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const result = await search(ANONYMOUS, { q: '统计分页样例', page, pageSize: 10 });
      expect(result.total).toBe(PAGED);
      expect(result.items.length).toBe(page < 3 ? 10 : 5);
      seen.push(...result.items.map((i) => i.code));
    }
    expect(new Set(seen).size).toBe(PAGED);
    expect((await search(ANONYMOUS, { q: '统计分页样例', page: 4, pageSize: 10 })).items).toEqual(
      [],
    );
  });
});

describe('highlights', () => {
  it('marks matched terms and escapes everything else', async () => {
    const [hit] = (await search(ANONYMOUS, { q: '企业登记' })).items;
    expect(hit!.name).toBe(SCRIPT_NAME);
    expect(hit!.highlights!.name).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;<em>企业登记</em>信息',
    );
    expect(hit!.highlights!.abstract).toBe(
      'A&amp;B &quot;引号&quot; &lt;b&gt;粗体&lt;/b&gt; <em>企业登记</em>的注册信息。',
    );
  });

  it('marks what a thesaurus word matched (社保 finds 社会保险)', async () => {
    await catalogue(
      'hz-rsj',
      input('社会保险参保缴费信息', '参保人员的险种和缴费记录。', {
        themeCode: 'social-security',
      }),
      'published',
    );
    const [hit] = (await search(ANONYMOUS, { q: '社保缴纳' })).items;
    expect(hit!.highlights!.name).toBe('<em>社会保险</em>参保<em>缴费</em>信息');
  });

  it('answers a query without a match in the name with a snippet of the abstract', async () => {
    const hit = (await search(ANONYMOUS, { q: '联合分析' })).items[0]!;
    expect(hit.name).toBe('地表水水质监测数据');
    expect(hit.highlights!.abstract).toContain('<em>联合分析</em>');
  });
});

describe('typos and extra words', () => {
  it('falls back to any part of the query or a similar name when nothing has every part', async () => {
    const typo = await search(ANONYMOUS, { q: '空气质亮' });
    expect(typo.mode).toBe('any');
    expect(typo.items[0]!.name).toBe('空气质量小时监测数据');
    const extra = await search(ANONYMOUS, { q: '我想查询杭州空气质量的数据' });
    expect(extra.items[0]!.name).toBe('空气质量小时监测数据');
    // words typed apart: nothing is both, so each is found
    const apart = await search(ANONYMOUS, { q: '地表水 年度报告' });
    expect(apart.mode).toBe('any');
    expect(names(apart)).toEqual(['企业年度报告信息', '地表水水质监测数据']);
    // one word's part does not stand for it: 居民户籍信息 has 户籍 but is no 户籍档案
    const staff = user('hz-mzj', []);
    expect((await search(staff, { q: '户籍 年度报告' })).items.length).toBe(2);
    expect(names(await search(staff, { q: '户籍档案 年度报告' }))).toEqual(['企业年度报告信息']);
  });
});

const HOSTILE = [
  `'`,
  `"`,
  `\\`,
  `''; DROP TABLE resources; --`,
  `' OR 1=1 --`,
  `空气 & | ! : * ( )`,
  `!!!`,
  `'a':* & !b`,
  `(((((((((`,
  `a:A | b:*B`,
  `<script>alert(1)</script>`,
  `%00`,
  `\u0000空气\u0000`,
  `\u202e质量空气\u202c`,
  `\u200f\u200e\u2066`,
  `😀🚗🏥`,
  `空气😀质量`,
  `\ud800空气\udfff`,
  `${'空气'.repeat(100)}`,
  `${'a '.repeat(100)}`,
];

describe('hostile input', () => {
  let server: Listening;
  beforeAll(async () => {
    const app = createHttpApp({
      service: 'catalog',
      logger: createLogger({ service: 'catalog', level: 'silent' }),
      metrics: createMetrics('catalog'),
      readiness: [],
      openApiSpec: SEARCH_SPEC,
      routes(app) {
        app.use(searchRouter(db.prisma));
      },
    });
    server = await listen(app);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers hostile queries in the domain with results or an input error, never a crash', async () => {
    for (const q of HOSTILE) {
      const result = await search(ANONYMOUS, { q });
      expect(result.total, JSON.stringify(q)).toBeGreaterThanOrEqual(0);
      for (const item of result.items) expect(item.highlights!.name).not.toMatch(/<(?!\/?em>)/);
    }
    await expect(search(ANONYMOUS, { q: 'x'.repeat(201) })).rejects.toBeInstanceOf(InputError);
    await expect(search(ANONYMOUS, { pageSize: 101 })).rejects.toBeInstanceOf(InputError);
    await expect(
      search(ANONYMOUS, { filters: { department: ["x' OR 1=1"] } }),
    ).rejects.toBeInstanceOf(InputError);
  });

  it('answers every hostile request over HTTP with 200 or 400 problem+json, as the spec says', async () => {
    const raw = [
      // (a lone surrogate cannot be percent-encoded as UTF-8; the raw bytes follow below)
      ...HOSTILE.filter((q) => !/[\ud800-\udfff]/u.test(q)).map(
        (q) => `q=${encodeURIComponent(q)}`,
      ),
      'q=%ED%A0%80',
      'q=%ED%A0%80%E7%A9%BA%ED%BF%BF',
      'q=%FF%FE',
      'q=%C0%AF',
      'q=%E7%A9',
      'q=%',
      'q=%%%',
      'q=%00',
      `q=${'a'.repeat(10_000)}`,
      `q=${encodeURIComponent('空气')}&q=b`,
      'q[]=a',
      'page=0',
      'page=-1',
      'page=abc',
      'page=1e9',
      'pageSize=0',
      'pageSize=1000',
      'facetSize=0',
      'facetSize=1001',
      'facetSize=abc',
      'sort=random',
      'department=HZ-GAJ',
      `department=${encodeURIComponent("x' OR 1=1")}`,
      `department=${Array.from({ length: 21 }, (_, i) => `d${i}`).join('&department=')}`,
      'region=33',
      'sharingType=everyone',
      'unknown=1',
    ];
    for (const query of raw) {
      const res = await fetch(`${server.base}/v1/search?${query}`);
      expect([200, 400], `${query.slice(0, 80)} → ${res.status}`).toContain(res.status);
      if (res.status === 400) {
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
      await expectResponseMatchesSpec(SEARCH_SPEC, 'GET', '/v1/search', res);
    }
    expect((await fetch(`${server.base}/v1/search?q=${'a'.repeat(10_000)}`)).status).toBe(400);
    // the database is untouched
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM resources');
    expect(rows[0].n).toBeGreaterThan(PAGED);
  });

  it('serves ordinary searches as the spec declares them', async () => {
    for (const query of [
      `q=${encodeURIComponent('空气质量')}`,
      `q=${encodeURIComponent('企业登记')}&department=hz-scjg&openType=open&openType=conditional`,
      'sort=recent&page=2&pageSize=5&theme=finance-tax',
      'facetSize=2',
      `q=${encodeURIComponent('空气质亮')}`,
    ]) {
      const res = await fetch(`${server.base}/v1/search?${query}`);
      expect(res.status, query).toBe(200);
      const body = (await expectResponseMatchesSpec(SEARCH_SPEC, 'GET', '/v1/search', res)) as {
        total: number;
      };
      expect(body.total, query).toBeGreaterThan(0);
    }
  });
});
