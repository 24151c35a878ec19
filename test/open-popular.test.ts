import { openApiSpecPath } from '@gx/schemas';
import { expectResponseMatchesSpec } from '@gx/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPopularOpenResources } from '../exchange-api/src/domain/open/openUsage.ts';
import { call, download, startHarness, type Harness } from './harness.ts';

/**
 * 最常用数据: real open-data calls and downloads through the exchange (anonymous, with API keys,
 * refused ones too), then the public ranking and a dataset's counts as the portal reads them.
 */

let h: Harness;
const SPEC = openApiSpecPath('exchange-api');
const catalog = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.catalog.base, method, path, options);
const exchange = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.exchange.base, method, path, options);
const withKey = (key: string) => ({ headers: { 'x-api-key': key } });

interface Popular {
  days: number;
  since: string;
  items: {
    code: string;
    name: string;
    openType: string;
    providerCode: string;
    providerName: string;
    calls: number;
    downloads: number;
  }[];
}

/** A public usage read whose answer must be one the spec declares. */
async function usageCall(path: string, template: string) {
  const res = await fetch(`${h.exchange.base}${path}`);
  const body = (await expectResponseMatchesSpec(SPEC, 'GET', template, res)) as unknown;
  return { status: res.status, body };
}
const popular = async (query = '') =>
  (await usageCall(`/v1/open/popular${query}`, '/v1/open/popular')) as {
    status: number;
    body: Popular;
  };
const usage = (code: string) =>
  usageCall(`/v1/open/resources/${code}/usage`, '/v1/open/resources/{code}/usage');

const readings = Array.from({ length: 12 }, (_, i) => ({
  reading_id: `P${String(i + 1).padStart(4, '0')}`,
  station: i % 2 === 0 ? '西溪' : '滨江',
  aqi: 30 + i,
}));

/** A published entry of 公安局 with a dozen hosted records. */
async function publish(name: string, input: Record<string, unknown>): Promise<string> {
  const steward = await h.token('hz-gaj.steward');
  const created = await catalog('POST', '/v1/resources', {
    token: steward,
    body: {
      name,
      abstract: '用于统计开放数据使用情况的测试读数',
      themeCode: 'environment',
      format: 'database',
      sharingType: 'unconditional',
      sharingMethods: ['api', 'file'],
      updateCycle: 'daily',
      items: [
        { name: 'reading_id', label: '监测记录编号', dataType: 'string', isKey: true },
        { name: 'station', label: '监测站点', dataType: 'string' },
        { name: 'aqi', label: '空气质量指数', dataType: 'integer' },
      ],
      ...input,
    },
  });
  expect(created.status).toBe(201);
  const code = created.body.code as string;
  await catalog('POST', `/v1/resources/${code}/submit`, { token: steward });
  const approved = await catalog('POST', `/v1/resources/${code}/approve`, {
    token: await h.token('hz-dsj.approver'),
  });
  expect(approved.body.status).toBe('published');
  const pushed = await exchange('POST', `/v1/resources/${code}/records`, {
    token: await h.systemToken('hz-gaj-system'),
    body: { records: readings },
  });
  expect(pushed.body.accepted).toBe(readings.length);
  return code;
}

async function expectOk(res: { status: number }) {
  expect(res.status).toBe(200);
}

let mostUsed: string;
let downloaded: string;
let conditional: string;
let closed: string;
let previewed: string;
let retired: string;
let anyKey: string;
let anyKeyId: string;
let readOnlyKey: string;
let conditionalKey: string;

beforeAll(async () => {
  h = await startHarness();
  mostUsed = await publish('使用统计测试：常用读数', { openType: 'open' });
  downloaded = await publish('使用统计测试：常下载读数', { openType: 'open' });
  conditional = await publish('使用统计测试：有条件开放读数', {
    openType: 'conditional',
    openConditions: '须提交开放申请，经提供部门同意',
  });
  previewed = await publish('使用统计测试：只被浏览的读数', { openType: 'open' });
  closed = await publish('使用统计测试：不予开放读数', { openType: 'none' });
  retired = await publish('使用统计测试：已下线读数', { openType: 'open' });

  const developer = await h.token('developer');
  const created = await exchange('POST', '/v1/api-keys', {
    token: developer,
    body: { name: '统计测试', actions: ['read', 'download'], rateLimitPerSecond: 100 },
  });
  expect(created.status).toBe(201);
  ({
    key: anyKey,
    apiKey: { keyId: anyKeyId },
  } = created.body as { key: string; apiKey: { keyId: string } });
  const readOnly = await exchange('POST', '/v1/api-keys', {
    token: developer,
    body: { name: '只读', actions: ['read'], rateLimitPerSecond: 100 },
  });
  readOnlyKey = readOnly.body.key as string;

  // 有条件开放 data only reaches the key of an approved application
  const applied = await exchange('POST', '/v1/open-applications', {
    token: developer,
    body: {
      resourceCode: conditional,
      purpose: '空气质量研究',
      realName: '张伟',
      organisation: '杭州数智科技有限公司',
      contact: 'zhangwei@example.cn',
      intendedUse: '研究报告中的统计图表',
      actions: ['read', 'download'],
    },
  });
  expect(applied.status).toBe(201);
  await exchange('POST', `/v1/open-applications/${applied.body.id}/approve`, {
    token: await h.token('hz-gaj.steward'),
    body: { actions: ['read'] },
  });
  const claimed = await exchange('POST', `/v1/open-applications/${applied.body.id}/key`, {
    token: developer,
  });
  expect(claimed.status).toBe(201);
  conditionalKey = claimed.body.key as string;
});

afterAll(async () => {
  await h?.close();
});

describe('最常用数据: the public ranking of open datasets by recent use', () => {
  it('with no open-data calls yet the ranking is empty, not made up', async () => {
    const res = await popular();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ days: 30, items: [] });
  });

  it('ranks by API calls and downloads together; previews and refusals do not count', async () => {
    const base = (code: string) => `/v1/open/resources/${code}`;
    // mostUsed: two keys' record queries and a record get = 3 calls, one CSV download; and
    // anonymous previews, which are page views rather than use
    for (const key of [anyKey, readOnlyKey])
      await expectOk(await exchange('GET', `${base(mostUsed)}/records?limit=3`, withKey(key)));
    await expectOk(await exchange('GET', `${base(mostUsed)}/records/P0001`, withKey(anyKey)));
    await expectOk(await download(`${h.exchange.base}${base(mostUsed)}/download?format=csv`));
    for (let i = 0; i < 2; i++)
      await expectOk(await exchange('GET', `${base(mostUsed)}/preview?limit=5`));
    // downloaded: CSV anonymously, JSON and XLSX with a key = 3 downloads, no call
    await expectOk(await download(`${h.exchange.base}${base(downloaded)}/download?format=csv`));
    for (const format of ['json', 'xlsx'])
      await expectOk(
        await download(`${h.exchange.base}${base(downloaded)}/download?format=${format}`, {
          'x-api-key': anyKey,
        }),
      );
    // conditional: the approved application's key queries twice = 2 calls
    for (let i = 0; i < 2; i++)
      await expectOk(
        await exchange('GET', `${base(conditional)}/records?limit=2`, withKey(conditionalKey)),
      );
    // previewed: viewed often, never called nor downloaded
    for (let i = 0; i < 6; i++)
      await expectOk(await exchange('GET', `${base(previewed)}/preview?limit=2`));
    // refused: no key for the API, a key out of its scope or without `download` — refusals
    // are evidence, but not use
    expect((await exchange('GET', `${base(downloaded)}/records`)).status).toBe(401);
    for (let i = 0; i < 4; i++) {
      const outOfScope = await exchange('GET', `${base(conditional)}/records`, withKey(anyKey));
      expect(outOfScope.status).toBe(403);
      const noDownload = await download(`${h.exchange.base}${base(conditional)}/download`, {
        'x-api-key': conditionalKey,
      });
      expect(noDownload.status).toBe(403);
    }
    // retired: the most calls of all, then withdrawn from the directory
    for (let i = 0; i < 7; i++)
      await expectOk(await exchange('GET', `${base(retired)}/records?limit=2`, withKey(anyKey)));
    const retiredStep = await catalog('POST', `/v1/resources/${retired}/retire`, {
      token: await h.token('hz-gaj.steward'),
      body: { comment: '数据停止更新' },
    });
    expect(retiredStep.body.status).toBe('retired');
    // closed (不予开放): the open API denies it exists, whoever asks
    expect((await exchange('GET', `${base(closed)}/preview`)).status).toBe(404);
    expect((await exchange('GET', `${base(closed)}/records`, withKey(anyKey))).status).toBe(404);

    const res = await popular();
    expect(res.status).toBe(200);
    expect(res.body.items.map((i) => [i.code, i.calls, i.downloads])).toEqual([
      [mostUsed, 3, 1],
      [downloaded, 0, 3],
      [conditional, 2, 0],
    ]);
    expect(res.body.items[0]).toMatchObject({
      name: '使用统计测试：常用读数',
      openType: 'open',
      providerCode: 'hz-gaj',
      providerName: expect.stringContaining('公安局'),
    });
    expect(res.body.items[2]!.openType).toBe('conditional');
    expect(new Date(res.body.since).getTime()).toBeLessThan(Date.now() - 29 * 86_400_000);
  });

  it('never lists a resource that is not published and open, nor who called', async () => {
    const res = await popular('?limit=50&days=365');
    const codes = res.body.items.map((i) => i.code);
    expect(codes).not.toContain(closed);
    expect(codes).not.toContain(retired);
    expect(codes).not.toContain(previewed);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(anyKeyId);
    expect(text).not.toContain('anonymous');
    expect(text).not.toContain('api-key');
  });

  it('limit and days bound the answer; bad values are 400', async () => {
    const top = await popular('?limit=1');
    expect(top.body.items.map((i) => i.code)).toEqual([mostUsed]);
    const week = await popular('?days=7');
    expect(week.body.days).toBe(7);
    expect(week.body.items).toHaveLength(3);
    for (const query of ['?days=0', '?days=366', '?limit=0', '?limit=51', '?days=abc', '?who=me'])
      expect((await popular(query)).status, query).toBe(400);
  });

  it('entries older than the window are not counted', async () => {
    // the same database, read as if a month and a day had passed since the calls
    const later = new Date(Date.now() + 31 * 86_400_000);
    const month = await listPopularOpenResources({
      pool: h.db.pool,
      days: 30,
      limit: 8,
      now: later,
    });
    expect(month.items).toEqual([]);
    const quarter = await listPopularOpenResources({
      pool: h.db.pool,
      days: 90,
      limit: 8,
      now: later,
    });
    expect(quarter.items.map((i) => i.code)).toEqual([mostUsed, downloaded, conditional]);
  });
});

describe("a dataset's 近30天调用 / 下载", () => {
  it('counts the calls and downloads of one open dataset', async () => {
    expect((await usage(mostUsed)).body).toMatchObject({
      code: mostUsed,
      days: 30,
      calls: 3,
      downloads: 1,
    });
    expect((await usage(downloaded)).body).toMatchObject({ calls: 0, downloads: 3 });
    expect((await usage(previewed)).body).toMatchObject({ calls: 0, downloads: 0 });
  });

  it('answers 404 for what is not published and open, as the open API does', async () => {
    for (const code of [closed, retired, '209001001-002489129-999999'])
      expect((await usage(code)).status, code).toBe(404);
    expect((await usage('not-a-code')).status).toBe(400);
  });
});
