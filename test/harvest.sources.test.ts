import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createLogger, type Actor, type Database } from '@gx/platform';
import { HarvestRunner } from '../catalog/src/domain/harvest/HarvestRunner.ts';
import { startHarvestScheduler } from '../catalog/src/domain/harvest/startHarvestScheduler.ts';
import { RESOURCE_SHEET } from '../catalog/src/domain/excel/workbookLayout.ts';
import { editWorkbook, setByHeader } from '../catalog/test/fixtures/excelFixtures.ts';
import { call, startHarness, type Harness } from './harness.ts';
import {
  ckanPackages,
  creditCodeOf,
  dcatDatasets,
  orgCodeOf,
  startCkanFixture,
  startDcatFixture,
  type CkanFixture,
  type DcatFixture,
} from './harvestFixtures.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

/**
 * Harvesting remote catalogues (CKAN Action API, DCAT-AP Turtle with Hydra paging) served by
 * real HTTP servers into a real directory: what an admin sees of the jobs, what anyone sees of
 * the harvested entries, and that re-harvests, changed remote ids, broken walks and deletions
 * leave exactly one local copy per remote entry.
 */

let h: Harness;
let ckan: CkanFixture;
let dcat: DcatFixture;

const catalog = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.catalog.base, method, path, options);
const asAdmin = async (method: string, path: string, body?: unknown) =>
  catalog(method, path, { token: await h.token('admin'), body });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Run a source now and wait for its job to end (no time bound: the test runner has one). */
async function harvest(sourceId: string): Promise<Json> {
  const started = await asAdmin('POST', `/v1/harvest-sources/${sourceId}/run`);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.headers.get('location')).toBe(`/v1/harvest-jobs/${started.body.id}`);
  for (;;) {
    const job = await asAdmin('GET', `/v1/harvest-jobs/${started.body.id}?pageSize=500`);
    expect(job.status).toBe(200);
    if (job.body.status !== 'running') return job.body;
    await sleep(50);
  }
}

/** the local code the job's log gives for a remote identity */
const codeIn = (job: Json, identifier: string): string =>
  job.items.items.find((i: Json) => i.identifier === identifier)?.resourceCode;

const resource = async (code: string) => asAdmin('GET', `/v1/resources/${code}`);

async function harvestedCount(sourceId: string): Promise<number> {
  return h.db.prisma.resource.count({ where: { harvestSourceId: sourceId } });
}

beforeAll(async () => {
  h = await startHarness();
  ckan = await startCkanFixture();
  dcat = await startDcatFixture();
});

afterAll(async () => {
  await ckan?.close();
  await dcat?.close();
  await h?.close();
});

describe('managing harvest sources', () => {
  it('is for the platform admin only: 401 without a token, 403 for anyone else', async () => {
    const anon = await catalog('GET', '/v1/harvest-sources');
    expect(anon.status).toBe(401);
    const steward = await h.token('hz-gaj.steward');
    const denied = await catalog('GET', '/v1/harvest-sources', { token: steward });
    expect(denied.status).toBe(403);
    expect(denied.contentType).toContain('application/problem+json');
    const create = await catalog('POST', '/v1/harvest-sources', {
      token: await h.token('hz-dsj.approver'),
      body: { name: '越权', type: 'ckan', url: ckan.base, fallbackThemeCode: 'government' },
    });
    expect(create.status).toBe(403);
  });

  it('refuses addresses that are not plain http(s) with 400', async () => {
    for (const url of ['ftp://data.example.gov.cn/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      const res = await asAdmin('POST', '/v1/harvest-sources', {
        name: `坏地址 ${url}`,
        type: 'ckan',
        url,
        fallbackThemeCode: 'government',
      });
      expect(res.status, url).toBe(400);
      expect(res.contentType).toContain('application/problem+json');
    }
    const withPassword = await asAdmin('POST', '/v1/harvest-sources', {
      name: '带口令的地址',
      type: 'ckan',
      url: 'http://harvester:secret@127.0.0.1:9/',
      fallbackThemeCode: 'government',
    });
    expect(withPassword.status).toBe(400);
    expect(withPassword.body.errors).toEqual([
      { path: '/url', message: '地址中不能包含用户名或密码' },
    ]);
    expect(JSON.stringify(withPassword.body)).not.toContain('secret');
    const unknownTheme = await asAdmin('POST', '/v1/harvest-sources', {
      name: '未知主题',
      type: 'ckan',
      url: ckan.base,
      fallbackThemeCode: 'no-such-theme',
    });
    expect(unknownTheme.status).toBe(400);
    expect(unknownTheme.body.errors[0].path).toBe('/fallbackThemeCode');
  });

  it('keeps names unique, answers unknown sources with 404, and refuses disabled runs', async () => {
    const body = {
      name: '重名测试',
      type: 'dcat',
      url: dcat.catalogUrl,
      fallbackThemeCode: 'urban',
    };
    const first = await asAdmin('POST', '/v1/harvest-sources', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      name: '重名测试',
      regionCode: '330000000000',
      intervalMinutes: null,
      nextRunAt: null,
      enabled: true,
      entryCount: 0,
      lastJob: null,
      createdBy: 'admin',
    });
    expect((await asAdmin('POST', '/v1/harvest-sources', body)).status).toBe(409);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await asAdmin('GET', `/v1/harvest-sources/${missing}`)).status).toBe(404);
    expect((await asAdmin('POST', `/v1/harvest-sources/${missing}/run`)).status).toBe(404);
    const disabled = await asAdmin('PATCH', `/v1/harvest-sources/${first.body.id}`, {
      enabled: false,
      intervalMinutes: 60,
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ enabled: false, intervalMinutes: 60, nextRunAt: null });
    const run = await asAdmin('POST', `/v1/harvest-sources/${first.body.id}/run`);
    expect(run.status).toBe(409);
    expect(run.body.detail).toContain('停用');
    expect((await asAdmin('DELETE', `/v1/harvest-sources/${first.body.id}`)).status).toBe(204);
    expect((await asAdmin('GET', `/v1/harvest-sources/${first.body.id}`)).status).toBe(404);
  });
});

describe('harvesting a CKAN site', () => {
  const NAME = '省开放平台（CKAN）';
  let sourceId: string;
  let codes: Record<string, string>;
  const police = `209001001-${orgCodeOf('hz-gaj')}-000007`;

  beforeAll(async () => {
    const created = await asAdmin('POST', '/v1/harvest-sources', {
      name: NAME,
      type: 'ckan',
      url: `${ckan.base}/`,
      fallbackThemeCode: 'government',
    });
    expect(created.status).toBe(201);
    sourceId = created.body.id;
  });

  it('walks every page of package_search and catalogues each package once', async () => {
    const job = await harvest(sourceId);
    expect(job).toMatchObject({
      status: 'succeeded',
      trigger: 'manual',
      triggeredBy: 'admin',
      pages: 3,
      counts: { created: 5, updated: 0, unchanged: 0, withdrawn: 0, failed: 0 },
      error: null,
      sourceName: NAME,
    });
    expect(job.items.total).toBe(5);
    codes = Object.fromEntries(
      ckanPackages().map((p) => [
        p.name,
        codeIn(job, p.extras.find((e: Json) => e.key === 'identifier')?.value ?? p.name),
      ]),
    );
    expect(Object.values(codes).every((c) => /^[1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}$/.test(c))).toBe(
      true,
    );
    const source = await asAdmin('GET', `/v1/harvest-sources/${sourceId}`);
    expect(source.body).toMatchObject({
      entryCount: 5,
      lastJob: { id: job.id, status: 'succeeded' },
    });
  });

  it('places entries under the matching departments and themes, with a link to the source', async () => {
    // a code of our shape in the publisher's own numbering is kept
    expect(codes[police.toLowerCase()]).toBe(police);
    const stations = await catalog('GET', `/v1/resources/${police}`);
    expect(stations.status).toBe(200);
    expect(stations.body).toMatchObject({
      name: '杭州市公安派出所分布',
      status: 'published',
      provider: { code: 'hz-gaj' },
      theme: { code: 'public-safety' },
      sharingType: 'conditional',
      sharingConditions: '用于治安管理的部门可申请',
      openType: 'open',
      format: 'geo',
      createdBy: `harvest:${NAME}`,
      harvest: {
        source: NAME,
        sourceUrl: `${ckan.base}/dataset/${police.toLowerCase()}`,
      },
    });
    expect(Date.parse(stations.body.harvest.harvestedAt)).not.toBeNaN();

    // matched by 统一社会信用代码
    const air = (await catalog('GET', `/v1/resources/${codes['hz-air-quality-hourly']}`)).body;
    expect(air).toMatchObject({
      provider: { code: 'hz-sthj' },
      theme: { code: 'environment' },
      updateCycle: 'realtime',
      format: 'spreadsheet',
      keywords: ['空气质量', 'PM2.5'],
      contactName: '韩雪',
    });
    // not in the publisher's numbering: a Z code, which no department's numbering can reach
    expect(air.code).toMatch(/^206001001-Z[0-9]{8}-[0-9]{6}$/);
    // matched by exact name
    const medical = (await catalog('GET', `/v1/resources/${codes['hz-medical-institutions']}`))
      .body;
    expect(medical).toMatchObject({
      provider: { code: 'hz-wjw' },
      theme: { code: 'health' },
      updateCycle: 'monthly',
      format: 'api',
    });
    // an organisation unknown here becomes a harvested department without a credit code
    const alliance = (
      await catalog('GET', `/v1/resources/${codes['zj-open-data-alliance-members']}`)
    ).body;
    expect(alliance.theme.code).toBe('government');
    const department = await catalog('GET', `/v1/departments/${alliance.provider.code}`);
    expect(department.body).toMatchObject({
      name: '浙江省开放数据联盟',
      unifiedSocialCreditCode: null,
      regionCode: '330000000000',
    });
    // no organisation: the source itself is the publisher
    const weather = (await catalog('GET', `/v1/resources/${codes['weather-warnings']}`)).body;
    expect(weather.provider.name).toBe(NAME);

    // anyone finds them by search
    const found = await catalog('GET', `/v1/search?q=${encodeURIComponent('医疗机构名录')}`);
    expect(found.body.items.map((i: Json) => i.code)).toContain(codes['hz-medical-institutions']);
  });

  it('writes nothing on a re-harvest of an unchanged site, and duplicates nothing', async () => {
    const before = await h.db.prisma.resource.findMany({
      where: { harvestSourceId: sourceId },
      select: { code: true, revision: true, updatedAt: true },
      orderBy: { code: 'asc' },
    });
    const job = await harvest(sourceId);
    expect(job).toMatchObject({
      status: 'succeeded',
      counts: { created: 0, updated: 0, unchanged: 5, withdrawn: 0, failed: 0 },
    });
    const after = await h.db.prisma.resource.findMany({
      where: { harvestSourceId: sourceId },
      select: { code: true, revision: true, updatedAt: true },
      orderBy: { code: 'asc' },
    });
    expect(after).toEqual(before);
  });

  it('updates an entry the source changed, and records who changed what', async () => {
    const medical = ckan.packages.find((p) => p.name === 'hz-medical-institutions')!;
    medical.title = '杭州市医疗机构名录（2026 年版）';
    medical.metadata_modified = '2026-11-01T08:00:00.000';
    const job = await harvest(sourceId);
    expect(job.counts).toEqual({ created: 0, updated: 1, unchanged: 4, withdrawn: 0, failed: 0 });
    const code = codes['hz-medical-institutions']!;
    expect((await resource(code)).body.name).toBe('杭州市医疗机构名录（2026 年版）');
    const history = (await asAdmin('GET', `/v1/resources/${code}/history`)).body.items;
    const last = history.at(-1);
    expect(last).toMatchObject({
      action: 'update',
      actor: `harvest:${NAME}`,
      actorKind: 'harvest',
    });
    expect(last.diff).toContainEqual({
      path: '/name',
      before: '杭州市医疗机构名录',
      after: '杭州市医疗机构名录（2026 年版）',
    });
    expect(await harvestedCount(sourceId)).toBe(5);
  });

  it('updates, not duplicates, an entry whose remote id changed', async () => {
    const air = ckan.packages.find((p) => p.name === 'hz-air-quality-hourly')!;
    air.id = 'c0ffee00-9999-4c1a-9d2e-00000000000a';
    const job = await harvest(sourceId);
    expect(job.counts).toEqual({ created: 0, updated: 1, unchanged: 4, withdrawn: 0, failed: 0 });
    const item = job.items.items.find((i: Json) => i.action === 'updated');
    expect(item).toMatchObject({
      identifier: 'hz-air-quality-hourly',
      resourceCode: codes['hz-air-quality-hourly'],
    });
    expect(item.message).toContain('c0ffee00-9999-4c1a-9d2e-00000000000a');
    expect(await harvestedCount(sourceId)).toBe(5);
  });

  it('withdraws nothing when the walk breaks off, even if entries are missing', async () => {
    ckan.packages = ckan.packages.filter((p) => p.name !== 'weather-warnings');
    ckan.failingStarts.add(2);
    const job = await harvest(sourceId);
    expect(job.status).toBe('partial');
    expect(job.counts.withdrawn).toBe(0);
    expect(job.error).toContain('HTTP 500');
    expect(job.error).toContain('未下线任何条目');
    expect((await resource(codes['weather-warnings']!)).body.status).toBe('published');
  });

  it('withdraws an entry gone after a complete walk, and publishes it again when it returns', async () => {
    ckan.failingStarts.clear();
    const job = await harvest(sourceId);
    expect(job).toMatchObject({
      status: 'succeeded',
      counts: { created: 0, updated: 0, unchanged: 4, withdrawn: 1, failed: 0 },
    });
    const weatherCode = codes['weather-warnings']!;
    expect(job.items.items.find((i: Json) => i.action === 'withdrawn').resourceCode).toBe(
      weatherCode,
    );
    const retired = await resource(weatherCode);
    expect(retired.body).toMatchObject({ status: 'retired' });
    expect(retired.body.retiredAt).not.toBeNull();
    // the public no longer sees it
    expect((await catalog('GET', `/v1/resources/${weatherCode}`)).status).toBe(404);

    ckan.packages.push(ckanPackages().find((p) => p.name === 'weather-warnings')!);
    const back = await harvest(sourceId);
    expect(back.counts).toEqual({ created: 0, updated: 1, unchanged: 4, withdrawn: 0, failed: 0 });
    expect((await catalog('GET', `/v1/resources/${weatherCode}`)).body.status).toBe('published');
    expect(await harvestedCount(sourceId)).toBe(5);
  });

  it('keeps harvested entries read-only: every write answers 409 naming the source, an Excel row of one passes only unchanged', async () => {
    const steward = await h.token('hz-gaj.steward');
    const expectReadOnly = (res: Json) => {
      expect(res.status).toBe(409);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body.detail).toContain(`该资源由 ${NAME} 采集，请在来源目录修改`);
    };
    const current = (await catalog('GET', `/v1/resources/${police}`, { token: steward })).body;
    expectReadOnly(
      await catalog('PUT', `/v1/resources/${police}`, {
        token: steward,
        body: {
          name: '改名',
          abstract: current.abstract,
          themeCode: 'public-safety',
          format: 'geo',
          sharingType: 'unconditional',
          sharingMethods: ['file'],
          openType: 'open',
          updateCycle: 'daily',
          items: [{ name: 'station_name', label: '派出所名称', dataType: 'string' }],
        },
        headers: { 'if-match': `"${current.revision}"` },
      }),
    );
    for (const step of ['revise', 'retire', 'submit']) {
      expectReadOnly(
        await catalog('POST', `/v1/resources/${police}/${step}`, { token: steward, body: {} }),
      );
    }
    expectReadOnly(await catalog('DELETE', `/v1/resources/${police}`, { token: steward }));
    const approver = await h.token('hz-dsj.approver');
    expectReadOnly(
      await catalog('POST', `/v1/resources/${police}/retire`, { token: approver, body: {} }),
    );

    // in the department's Excel export the copy reads back unchanged and is left as it is
    // (the export of a department holding harvested copies imports again); a changed row is
    // refused at its cell, saying its source's catalogue maintains it
    const exported = await fetch(`${h.catalog.base}/v1/excel/export?code=${police}`, {
      headers: { authorization: `Bearer ${steward}` },
    });
    expect(exported.status).toBe(200);
    const workbook = Buffer.from(await exported.arrayBuffer());
    const upload = (file: Buffer) =>
      fetch(`${h.catalog.base}/v1/excel/import`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${steward}`,
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        },
        body: file,
      });
    const before = await h.db.prisma.resource.findUniqueOrThrow({ where: { code: police } });
    const unchanged = await upload(workbook);
    const result = (await unchanged.json()) as Json;
    expect(unchanged.status, JSON.stringify(result)).toBe(200);
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(result.resources).toEqual([
      expect.objectContaining({ code: police, action: 'unchanged' }),
    ]);
    // not written: same revision and timestamps
    expect(await h.db.prisma.resource.findUniqueOrThrow({ where: { code: police } })).toEqual(
      before,
    );

    const renamed = await editWorkbook(workbook, (book) =>
      setByHeader(book.getWorksheet(RESOURCE_SHEET)!, 2, '信息资源名称', '改名'),
    );
    const refused = await upload(renamed);
    const problem = (await refused.json()) as Json;
    expect(refused.status, JSON.stringify(problem)).toBe(400);
    expect(problem.errors).toEqual([
      expect.objectContaining({
        path: expect.stringMatching(/^信息资源!B2$/),
        message: expect.stringContaining(
          `资源 ${police} 由 ${NAME} 采集，由来源目录维护，此行与目录中的内容不同，不能通过导入修改；请在来源目录修改`,
        ),
      }),
    ]);
    expect((await resource(police)).body).toMatchObject({
      name: '杭州市公安派出所分布',
      status: 'published',
    });
  });

  it('lists the source’s jobs newest first, and filters a job’s log by outcome', async () => {
    const jobs = await asAdmin('GET', `/v1/harvest-sources/${sourceId}/jobs?pageSize=3`);
    expect(jobs.status).toBe(200);
    expect(jobs.body.total).toBe(7);
    expect(jobs.body.items).toHaveLength(3);
    const started = jobs.body.items.map((j: Json) => Date.parse(j.startedAt));
    expect([...started].sort((a, b) => b - a)).toEqual(started);
    const firstJob = (
      await asAdmin('GET', `/v1/harvest-sources/${sourceId}/jobs?page=3&pageSize=3`)
    ).body.items[0];
    const created = await asAdmin(
      'GET',
      `/v1/harvest-jobs/${firstJob.id}?action=created&pageSize=2`,
    );
    expect(created.body.items).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(created.body.items.items).toHaveLength(2);
    expect(created.body.items.items.every((i: Json) => i.action === 'created')).toBe(true);
  });
});

describe('harvesting a DCAT-AP catalogue', () => {
  const NAME = '市公共数据开放目录（DCAT）';
  let sourceId: string;
  let codes: Record<string, string>;

  beforeAll(async () => {
    const created = await asAdmin('POST', '/v1/harvest-sources', {
      name: NAME,
      type: 'dcat',
      url: dcat.catalogUrl,
      fallbackThemeCode: 'government',
    });
    expect(created.status).toBe(201);
    sourceId = created.body.id;
  });

  it('follows hydra:next through every page and reads each dcat:Dataset', async () => {
    const job = await harvest(sourceId);
    expect(job).toMatchObject({
      status: 'succeeded',
      pages: 2,
      counts: { created: 3, updated: 0, unchanged: 0, withdrawn: 0, failed: 0 },
    });
    codes = Object.fromEntries(
      dcatDatasets().map((d) => [d.identifier, codeIn(job, d.identifier)]),
    );
    const bus = (await catalog('GET', `/v1/resources/${codes['hz-bus-routes']}`)).body;
    expect(bus).toMatchObject({
      name: '杭州市公交线路与站点',
      provider: { code: 'hz-jtj' },
      theme: { code: 'transport' },
      updateCycle: 'daily',
      openType: 'open',
      format: 'spreadsheet',
      contactPhone: '0571-87000000',
      contactEmail: 'data@example.gov.cn',
      harvest: { source: NAME, sourceUrl: `${dcat.base}/portal/datasets/bus-routes` },
    });
    const school = (await resource(codes['hz-school-list']!)).body;
    expect(school).toMatchObject({
      provider: { code: 'hz-jyj' },
      theme: { code: 'education' },
      openType: 'conditional',
      updateCycle: 'yearly',
    });
    expect(school.openConditions).toBeTruthy();
    const river = (await resource(codes['hz-river-quality']!)).body;
    expect(river.theme.code).toBe('environment');
    const department = await catalog('GET', `/v1/departments/${river.provider.code}`);
    expect(department.body).toMatchObject({
      name: '杭州市河湖管理中心',
      unifiedSocialCreditCode: null,
    });
    // and the credit code of a matched publisher stays where it was
    expect((await catalog('GET', '/v1/departments/hz-jtj')).body.unifiedSocialCreditCode).toBe(
      creditCodeOf('hz-jtj'),
    );
  });

  it('re-harvests without writing, and follows a dataset to its new IRI', async () => {
    const again = await harvest(sourceId);
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 3, withdrawn: 0, failed: 0 });
    dcat.datasets[0]!.path = '/datasets/bus-routes-2026';
    const moved = await harvest(sourceId);
    expect(moved.counts).toEqual({ created: 0, updated: 1, unchanged: 2, withdrawn: 0, failed: 0 });
    const bus = (await resource(codes['hz-bus-routes']!)).body;
    expect(bus.harvest.sourceUrl).toBe(`${dcat.base}/portal/datasets/bus-routes-2026`);
    expect(await harvestedCount(sourceId)).toBe(3);
  });

  it('withdraws only after a complete walk', async () => {
    dcat.datasets = dcat.datasets.filter((d) => d.identifier !== 'hz-school-list');
    // one dataset a page: the second page is the river, and it fails
    dcat.pageSize = 1;
    dcat.failingPages.add(2);
    const broken = await harvest(sourceId);
    expect(broken.status).toBe('partial');
    expect(broken.counts.withdrawn).toBe(0);
    expect((await resource(codes['hz-school-list']!)).body.status).toBe('published');
    dcat.failingPages.clear();
    const complete = await harvest(sourceId);
    expect(complete).toMatchObject({
      status: 'succeeded',
      counts: { created: 0, updated: 0, unchanged: 2, withdrawn: 1, failed: 0 },
    });
    expect((await resource(codes['hz-school-list']!)).body.status).toBe('retired');
    expect(await harvestedCount(sourceId)).toBe(3);
  });

  it('deleting the source removes its copies and the departments only it used', async () => {
    const river = (await resource(codes['hz-river-quality']!)).body;
    expect((await asAdmin('DELETE', `/v1/harvest-sources/${sourceId}`)).status).toBe(204);
    expect(await harvestedCount(sourceId)).toBe(0);
    expect((await resource(codes['hz-river-quality']!)).status).toBe(404);
    expect((await catalog('GET', `/v1/departments/${river.provider.code}`)).status).toBe(404);
    expect((await catalog('GET', '/v1/departments/hz-jtj')).status).toBe(200);
  });
});

describe('the scheduler and its limits', () => {
  const admin: Actor = {
    kind: 'user',
    subject: 'sub-admin',
    username: 'admin',
    departmentCode: 'hz-dsj',
    roles: ['platform-admin'],
  };
  let second: Database;
  const logger = createLogger({ service: 'harvest-test', level: 'silent' });

  beforeAll(() => {
    second = createDatabase({ url: h.testDb.url, max: 3 });
  });
  afterAll(async () => {
    await second?.close();
  });

  it('runs a due source once even when two catalog processes tick together', async () => {
    const site = await startCkanFixture();
    try {
      const created = await asAdmin('POST', '/v1/harvest-sources', {
        name: '定时采集',
        type: 'ckan',
        url: site.base,
        fallbackThemeCode: 'government',
        intervalMinutes: 60,
      });
      expect(created.status).toBe(201);
      expect(Date.parse(created.body.nextRunAt)).toBeLessThanOrEqual(Date.now());
      const one = new HarvestRunner({ prisma: h.db.prisma, logger });
      const two = new HarvestRunner({ prisma: second.prisma, logger });
      const started = await Promise.all([one.runDue(), two.runDue()]);
      expect(started[0]! + started[1]!).toBe(1);
      await Promise.all([one.idle(), two.idle()]);
      const source = (await asAdmin('GET', `/v1/harvest-sources/${created.body.id}`)).body;
      expect(source.lastJob).toMatchObject({ trigger: 'schedule', status: 'succeeded' });
      expect(source.lastJob.counts.created).toBe(5);
      // due again an interval after this run, not before
      expect(
        Date.parse(source.nextRunAt) - Date.parse(source.lastJob.startedAt),
      ).toBeGreaterThanOrEqual(59 * 60_000);
      expect(await Promise.all([one.runDue(), two.runDue()])).toEqual([0, 0]);
      expect(site.calls).toBe(3);
      // a manual run while another process still runs the source is refused
      await h.db.prisma.harvestJob.create({
        data: { sourceId: created.body.id, trigger: 'manual', triggeredBy: 'elsewhere' },
      });
      const busy = await asAdmin('POST', `/v1/harvest-sources/${created.body.id}/run`);
      expect(busy.status).toBe(409);
      expect(busy.body.detail).toContain('正在采集');
    } finally {
      await site.close();
    }
  });

  it('the scheduler of a catalog process runs due sources on its own, and stops cleanly', async () => {
    const site = await startCkanFixture();
    const created = await asAdmin('POST', '/v1/harvest-sources', {
      name: '每日采集',
      type: 'ckan',
      url: site.base,
      fallbackThemeCode: 'government',
      intervalMinutes: 1440,
    });
    const runner = new HarvestRunner({ prisma: second.prisma, logger });
    const scheduler = startHarvestScheduler({ runner, tickSeconds: 1, logger });
    try {
      for (;;) {
        const source = (await asAdmin('GET', `/v1/harvest-sources/${created.body.id}`)).body;
        if (source.lastJob && source.lastJob.status !== 'running') {
          expect(source.lastJob).toMatchObject({
            trigger: 'schedule',
            triggeredBy: 'scheduler',
            status: 'succeeded',
          });
          break;
        }
        await sleep(100);
      }
    } finally {
      await scheduler.stop();
      await site.close();
    }

    // stopping the process ends a running job as failed, and it withdraws nothing
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const stopped = new HarvestRunner({ prisma: h.db.prisma, logger });
    await asAdmin('PATCH', `/v1/harvest-sources/${created.body.id}`, {
      url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`,
    });
    const job = await stopped.runNow({ actor: admin, sourceId: created.body.id });
    await sleep(200);
    await stopped.stop();
    const ended = (await asAdmin('GET', `/v1/harvest-jobs/${job.id}`)).body;
    expect(ended.status).toBe('failed');
    expect(ended.error).toContain('已停止');
    expect(ended.counts.withdrawn).toBe(0);
    expect(await harvestedCount(created.body.id)).toBe(5);
    silent.close();
  });

  it('gives up on a source that is too slow or sends too much, withdrawing nothing', async () => {
    const small = new HarvestRunner({ prisma: h.db.prisma, logger, maxDocumentBytes: 2048 });
    const site = await startDcatFixture();
    const created = await asAdmin('POST', '/v1/harvest-sources', {
      name: '超大文档',
      type: 'dcat',
      url: site.catalogUrl,
      fallbackThemeCode: 'government',
    });
    const tooLarge = await small.runNow({ actor: admin, sourceId: created.body.id });
    await small.idle();
    const job = (await asAdmin('GET', `/v1/harvest-jobs/${tooLarge.id}`)).body;
    expect(job.status).toBe('failed');
    expect(job.error).toContain('2048 字节上限');
    await site.close();

    // a server that accepts the connection and never answers
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const slow = new HarvestRunner({ prisma: h.db.prisma, logger, fetchTimeoutMs: 300 });
    const hanging = await asAdmin('POST', '/v1/harvest-sources', {
      name: '不应答的来源',
      type: 'ckan',
      url: `http://127.0.0.1:${port}/`,
      fallbackThemeCode: 'government',
    });
    const timedOut = await slow.runNow({ actor: admin, sourceId: hanging.body.id });
    await slow.idle();
    const slowJob = (await asAdmin('GET', `/v1/harvest-jobs/${timedOut.id}`)).body;
    expect(slowJob.status).toBe('failed');
    expect(slowJob.error).toContain('秒内没有应答');
    silent.close();
  });
});
