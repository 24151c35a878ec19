import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as catalogWorkflow from '@gx/catalog';
import { seedDemoDirectory } from '@gx/platform';
import { call, startHarness, type Harness } from './harness.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

/**
 * 上下级目录级联: two running instances, each with its own database, identity provider and
 * catalog. The city publishes the demo directory; the province harvests the city's catalogue
 * through the city's own CKAN Action API (and then its DCAT-AP catalogue). A change in the city
 * arrives on re-harvest, re-harvests and a changed remote id duplicate nothing, and an entry
 * the city retires is withdrawn in the province.
 */

let city: Harness;
let province: Harness;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const inCity = async (method: string, path: string, user?: string, body?: unknown) =>
  call(city.catalog.base, method, path, { token: user ? await city.token(user) : undefined, body });
const inProvince = async (method: string, path: string, body?: unknown) =>
  call(province.catalog.base, method, path, { token: await province.token('admin'), body });

async function harvest(sourceId: string): Promise<Json> {
  const started = await inProvince('POST', `/v1/harvest-sources/${sourceId}/run`);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  for (;;) {
    const job = await inProvince('GET', `/v1/harvest-jobs/${started.body.id}?pageSize=500`);
    if (job.body.status !== 'running') return job.body;
    await sleep(100);
  }
}

/** every code the province holds from a source, with how often (to find duplicates) */
async function provinceCopies(sourceId: string) {
  const rows = await province.db.prisma.resource.findMany({
    where: { harvestSourceId: sourceId },
    select: { code: true, harvestIdentifier: true, status: true },
  });
  return {
    total: rows.length,
    identities: new Set(rows.map((r) => r.harvestIdentifier)).size,
    published: rows.filter((r) => r.status === 'published').length,
  };
}

/** the editable input of a resource view, as a steward PUTs it */
function inputOf(view: Json, changes: Record<string, unknown>) {
  const drop = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
  return drop({
    name: view.name,
    abstract: view.abstract,
    themeCode: view.theme.code,
    subClassCode: view.subClassCode,
    serviceCategory: view.serviceCategory,
    keywords: view.keywords,
    format: view.format,
    sharingType: view.sharingType,
    sharingConditions: view.sharingConditions,
    sharingMethods: view.sharingMethods,
    sharingLegalBasis: view.sharingLegalBasis,
    openType: view.openType,
    openConditions: view.openConditions,
    updateCycle: view.updateCycle,
    publishDate: view.publishDate,
    sourceSystem: view.sourceSystem,
    relatedResourceCodes: view.relatedResourceCodes,
    functionCode: view.function?.code,
    dataGrade: view.dataGrade,
    contactName: view.contactName,
    contactPhone: view.contactPhone,
    contactEmail: view.contactEmail,
    items: view.items.map(drop),
    ...changes,
  });
}

/** an open, published city entry (of a department, when its steward is to act on it) */
async function cityEntryOf(department?: string, skip: readonly string[] = []): Promise<Json> {
  const list = await inCity(
    'GET',
    `/v1/resources?${department ? `department=${department}&` : ''}status=published&openType=open&pageSize=50`,
  );
  const found = list.body.items.find((r: Json) => !skip.includes(r.code));
  expect(found, `an open published entry of ${department ?? 'the city'}`).toBeDefined();
  return found;
}

/** Give a city resource a new primary key, as a dump and reload or a re-import would. */
async function changeCityResourceId(code: string): Promise<{ before: string; after: string }> {
  const client = await city.db.pool.connect();
  try {
    await client.query('BEGIN');
    // foreign keys are enforced by triggers, which the replica role does not fire
    await client.query('SET LOCAL session_replication_role = replica');
    const { rows } = await client.query<{ id: string; next: string }>(
      'SELECT id, gen_random_uuid()::text AS next FROM resources WHERE code = $1',
      [code],
    );
    const { id, next } = rows[0]!;
    const { rows: children } = await client.query<{ table: string; column: string }>(
      `SELECT c.conrelid::regclass::text AS table, a.attname AS column
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.confrelid = 'resources'::regclass`,
    );
    await client.query('UPDATE resources SET id = $2 WHERE id = $1', [id, next]);
    for (const { table, column } of children) {
      await client.query(`UPDATE ${table} SET "${column}" = $2 WHERE "${column}" = $1`, [id, next]);
    }
    await client.query('COMMIT');
    return { before: id, after: next };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

beforeAll(async () => {
  [city, province] = await Promise.all([startHarness(), startHarness()]);
  await seedDemoDirectory({
    prisma: city.db.prisma,
    pool: city.db.pool,
    workflow: catalogWorkflow,
  });
}, 300_000);

afterAll(async () => {
  await Promise.all([city?.close(), province?.close()]);
});

describe('a province harvests a city through its CKAN API', () => {
  let sourceId: string;
  let offered: number;
  let changed: Json;

  it('copies every entry the city offers, once, keeping the city’s codes and departments', async () => {
    const search = await call(city.catalog.base, 'GET', '/api/3/action/package_search?rows=0');
    expect(search.status).toBe(200);
    offered = search.body.result.count;
    expect(offered).toBeGreaterThan(100);

    const source = await inProvince('POST', '/v1/harvest-sources', {
      name: '杭州市目录',
      type: 'ckan',
      url: city.catalog.base,
      fallbackThemeCode: 'government',
    });
    expect(source.status).toBe(201);
    sourceId = source.body.id;
    const job = await harvest(sourceId);
    expect(job.error).toBeNull();
    expect(job).toMatchObject({
      status: 'succeeded',
      counts: { created: offered, updated: 0, unchanged: 0, withdrawn: 0, failed: 0 },
    });
    expect(await provinceCopies(sourceId)).toEqual({
      total: offered,
      identities: offered,
      published: offered,
    });

    // the city's air-quality entry as the province's public sees it
    const air = (await inCity('GET', `/v1/search?q=${encodeURIComponent('空气质量')}`)).body
      .items[0];
    const cityView = (await inCity('GET', `/v1/resources/${air.code}`)).body;
    const copy = await call(province.catalog.base, 'GET', `/v1/resources/${air.code}`);
    expect(copy.status).toBe(200);
    expect(copy.body).toMatchObject({
      code: cityView.code,
      name: cityView.name,
      abstract: cityView.abstract,
      provider: { code: cityView.provider.code },
      theme: { code: cityView.theme.code },
      sharingType: cityView.sharingType,
      openType: cityView.openType,
      updateCycle: cityView.updateCycle,
      format: cityView.format,
      status: 'published',
      harvest: { source: '杭州市目录' },
    });
    const found = await call(
      province.catalog.base,
      'GET',
      `/v1/search?q=${encodeURIComponent(cityView.name)}`,
    );
    expect(found.body.items.map((i: Json) => i.code)).toContain(air.code);
  }, 300_000);

  it('re-harvests without writing or duplicating anything', async () => {
    const job = await harvest(sourceId);
    expect(job).toMatchObject({
      status: 'succeeded',
      counts: { created: 0, updated: 0, unchanged: offered, withdrawn: 0, failed: 0 },
    });
    expect((await provinceCopies(sourceId)).total).toBe(offered);
  }, 300_000);

  it('brings a change made in the city (revised, re-approved) to the province', async () => {
    changed = await cityEntryOf('hz-wjw');
    const steward = 'hz-wjw.steward';
    expect((await inCity('POST', `/v1/resources/${changed.code}/revise`, steward, {})).status).toBe(
      200,
    );
    const draft = (await inCity('GET', `/v1/resources/${changed.code}`, steward)).body;
    const newName = `${draft.name}（2026 年修订）`;
    const put = await call(city.catalog.base, 'PUT', `/v1/resources/${changed.code}`, {
      token: await city.token(steward),
      body: inputOf(draft, { name: newName }),
      headers: { 'if-match': `"${draft.revision}"` },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await inCity('POST', `/v1/resources/${changed.code}/submit`, steward, {})).status).toBe(
      200,
    );
    const approved = await inCity(
      'POST',
      `/v1/resources/${changed.code}/approve`,
      'hz-dsj.approver',
      { comment: '同意' },
    );
    expect(approved.status).toBe(200);

    const job = await harvest(sourceId);
    expect(job.status).toBe('succeeded');
    expect(job.counts).toMatchObject({ created: 0, updated: 1, withdrawn: 0, failed: 0 });
    expect(job.items.items.find((i: Json) => i.action === 'updated').resourceCode).toBe(
      changed.code,
    );
    const copy = await call(province.catalog.base, 'GET', `/v1/resources/${changed.code}`);
    expect(copy.body.name).toBe(newName);
    expect((await provinceCopies(sourceId)).total).toBe(offered);
  }, 300_000);

  it('updates, not duplicates, an entry whose id changed in the city', async () => {
    const target = await cityEntryOf(undefined, [changed.code]);
    const ids = await changeCityResourceId(target.code);
    const show = await call(
      city.catalog.base,
      'GET',
      `/api/3/action/package_search?q=${encodeURIComponent(`"${target.name}"`)}&rows=5`,
    );
    expect(show.body.result.results.map((p: Json) => p.id)).toContain(ids.after);

    const job = await harvest(sourceId);
    expect(job.status).toBe('succeeded');
    expect(job.counts).toMatchObject({ created: 0, updated: 1, withdrawn: 0, failed: 0 });
    const item = job.items.items.find((i: Json) => i.action === 'updated');
    expect(item.resourceCode).toBe(target.code);
    expect(item.remoteId).toBe(ids.after);
    expect(item.message).toContain(ids.before);
    expect(await provinceCopies(sourceId)).toEqual({
      total: offered,
      identities: offered,
      published: offered,
    });
  }, 300_000);

  it('withdraws in the province what the city retires', async () => {
    const retired = await cityEntryOf('hz-mzj');
    const res = await inCity('POST', `/v1/resources/${retired.code}/retire`, 'hz-mzj.steward', {
      comment: '数据已停止采集',
    });
    expect(res.status).toBe(200);
    const job = await harvest(sourceId);
    expect(job).toMatchObject({
      status: 'succeeded',
      counts: { created: 0, updated: 0, unchanged: offered - 1, withdrawn: 1, failed: 0 },
    });
    expect(job.items.items.find((i: Json) => i.action === 'withdrawn').resourceCode).toBe(
      retired.code,
    );
    expect((await call(province.catalog.base, 'GET', `/v1/resources/${retired.code}`)).status).toBe(
      404,
    );
    expect((await inProvince('GET', `/v1/resources/${retired.code}`)).body.status).toBe('retired');
    expect(await provinceCopies(sourceId)).toEqual({
      total: offered,
      identities: offered,
      published: offered - 1,
    });
  }, 300_000);

  it('keeps the copies read-only for the province’s own stewards', async () => {
    const steward = await province.token('hz-wjw.steward');
    const res = await call(province.catalog.base, 'POST', `/v1/resources/${changed.code}/revise`, {
      token: steward,
      body: {},
    });
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe('该资源由 杭州市目录 采集，请在来源目录修改');

    // the exchange sends requests and data questions to the source, which holds the data
    const { rows } = await province.db.pool.query<{ code: string; provider: string }>(
      `SELECT r.code, d.code AS provider FROM resources r JOIN departments d ON d.id = r.provider_id
        WHERE r.harvest_source_id IS NOT NULL AND r.status = 'published' AND r.open_type = 'open'
          AND r.sharing_type <> 'none' AND d.code <> 'hz-rsj'
        ORDER BY r.code LIMIT 1`,
    );
    const harvested = rows[0]!;
    const request = await call(province.exchange.base, 'POST', '/v1/sharing-requests', {
      token: await province.systemToken('hz-rsj-system'),
      body: {
        resourceCode: harvested.code,
        purposeCodes: ['SOCIAL_SECURITY'],
        purposeText: '社会保险待遇资格认证',
        legalBasisText: '《社会保险法》第八条',
        deliveryModes: ['query'],
      },
    });
    expect(request.status).toBe(409);
    expect(request.body.detail).toContain('采集，共享申请请到来源目录办理');
    expect(request.body.sourceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const preview = await call(
      province.exchange.base,
      'GET',
      `/v1/open/resources/${harvested.code}/preview`,
    );
    expect(preview.status).toBe(404);
    expect(preview.body.detail).toContain('本平台不保存其数据，请到来源目录获取');
    expect(preview.body.sourceUrl).toBe(request.body.sourceUrl);
    // and the province's published metadata offers no local downloads for it, only its origin
    const pkg = await call(
      province.catalog.base,
      'GET',
      `/api/3/action/package_show?id=${harvested.code}`,
    );
    expect(pkg.body.result.num_resources).toBe(0);
    expect(pkg.body.result.extras).toContainEqual({
      key: 'harvest_source_url',
      value: request.body.sourceUrl,
    });
    const ttl = await (
      await fetch(`${province.catalog.base}/dcat/datasets/${harvested.code}.ttl`)
    ).text();
    expect(ttl).not.toContain('dcat:distribution');
    expect(ttl).toContain('wasDerivedFrom');
  });

  it('lets the province remove the source with its copies', async () => {
    expect((await inProvince('DELETE', `/v1/harvest-sources/${sourceId}`)).status).toBe(204);
    expect((await provinceCopies(sourceId)).total).toBe(0);
  }, 120_000);
});

describe('a province harvests a city through its DCAT-AP catalogue', () => {
  let sourceId: string;
  let offered: number;

  it('reads every Hydra page of the city’s catalogue, once, and re-harvests without writing', async () => {
    const probe = await fetch(`${city.catalog.base}/dcat/catalog`, {
      headers: { accept: 'text/turtle' },
    });
    expect(probe.status).toBe(200);
    const source = await inProvince('POST', '/v1/harvest-sources', {
      name: '杭州市目录（DCAT）',
      type: 'dcat',
      url: `${city.catalog.base}/dcat/catalog`,
      fallbackThemeCode: 'government',
    });
    expect(source.status).toBe(201);
    sourceId = source.body.id;
    const job = await harvest(sourceId);
    expect(job.status, job.error).toBe('succeeded');
    expect(job.pages).toBeGreaterThan(1);
    expect(job.counts.failed).toBe(0);
    offered = job.counts.created;
    expect(offered).toBeGreaterThan(100);
    expect(await provinceCopies(sourceId)).toEqual({
      total: offered,
      identities: offered,
      published: offered,
    });
    // the city's own classifications travel in the DCAT export beside the EU vocabularies
    const air = (await inCity('GET', `/v1/search?q=${encodeURIComponent('空气质量')}`)).body
      .items[0];
    const cityView = (await inCity('GET', `/v1/resources/${air.code}`)).body;
    expect(
      (await call(province.catalog.base, 'GET', `/v1/resources/${air.code}`)).body,
    ).toMatchObject({
      code: cityView.code,
      name: cityView.name,
      provider: { code: cityView.provider.code },
      theme: { code: cityView.theme.code },
      sharingType: cityView.sharingType,
      openType: cityView.openType,
      updateCycle: cityView.updateCycle,
      format: cityView.format,
      harvest: { source: '杭州市目录（DCAT）' },
    });
    const again = await harvest(sourceId);
    expect(again.counts).toEqual({
      created: 0,
      updated: 0,
      unchanged: offered,
      withdrawn: 0,
      failed: 0,
    });
  }, 300_000);

  it('brings a retirement in the city to the province as a withdrawal', async () => {
    const retired = await cityEntryOf('hz-rsj');
    expect(
      (await inCity('POST', `/v1/resources/${retired.code}/retire`, 'hz-rsj.steward', {})).status,
    ).toBe(200);
    const job = await harvest(sourceId);
    expect(job.status).toBe('succeeded');
    expect(job.counts).toMatchObject({ created: 0, updated: 0, withdrawn: 1, failed: 0 });
    expect((await inProvince('GET', `/v1/resources/${retired.code}`)).body).toMatchObject({
      status: 'retired',
      harvest: { source: '杭州市目录（DCAT）' },
    });
  }, 300_000);
});
