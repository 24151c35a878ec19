import * as portaljsModule from '@portaljs/ckan-api-client-js';
import ckanapi from 'ckanapi';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as catalogWorkflow from '@gx/catalog';
import { seedDemoDirectory } from '@gx/platform';
import { startHarness, type Harness } from './harness.ts';

/**
 * The catalogue's CKAN Action API, driven by two CKAN clients used as they come
 * (`ckanapi` and `@portaljs/ckan-api-client-js`) and by plain HTTP: what a CKAN harvester or a
 * CKAN front end would see of the demo city's directory.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

// the portaljs package is CommonJS with `exports.default`; how a default import arrives
// depends on the loader, so take whichever object has the methods
const portaljs = portaljsModule as Json;
const CkanRequest: {
  get(action: string, options?: Json): Promise<Json>;
  post(action: string, options?: Json): Promise<Json>;
} = portaljs.default?.get ? portaljs.default : portaljs.default?.default;
const { Portal } = ckanapi as Json;

let h: Harness;
let portal: Json;
/** what a department's steward sees (the token sent bare, as ckanapi's withToken does) */
let staffPortal: Json;
const AIR = '空气质量小时监测数据';
const FACETS = ['organization', 'groups', 'tags', 'res_format'];

const raw = (path: string, init: RequestInit = {}) => fetch(`${h.catalog.base}${path}`, init);

async function rawJson(path: string, init: RequestInit = {}) {
  const res = await raw(path, init);
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), body: JSON.parse(text) };
}

/** the published entries a caller sees, from the database: open ones for the anonymous */
async function publishedNames(openOnly: boolean): Promise<string[]> {
  const { rows } = await h.db.pool.query<{ name: string }>(
    `SELECT lower(code) AS name FROM resources
      WHERE status = 'published' AND ($1 = false OR open_type IN ('open', 'conditional'))
      ORDER BY 1`,
    [openOnly],
  );
  return rows.map((r) => r.name);
}

/** the error a client call rejects with */
async function rejection(promise: Promise<unknown>): Promise<Json> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

beforeAll(async () => {
  h = await startHarness();
  await seedDemoDirectory({ prisma: h.db.prisma, pool: h.db.pool, workflow: catalogWorkflow });
  portal = new Portal(h.catalog.base);
  staffPortal = portal.withToken(await h.token('hz-gaj.steward'));
  // the portaljs client logs every error it throws; these tests provoke errors on purpose
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await h?.close();
});

describe('the ckanapi client', () => {
  it('status_show names the site and the CKAN API it speaks', async () => {
    const status = await portal.action.status_show();
    expect(status).toMatchObject({
      ckan_version: expect.stringMatching(/^2\.10\.\d+$/),
      site_title: expect.stringContaining('杭州市'),
      site_url: h.catalog.base,
      locale_default: 'zh_Hans_CN',
      extensions: [],
      error_emails_to: null,
    });
  });

  it('searches in Chinese with facets whose counts agree with the database', async () => {
    const found = await portal.action.package_search({
      q: '空气质量',
      'facet.field': FACETS,
      rows: 1000,
    });
    // the same words through the directory's own search: the same entries
    const own = (await (
      await fetch(`${h.catalog.base}/v1/search?q=${encodeURIComponent('空气质量')}&pageSize=100`)
    ).json()) as Json;
    expect(found.count).toBe(own.total);
    expect(found.results.map((p: Json) => p.name).sort()).toEqual(
      own.items.map((i: Json) => i.code.toLowerCase()).sort(),
    );
    expect(found.results.map((p: Json) => p.title)).toContain(AIR);
    expect(found.sort).toBe('score desc, metadata_modified desc');

    const names = found.results.map((p: Json) => p.name);
    const { rows } = await h.db.pool.query<{ facet: string; value: string; count: number }>(
      `SELECT 'organization' AS facet, d.code AS value, count(*)::int AS count
         FROM resources r JOIN departments d ON d.id = r.provider_id
        WHERE lower(r.code) = ANY($1) GROUP BY d.code
       UNION ALL
       SELECT 'groups', r.theme_code, count(*)::int FROM resources r
        WHERE lower(r.code) = ANY($1) GROUP BY r.theme_code
       UNION ALL
       SELECT 'tags', k, count(*)::int FROM resources r, unnest(r.keywords) k
        WHERE lower(r.code) = ANY($1) GROUP BY k`,
      [names],
    );
    for (const facet of ['organization', 'groups']) {
      expect(found.facets[facet]).toEqual(
        Object.fromEntries(rows.filter((r) => r.facet === facet).map((r) => [r.value, r.count])),
      );
    }
    const tagCounts = rows.filter((r) => r.facet === 'tags');
    // CKAN's default facet.limit keeps the 50 most frequent
    expect(Object.keys(found.facets.tags).length).toBe(Math.min(50, tagCounts.length));
    for (const [tag, count] of Object.entries(found.facets.tags)) {
      expect(tagCounts.find((t) => t.value === tag)?.count).toBe(count);
    }
    expect(found.facets.tags['空气质量']).toBeGreaterThan(0);
    // anonymous callers see open entries only: each has its three downloads and the API
    expect(found.facets.res_format).toEqual({
      API: found.count,
      CSV: found.count,
      JSON: found.count,
      XLSX: found.count,
    });

    // search_facets: items with display names, sorted by display name descending (as CKAN)
    const orgItems = found.search_facets.organization.items;
    expect(found.search_facets.organization.title).toBe('organization');
    expect(orgItems.map((i: Json) => i.display_name)).toEqual(
      [...orgItems.map((i: Json) => i.display_name)].sort().reverse(),
    );
    const air = found.results.find((p: Json) => p.title === AIR);
    expect(orgItems).toContainEqual({
      name: air.organization.name,
      display_name: air.organization.title,
      count: found.facets.organization[air.organization.name],
    });
  });

  it('pages through every open entry with rows and start, no entry twice or missed', async () => {
    const all = await publishedNames(true);
    const seen: string[] = [];
    let count = -1;
    for (let start = 0; count < 0 || start < count; start += 7) {
      const page = await portal.action.package_search({
        rows: 7,
        start,
        sort: 'name asc',
        fl: ['name'],
      });
      count = page.count;
      expect(page.results.length).toBe(Math.min(7, count - start));
      seen.push(...page.results.map((p: Json) => p.name));
    }
    expect(count).toBe(all.length);
    expect(seen).toEqual(all);
    expect(await portal.action.package_list()).toEqual(all);
    expect(await portal.action.package_list({ limit: 5, offset: 5 })).toEqual(all.slice(5, 10));
  });

  it('shows a dataset by name in any case and by id, the same as the search found it', async () => {
    const [hit] = (await portal.action.package_search({ q: `title:"${AIR}"`, rows: 1 }))
      .results as Json[];
    const byName = await portal.action.package_show({ id: hit.name.toUpperCase() });
    const byId = await portal.action.package_show({ id: hit.id });
    expect(byName).toEqual(hit);
    expect(byId).toEqual(hit);
    expect(byName).toMatchObject({
      name: expect.stringMatching(/^[a-z0-9-]{2,100}$/),
      title: AIR,
      state: 'active',
      private: false,
      type: 'dataset',
      license_id: 'cc-by',
      isopen: true,
      num_resources: 4,
      num_tags: byName.tags.length,
      owner_org: byName.organization.id,
      url: `http://127.0.0.1:3000/datasets/${hit.name.toUpperCase()}`,
      metadata_modified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/),
      organization: { is_organization: true, type: 'organization', state: 'active' },
    });
    expect(byName.resources.map((r: Json) => r.format)).toEqual(['CSV', 'JSON', 'XLSX', 'API']);
    const extras = Object.fromEntries(byName.extras.map((e: Json) => [e.key, e.value]));
    expect(extras).toMatchObject({
      identifier: hit.name.toUpperCase(),
      uri: `${h.catalog.base}/dcat/datasets/${hit.name.toUpperCase()}`,
      open_type: 'open',
      publisher_uscc: expect.stringMatching(/^[0-9A-Z]{18}$/),
      frequency: expect.stringMatching(
        /^http:\/\/publications\.europa\.eu\/resource\/authority\/frequency\//,
      ),
    });
    // the CSV resource is a download the exchange really serves
    const csv = byName.resources[0];
    expect(csv.url).toBe(
      `${h.exchange.base}/v1/open/resources/${hit.name.toUpperCase()}/download?format=csv`,
    );
    const download = await fetch(csv.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/^text\/csv/);
    await download.body?.cancel();
  });

  it('lists and shows organizations, groups and tags with what the caller may see', async () => {
    const orgs: string[] = await portal.action.organization_list();
    expect(orgs).toContain('hz-gaj');
    // full dicts come 25 at a time at most, as in CKAN
    const full: Json[] = [];
    for (let offset = 0; ; offset += 25) {
      const page: Json[] = await portal.action.organization_list({
        all_fields: true,
        limit: 100,
        offset,
      });
      expect(page.length).toBeLessThanOrEqual(25);
      if (page.length === 0) break;
      full.push(...page);
    }
    expect(full.map((o) => o.name).sort()).toEqual([...orgs].sort());
    const open = await publishedNames(true);
    expect(full.reduce((sum, o) => sum + o.package_count, 0)).toBe(open.length);

    const [air] = (await portal.action.package_search({ q: `title:"${AIR}"` })).results as Json[];
    const org = await portal.action.organization_show({
      id: air.organization.name,
      include_datasets: true,
    });
    expect(org).toMatchObject({
      id: air.organization.id,
      name: air.organization.name,
      is_organization: true,
      package_count: org.packages.length,
    });
    expect(org.packages.map((p: Json) => p.name)).toContain(air.name);
    expect((await portal.action.organization_show({ id: air.organization.id })).name).toBe(
      air.organization.name,
    );

    const { rows: themes } = await h.db.pool.query<{ code: string }>(`SELECT code FROM themes`);
    const groups: string[] = await portal.action.group_list({ sort: 'name asc' });
    expect(groups).toEqual(themes.map((t) => t.code).sort());
    const groupDicts: Json[] = [
      ...(await portal.action.group_list({ all_fields: true })),
      ...(await portal.action.group_list({ all_fields: true, offset: 25 })),
    ];
    expect(groupDicts.map((g) => g.name).sort()).toEqual(groups);
    expect(groupDicts.reduce((sum, g) => sum + g.package_count, 0)).toBe(open.length);
    expect(groupDicts.find((g) => g.name === air.groups[0].name)).toMatchObject({
      title: air.groups[0].title,
      is_organization: false,
    });

    const tags: string[] = await portal.action.tag_list();
    expect(tags).toContain('空气质量');
    const some: string[] = await portal.action.tag_list({ query: '空气' });
    expect(some.length).toBeGreaterThan(0);
    expect(some.every((t) => t.includes('空气'))).toBe(true);
  });

  it('surfaces CKAN errors as CKAN clients expect them', async () => {
    expect(await rejection(portal.action.package_show({ id: 'no-such-dataset' }))).toMatchObject({
      __type: 'Not Found Error',
      message: '未找到',
    });
    expect(await rejection(portal.action.package_show({}))).toMatchObject({
      __type: 'Validation Error',
      name_or_id: ['缺失值'],
    });
    expect(await rejection(portal.action.package_search({ rows: 'abc' }))).toMatchObject({
      __type: 'Validation Error',
      rows: ['无效的整数'],
    });
    expect(
      await rejection(portal.action.package_search({ fq: 'num_resources:[1 TO 3]' })),
    ).toMatchObject({ __type: 'Search Query Error' });
    expect(await rejection(portal.action.organization_show({ id: 'no-such-org' }))).toMatchObject({
      __type: 'Not Found Error',
    });
    // an unknown action answers CKAN's bare string: ckanapi finds no `error` in it
    expect(await rejection(portal.action.package_create({ name: 'x' }))).toBeUndefined();
  });
});

describe('the @portaljs/ckan-api-client-js client', () => {
  const options = () => ({ ckanUrl: h.catalog.base });

  it('searches with facets and shows datasets through GET and POST', async () => {
    const facetField = encodeURIComponent(JSON.stringify(FACETS));
    const found = await CkanRequest.get(
      `package_search?q=${encodeURIComponent('空气质量')}&facet.field=${facetField}&rows=100`,
      options(),
    );
    expect(found).toMatchObject({ success: true, help: expect.stringContaining('help_show') });
    const viaCkanapi = await portal.action.package_search({ q: '空气质量', 'facet.field': FACETS });
    expect(found.result.count).toBe(viaCkanapi.count);
    expect(found.result.facets).toEqual(viaCkanapi.facets);

    const name = found.result.results[0].name;
    const shown = await CkanRequest.post('package_show', { ...options(), json: { id: name } });
    expect(shown.result).toEqual(found.result.results[0]);
    const listed = await CkanRequest.get('organization_list?all_fields=true', options());
    expect(listed.result.length).toBeGreaterThan(0);
  });

  it('turns CKAN errors into CkanRequestError messages', async () => {
    const notFound = await rejection(CkanRequest.get('package_show?id=no-such', options()));
    expect(notFound).toBeInstanceOf(portaljs.CkanRequestError ?? portaljs.default.CkanRequestError);
    expect(notFound.message).toBe('未找到');
    expect(notFound.error.__type).toBe('Not Found Error');

    const missing = await rejection(CkanRequest.get('package_show', options()));
    expect(missing.message).toBe('Validation error: "name_or_id": 缺失值');

    const rows = await rejection(CkanRequest.get('package_search?rows=abc', options()));
    expect(rows.message).toBe('Validation error: "rows": 无效的整数');

    const fq = await rejection(CkanRequest.get('package_search?fq=nosuchfield:x', options()));
    expect(fq.error.__type).toBe('Search Query Error');

    const unknown = await rejection(CkanRequest.get('no_such_action', options()));
    expect(unknown.message).toBe('An unknown error happened');
  });
});

describe('the Action API over HTTP', () => {
  it("answers CKAN's envelope as application/json;charset=utf-8, at both paths", async () => {
    for (const path of ['/api/3/action/package_list', '/api/action/package_list']) {
      const res = await rawJson(`${path}?limit=2`);
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/json;charset=utf-8');
      expect(Object.keys(res.body).sort()).toEqual(['help', 'result', 'success']);
      expect(res.body).toMatchObject({
        help: `${h.catalog.base}/api/3/action/help_show?name=package_list`,
        success: true,
      });
      expect(res.body.result).toHaveLength(2);
    }
    // CKAN's statuses and bodies for the errors clients meet most
    const unknown = await rawJson('/api/3/action/package_create');
    expect(unknown).toMatchObject({ status: 400, body: '请求错误 - 未知的操作名: package_create' });
    const unsupported = await rawJson('/api/3/action/package_search?fq=num_resources:1');
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error.__type).toBe('Search Query Error');
    const malformed = await rawJson('/api/3/action/package_search?fq=tags:(x');
    expect(malformed.status).toBe(409);
    expect(malformed.body.error.__type).toBe('Search Error');
    const rows = await rawJson('/api/3/action/package_search?rows=abc');
    expect(rows).toMatchObject({ status: 409, body: { error: { rows: ['无效的整数'] } } });
    const missing = await rawJson('/api/3/action/package_show');
    expect(missing).toMatchObject({ status: 409, body: { error: { __type: 'Validation Error' } } });
    expect((await rawJson('/api/3/action/package_show?id=nope')).status).toBe(404);

    const help = await rawJson('/api/3/action/help_show?name=package_search');
    expect(help.body.result).toContain('facet.field');
    expect((await rawJson('/api/3')).body).toEqual({ version: 3 });

    const search = await rawJson('/api/3/action/package_search?rows=1');
    expect(Object.keys(search.body.result)).toEqual([
      'count',
      'facets',
      'results',
      'sort',
      'search_facets',
    ]);
  });

  it('reads POSTed forms and JSON as CKAN does', async () => {
    const form = await rawJson('/api/3/action/package_search', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `q=${encodeURIComponent('tags:空气质量')}&rows=1`,
    });
    expect(form.status).toBe(200);
    const json = await rawJson('/api/3/action/package_search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ q: 'tags:空气质量', rows: 1 }),
    });
    expect(json.body.result.count).toBe(form.body.result.count);
    expect(json.body.result.count).toBeGreaterThan(0);
    const notObject = await rawJson('/api/3/action/package_search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1, 2]',
    });
    expect(notObject.status).toBe(400);
    expect(notObject.body).toMatch(/^请求错误 - JSON 错误/);
  });

  it('filters like a harvester: organization, tags, formats, licences and modification time', async () => {
    const all = await rawJson('/api/3/action/package_search?rows=1000');
    const total = all.body.result.count;
    const org = all.body.result.results[0].organization.name;
    const byOrg = await rawJson(
      `/api/3/action/package_search?rows=1000&fq=${encodeURIComponent(`+organization:${org} metadata_modified:[2000-01-01T00:00:00.123456Z TO *]`)}`,
    );
    expect(byOrg.body.result.count).toBe(
      all.body.result.results.filter((p: Json) => p.organization.name === org).length,
    );
    const future = await rawJson(
      `/api/3/action/package_search?fq=${encodeURIComponent('metadata_modified:[NOW+1DAY TO *]')}`,
    );
    expect(future.body.result.count).toBe(0);
    const csv = await rawJson('/api/3/action/package_search?fq=res_format:CSV&rows=0');
    expect(csv.body.result.count).toBe(total);
    const notOrg = await rawJson(
      `/api/3/action/package_search?rows=0&fq=${encodeURIComponent(`-organization:${org}`)}`,
    );
    expect(notOrg.body.result.count).toBe(total - byOrg.body.result.count);
    const either = await rawJson(
      `/api/3/action/package_search?rows=0&fq=${encodeURIComponent(`organization:${org} OR license_id:cc-by`)}`,
    );
    expect(either.body.result.count).toBeGreaterThanOrEqual(byOrg.body.result.count);

    const byModified = await rawJson(
      '/api/3/action/package_search?rows=1000&sort=metadata_modified%20desc',
    );
    const modified = byModified.body.result.results.map((p: Json) => p.metadata_modified);
    expect(modified).toEqual([...modified].sort().reverse());
  });

  it('shows anonymous callers open entries only, a department what it may see', async () => {
    const { rows } = await h.db.pool.query<{ code: string }>(
      `SELECT code FROM resources WHERE status = 'published' AND open_type = 'none' LIMIT 1`,
    );
    const closed = rows[0]!.code.toLowerCase();
    expect((await rawJson(`/api/3/action/package_show?id=${closed}`)).status).toBe(404);
    const shown = await staffPortal.action.package_show({ id: closed });
    expect(shown).toMatchObject({ name: closed, isopen: false, num_resources: 0 });

    const everything = await publishedNames(false);
    expect(await staffPortal.action.package_list()).toEqual(everything);
    expect((await staffPortal.action.package_search({ rows: 0 })).count).toBe(everything.length);
    expect((await portal.action.package_search({ rows: 0 })).count).toBe(
      (await publishedNames(true)).length,
    );
    // a JSONP request is answered as nobody, whatever credentials come with it
    const jsonp = await raw(`/api/3/action/package_show?id=${closed}&callback=cb`, {
      headers: { authorization: await h.token('hz-gaj.steward') },
    });
    expect(jsonp.status).toBe(404);
    const wrapped = await raw('/api/3/action/package_list?limit=1&callback=cb');
    expect(wrapped.headers.get('content-type')).toBe('application/javascript;charset=utf-8');
    expect(await wrapped.text()).toMatch(/^cb\(\{"help":.*\}\);$/);

    const forged = await rawJson('/api/3/action/package_list', {
      headers: { authorization: 'not-a-token' },
    });
    expect(forged.status).toBe(403);
    expect(forged.body.error.__type).toBe('Authorization Error');
  });

  it('answers every error under /api/ in CKAN JSON, never problem+json, never 5xx', async () => {
    const hostile = [
      "' OR '1'='1",
      '<script>alert(1)</script>',
      '\u0000',
      '\ud800',
      '-1',
      '1e309',
      '99999999999999999999999',
      '((((((((((((((((((((((((((((((((((x',
      'x'.repeat(5_000),
      '{!func}x',
      'tags:"open',
      'metadata_modified:[yesterday TO *]',
      'constructor asc',
      'constructor:x',
      '__proto__:x',
      'toString',
    ];
    const enc = (v: string) => {
      try {
        return encodeURIComponent(v);
      } catch {
        return '%ED%A0%80';
      }
    };
    const requests: [string, RequestInit?][] = [
      ['/api/nowhere'],
      ['/api/3/action/'],
      ['/api/4/action/package_list'],
      ['/api/3/action/package_list', { method: 'PUT' }],
      ['/api/3/action/package_list', { method: 'DELETE' }],
      ['/api/3/action/no_such_action'],
      [
        '/api/3/action/package_search',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"q":' },
      ],
      [
        '/api/3/action/package_search',
        { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' },
      ],
      [
        '/api/3/action/package_search',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
        },
      ],
      ['/api/3/action/package_search?rows=5000'],
      ['/api/3/action/package_search?start=99999999999999999999'],
      ['/api/3/action/package_search?sort=name'],
      ['/api/3/action/package_search?sort=nosuch%20asc'],
      ['/api/3/action/package_search?facet.field=tags'],
      ['/api/3/action/package_search?facet.field=%5B%22nosuch%22%5D'],
      ['/api/3/action/package_search?zzUnknown=1'],
      ['/api/3/action/organization_list?sort=nosuch'],
      ['/api/3/action/tag_list?vocabulary_id=x'],
      ['/api/3/action/package_list', { headers: { authorization: 'Basic abc' } }],
      ...Object.entries({
        package_search: [
          'q',
          'fq',
          'fq_list',
          'sort',
          'rows',
          'start',
          'facet.field',
          'facet.limit',
          'facet.mincount',
          'fl',
        ],
        package_show: ['id'],
        package_list: ['limit', 'offset'],
        organization_list: ['limit', 'offset', 'sort', 'q', 'all_fields'],
        organization_show: ['id', 'include_datasets'],
        group_show: ['id'],
        tag_list: ['query', 'vocabulary_id'],
        help_show: ['name'],
      }).flatMap(([action, params]) =>
        params.flatMap((param) =>
          hostile.map((v) => [`/api/3/action/${action}?${param}=${enc(v)}`] as [string]),
        ),
      ),
      ...hostile.map((v) => [`/api/3/action/${enc(v)}`] as [string]),
    ];
    const failures: string[] = [];
    for (const [path, init] of requests) {
      const res = await raw(path, init);
      const text = await res.text();
      const where = `${init?.method ?? 'GET'} ${path.slice(0, 80)}: ${res.status}`;
      const type = res.headers.get('content-type') ?? '';
      if (res.status >= 500) failures.push(`${where} ${text.slice(0, 200)}`);
      if (!type.startsWith('application/json')) failures.push(`${where} answered ${type}`);
      if (/\.ts:\d+|at .+\(.+:\d+:\d+\)/.test(text)) failures.push(`${where} leaks a stack trace`);
      if (res.status >= 400) {
        const body = JSON.parse(text);
        const ckanShaped =
          typeof body === 'string'
            ? body.startsWith('请求错误 - ')
            : body.success === false && typeof body.error?.__type === 'string';
        if (!ckanShaped) failures.push(`${where} is not a CKAN error: ${text.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
