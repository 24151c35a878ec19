import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as catalogWorkflow from '@gx/catalog';
import { DEMO_PASSWORD, hashPassword, seedDemoDirectory } from '@gx/platform';
import { call, startHarness, type Harness, download as downloadUrl } from './harness.ts';

let h: Harness;
const catalog = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.catalog.base, method, path, options);
const exchange = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.exchange.base, method, path, options);
const withKey = (key: string) => ({ headers: { 'x-api-key': key } });

const download = (path: string, headers: Record<string, string> = {}) =>
  downloadUrl(`${h.exchange.base}${path}`, headers);

/** The receipt's payload, after checking its signature with the published keys. */
async function verifiedReceipt(jws: string | undefined) {
  expect(jws).toBeTruthy();
  const jwks = (await (
    await fetch(`${h.exchange.base}/.well-known/evidence-keys.json`)
  ).json()) as JSONWebKeySet;
  const { payload } = await compactVerify(jws!, createLocalJWKSet(jwks));
  return JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
}

const csvLines = (bytes: Buffer) => bytes.toString('utf8').slice(1).trimEnd().split('\r\n');

async function createKey(body: Record<string, unknown>) {
  const res = await exchange('POST', '/v1/api-keys', {
    token: await h.token('developer'),
    body: { rateLimitPerSecond: 100, ...body },
  });
  expect(res.status).toBe(201);
  return res.body as { apiKey: { id: string; keyId: string }; key: string };
}

/**
 * A key for 有条件开放 data, the only way there is: the developer applies, the provider's steward
 * approves (with `granted` actions), the developer claims the key.
 */
async function keyThroughApplication(token: string, resourceCode: string, granted: string[]) {
  const applied = await exchange('POST', '/v1/open-applications', {
    token,
    body: {
      resourceCode,
      purpose: '空气质量研究',
      realName: '张伟',
      organisation: '杭州数智科技有限公司',
      contact: 'zhangwei@example.cn',
      intendedUse: '研究报告中的统计图表',
      actions: ['read', 'download'],
    },
  });
  expect(applied.status).toBe(201);
  const approved = await exchange('POST', `/v1/open-applications/${applied.body.id}/approve`, {
    token: await h.token('hz-gaj.steward'),
    body: { actions: granted },
  });
  expect(approved.status).toBe(200);
  const claimed = await exchange('POST', `/v1/open-applications/${applied.body.id}/key`, {
    token,
  });
  expect(claimed.status).toBe(201);
  return claimed.body as { apiKey: { id: string; keyId: string }; key: string };
}

/** Another developer account (one application per developer and resource). */
async function anotherDeveloper(username: string) {
  await h.db.prisma.user.create({
    data: {
      username,
      displayName: '李娜',
      kind: 'developer',
      roles: ['developer'],
      passwordHash: await hashPassword(DEMO_PASSWORD),
    },
  });
  return h.token(username);
}

beforeAll(async () => {
  h = await startHarness();
  // the demo directory, as `npm start` seeds it (before any other entry: it seeds empty ones only)
  await seedDemoDirectory({ prisma: h.db.prisma, pool: h.db.pool, workflow: catalogWorkflow });
});

afterAll(async () => {
  await h?.close();
});

describe("the demo city's open air-quality data, as the portal uses it", () => {
  const NAME = '空气质量小时监测数据';
  let code: string;

  it('anonymous search for 空气质量 finds the hourly readings, 无条件开放', async () => {
    const res = await catalog('GET', `/v1/search?q=${encodeURIComponent('空气质量')}`);
    expect(res.status).toBe(200);
    const hit = res.body.items.find((i: { name: string }) => i.name === NAME);
    expect(hit).toMatchObject({ openType: 'open', status: 'published' });
    code = hit.code;
    // two words as a form (or Python's urlencode) writes them: `q=空气质量+小时`
    const form = await catalog('GET', `/v1/search?${new URLSearchParams({ q: '空气质量 小时' })}`);
    expect(form.status).toBe(200);
    expect(form.body.items.map((i: { code: string }) => i.code)).toContain(code);
  });

  it('anonymous preview pages through the readings with Chinese column labels', async () => {
    const first = await exchange('GET', `/v1/open/resources/${code}/preview?limit=20`);
    expect(first.status).toBe(200);
    expect(first.body.resource).toMatchObject({ code, name: NAME, openType: 'open' });
    const labels = first.body.columns.map((c: { label: string }) => c.label);
    expect(labels).toEqual(expect.arrayContaining(['监测时间', '空气质量指数', 'PM2.5浓度']));
    expect(first.body.items).toHaveLength(20);
    expect(first.body.items[0]).toEqual(
      expect.objectContaining({ observed_at: expect.any(String), aqi: expect.any(Number) }),
    );
    const second = await exchange(
      'GET',
      `/v1/open/resources/${code}/preview?limit=20&after=${first.body.nextCursor}`,
    );
    expect(second.body.items).toHaveLength(20);
    const ids = (page: { items: { reading_id: string }[] }) => page.items.map((i) => i.reading_id);
    expect(ids(second.body).some((id) => ids(first.body).includes(id))).toBe(false);
    expect((await exchange('GET', `/v1/open/resources/${code}/preview?limit=51`)).status).toBe(400);
  });

  it('anonymous CSV download: every reading, BOM, Chinese headers, a UTF-8 file name, a signed receipt', async () => {
    const { rows } = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM records WHERE resource_id = (SELECT id FROM resources WHERE code = $1)`,
      [code],
    );
    expect(rows[0]!.n).toBeGreaterThan(1000);
    const res = await download(`/v1/open/resources/${code}/download?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent(NAME)}.csv`,
    );
    expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csvLines(res.body);
    expect(
      lines[0]!.startsWith('监测记录编号,监测点位编码,监测点位名称,监测时间,空气质量指数'),
    ).toBe(true);
    expect(lines).toHaveLength(1 + rows[0]!.n);
    const receipt = await verifiedReceipt(res.trailers['evidence-receipt']);
    expect(receipt).toMatchObject({
      operation: 'open-data',
      resourceCode: code,
      recordCount: rows[0]!.n,
      deliveredDigest: createHash('sha256').update(res.body).digest('hex'),
    });
  });
});

describe("open data under each resource's open policy", () => {
  /** 40 readings; `inspector` is personal information */
  const readings = Array.from({ length: 40 }, (_, i) => ({
    reading_id: `R${String(i + 1).padStart(4, '0')}`,
    station: i % 2 === 0 ? '西溪' : '滨江',
    observed_at: `2026-11-20T${String(i % 24).padStart(2, '0')}:00:00+08:00`,
    aqi: 20 + i * 3,
    inspector: `测试员${i + 1}`,
  }));
  let openCode: string;
  let conditionalCode: string;
  let closedCode: string;
  let draftCode: string;
  let anyKey: string;
  let anyKeyId: string;
  let scopedKey: string;
  let scopedReadOnly: string;
  let otherKey: string;
  let downloadOnly: string;

  async function publish(
    input: Record<string, unknown>,
    submit = true,
    records: Record<string, unknown>[] = readings,
  ) {
    const steward = await h.token('hz-gaj.steward');
    const created = await catalog('POST', '/v1/resources', {
      token: steward,
      body: {
        abstract: '测试站点逐小时空气质量读数',
        themeCode: 'environment',
        format: 'database',
        sharingType: 'unconditional',
        sharingMethods: ['api', 'file'],
        updateCycle: 'realtime',
        items: [
          { name: 'reading_id', label: '监测记录编号', dataType: 'string', isKey: true },
          { name: 'station', label: '监测站点', dataType: 'string' },
          { name: 'observed_at', label: '监测时间', dataType: 'datetime' },
          { name: 'aqi', label: '空气质量指数', dataType: 'integer' },
          { name: 'inspector', label: '监测员姓名', dataType: 'string', isPersonal: true },
        ],
        ...input,
      },
    });
    expect(created.status).toBe(201);
    const code = created.body.code as string;
    if (!submit) return code;
    await catalog('POST', `/v1/resources/${code}/submit`, { token: steward });
    const approved = await catalog('POST', `/v1/resources/${code}/approve`, {
      token: await h.token('hz-dsj.approver'),
    });
    expect(approved.body.status).toBe('published');
    const pushed = await exchange('POST', `/v1/resources/${code}/records`, {
      token: await h.systemToken('hz-gaj-system'),
      body: { records },
    });
    expect(pushed.body.accepted).toBe(records.length);
    return code;
  }

  beforeAll(async () => {
    openCode = await publish({ name: '测试站点空气质量读数', openType: 'open' });
    conditionalCode = await publish({
      name: '测试站点空气质量原始读数',
      openType: 'conditional',
      openConditions: '须提交开放申请，说明用途，经提供部门同意',
    });
    closedCode = await publish({ name: '测试站点内部质控读数', openType: 'none' });
    draftCode = await publish({ name: '测试站点待发布读数', openType: 'open' }, false);
    ({
      key: anyKey,
      apiKey: { keyId: anyKeyId },
    } = await createKey({ name: '全部开放数据', actions: ['read', 'download'] }));
    ({ key: scopedKey } = await keyThroughApplication(await h.token('developer'), conditionalCode, [
      'read',
      'download',
    ]));
    ({ key: scopedReadOnly } = await keyThroughApplication(
      await anotherDeveloper('open-data-reader'),
      conditionalCode,
      ['read'],
    ));
    ({ key: otherKey } = await createKey({ name: '别的资源', resources: [closedCode] }));
    ({ key: downloadOnly } = await createKey({ name: '只下载', actions: ['download'] }));
  });

  it('anonymous preview of a 无条件开放 resource leaves personal items out', async () => {
    const res = await exchange('GET', `/v1/open/resources/${openCode}/preview?limit=5`);
    expect(res.status).toBe(200);
    expect(res.body.columns.map((c: { label: string }) => c.label)).toEqual([
      '监测记录编号',
      '监测站点',
      '监测时间',
      '空气质量指数',
    ]);
    expect(res.body.items).toEqual(readings.slice(0, 5).map(({ inspector: _, ...rest }) => rest));
    expect(res.headers.get('evidence-receipt')).toBeTruthy();
  });

  it('anonymous downloads: CSV with BOM and Chinese headers, JSON and XLSX that parse — no personal items', async () => {
    const csv = await download(`/v1/open/resources/${openCode}/download`);
    expect(csv.status).toBe(200);
    expect([...csv.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csvLines(csv.body);
    expect(lines[0]).toBe('监测记录编号,监测站点,监测时间,空气质量指数');
    expect(lines).toHaveLength(1 + readings.length);
    expect(lines[1]).toBe('R0001,西溪,2026-11-20T00:00:00+08:00,20');
    expect(csv.body.toString('utf8')).not.toContain('测试员');
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="${openCode}.csv"; filename*=UTF-8''${encodeURIComponent('测试站点空气质量读数')}.csv`,
    );

    const json = await download(`/v1/open/resources/${openCode}/download?format=json`);
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    const parsed = JSON.parse(json.body.toString('utf8')) as Record<string, unknown>[];
    expect(parsed).toEqual(readings.map(({ inspector: _, ...rest }) => rest));

    const xlsx = await download(`/v1/open/resources/${openCode}/download?format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain('.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      '监测记录编号',
      '监测站点',
      '监测时间',
      '空气质量指数',
    ]);
    expect(sheet.rowCount).toBe(1 + readings.length);
    expect(sheet.getRow(41).getCell(1).value).toBe('R0040');
    expect(sheet.getRow(41).getCell(4).value).toBe(readings[39]!.aqi);
    // 监测时间 (datetime, 2026-11-20T15:00:00+08:00) is an Excel date and time in Beijing time,
    // not ISO text: Excel keeps no zone, so the cell holds the wall clock
    expect(readings[39]!.observed_at).toBe('2026-11-20T15:00:00+08:00');
    expect(sheet.getRow(41).getCell(3).value).toEqual(new Date('2026-11-20T15:00:00Z'));
    expect(sheet.getRow(41).getCell(3).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    for (const res of [csv, json, xlsx]) {
      const receipt = await verifiedReceipt(res.trailers['evidence-receipt']);
      expect(receipt).toMatchObject({ operation: 'open-data', recordCount: readings.length });
    }
  });

  it('the open-data API: 401 without a key, 403 for a token or a key without read', async () => {
    const anonymous = await exchange('GET', `/v1/open/resources/${openCode}/records`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.contentType).toMatch(/problem\+json/);
    // the challenge names the key's header: a client is not sent looking for a bearer token
    expect(anonymous.headers.get('www-authenticate')).toBe(
      'ApiKey realm="gov-exchange", header="X-API-Key"',
    );
    const revoked = await exchange(
      'GET',
      `/v1/open/resources/${openCode}/records`,
      withKey(`${anyKey.slice(0, -4)}0000`),
    );
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toMatch(/^ApiKey /);
    const token = await exchange('GET', `/v1/open/resources/${openCode}/records`, {
      token: await h.token('hz-rsj.steward'),
    });
    expect(token.status).toBe(403);
    const noRead = await exchange(
      'GET',
      `/v1/open/resources/${openCode}/records`,
      withKey(downloadOnly),
    );
    expect(noRead.status).toBe(403);
    expect(noRead.body.detail).toContain('read');
  });

  it('a key queries with a filter, pages with the cursor, picks fields and gets one record', async () => {
    const filter = encodeURIComponent(JSON.stringify({ field: 'station', op: '=', value: '西溪' }));
    const seen: Record<string, unknown>[] = [];
    let after = '';
    for (let page = 0; page < 10; page += 1) {
      const res = await exchange(
        'GET',
        `/v1/open/resources/${openCode}/records?filter=${filter}&limit=7${after}`,
        withKey(anyKey),
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('evidence-receipt')).toBeTruthy();
      expect(res.headers.get('ratelimit-limit')).toBe('100');
      seen.push(...res.body.items);
      if (!res.body.nextCursor) break;
      after = `&after=${res.body.nextCursor}`;
    }
    expect(seen).toEqual(
      readings.filter((r) => r.station === '西溪').map(({ inspector: _, ...rest }) => rest),
    );
    // as form encoding writes it (URLSearchParams, Python's urlencode): spaces become `+`
    const form = new URLSearchParams({
      filter: JSON.stringify({ field: 'station', op: '=', value: '西溪' }, null, 1),
      limit: '1000',
    });
    expect(form.toString()).toContain('+');
    const formed = await exchange(
      'GET',
      `/v1/open/resources/${openCode}/records?${form}`,
      withKey(anyKey),
    );
    expect(formed.status, JSON.stringify(formed.body)).toBe(200);
    expect(formed.body.items).toEqual(seen);
    // as typed into curl or an address bar: `:` `,` `=` left as they are
    const typed = await exchange(
      'GET',
      `/v1/open/resources/${openCode}/records?limit=1000&filter={"field":"station","op":"=","value":"西溪"}`,
      withKey(anyKey),
    );
    expect(typed.status, JSON.stringify(typed.body)).toBe(200);
    expect(typed.body.items).toEqual(seen);

    const picked = await exchange(
      'GET',
      `/v1/open/resources/${openCode}/records?fields=reading_id,aqi&order=desc&limit=2`,
      withKey(anyKey),
    );
    expect(picked.body.items).toEqual([
      { reading_id: 'R0040', aqi: readings[39]!.aqi },
      { reading_id: 'R0039', aqi: readings[38]!.aqi },
    ]);

    const one = await exchange(
      'GET',
      `/v1/open/resources/${openCode}/records/R0003`,
      withKey(anyKey),
    );
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      reading_id: 'R0003',
      station: '西溪',
      observed_at: readings[2]!.observed_at,
      aqi: readings[2]!.aqi,
    });
    const receipt = await verifiedReceipt(one.headers.get('evidence-receipt') ?? undefined);
    expect(receipt).toMatchObject({
      operation: 'open-data',
      resourceCode: openCode,
      recordCount: 1,
    });
    expect(
      (await exchange('GET', `/v1/open/resources/${openCode}/records/R9999`, withKey(anyKey)))
        .status,
    ).toBe(404);
  });

  it('records come in the order of their keys: 站序 2 before 10, on every page, both ways, and in downloads', async () => {
    const stops = ['2路', '15路'].flatMap((route) =>
      Array.from({ length: 12 }, (_, i) => ({
        route,
        stop_seq: i + 1,
        stop_name: `${route}第${i + 1}站`,
      })),
    );
    // pushed in an order that is neither the key order nor the text order
    const pushedOrder = [...stops].sort(
      (a, b) => ((a.stop_seq * 7) % 12) - ((b.stop_seq * 7) % 12),
    );
    const code = await publish(
      {
        name: '测试公交线路站点',
        openType: 'open',
        items: [
          { name: 'route', label: '线路', dataType: 'string', isKey: true },
          { name: 'stop_seq', label: '站序', dataType: 'integer', isKey: true },
          { name: 'stop_name', label: '站点名称', dataType: 'string' },
        ],
      },
      true,
      pushedOrder,
    );
    // by route as text (15路 before 2路: code points), then by stop as a number
    const expected = ['15路', '2路'].flatMap((route) => stops.filter((s) => s.route === route));
    const label = (r: { route: string; stop_seq: number }) => `${r.route}-${r.stop_seq}`;

    const pages = async (path: string, order: 'asc' | 'desc') => {
      const seen: { route: string; stop_seq: number }[] = [];
      let after = '';
      for (let page = 0; page < 10; page += 1) {
        const res = await exchange(
          'GET',
          `${path}?limit=5&order=${order}${after}`,
          withKey(anyKey),
        );
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        seen.push(...res.body.items);
        if (!res.body.nextCursor) break;
        after = `&after=${res.body.nextCursor}`;
      }
      return seen.map(label);
    };
    const records = `/v1/open/resources/${code}/records`;
    expect(await pages(records, 'asc')).toEqual(expected.map(label));
    expect(await pages(records, 'desc')).toEqual(expected.map(label).reverse());

    const preview = await exchange('GET', `/v1/open/resources/${code}/preview?limit=4`);
    expect(preview.body.items.map(label)).toEqual(['15路-1', '15路-2', '15路-3', '15路-4']);

    // CSV without masks is written by COPY, JSON row by row: both in the same order
    const csv = csvLines((await download(`/v1/open/resources/${code}/download`)).body);
    expect(csv.slice(1).map((line) => line.split(',').slice(0, 2).join('-'))).toEqual(
      expected.map(label),
    );
    const json = await download(`/v1/open/resources/${code}/download?format=json`);
    expect((JSON.parse(json.body.toString('utf8')) as typeof stops).map(label)).toEqual(
      expected.map(label),
    );
  });

  it('refuses filters and fields outside the open policy, and bad input, with 4xx', async () => {
    const onPersonal = encodeURIComponent(
      JSON.stringify({ field: 'inspector', op: '=', value: '测试员1' }),
    );
    const personal = await exchange(
      'GET',
      `/v1/open/resources/${openCode}/records?filter=${onPersonal}`,
      withKey(anyKey),
    );
    expect(personal.status).toBe(400);
    expect(personal.body.detail).toContain('已开放');
    expect(personal.body.errors).toEqual([
      { path: '/filter/field', message: '字段 inspector 未开放或已脱敏，不能用于过滤' },
    ]);
    // a value of the wrong type is said to be that, not blamed on the field's openness
    const wrongType = await exchange(
      'GET',
      `/v1/open/resources/${openCode}/records?filter=${encodeURIComponent(JSON.stringify({ field: 'aqi', op: '>', value: 'abc' }))}`,
      withKey(anyKey),
    );
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.detail).toBe('过滤条件与字段类型不符');
    expect(wrongType.body.errors).toEqual([{ path: '/filter/value', message: '应为整数' }]);
    const fields = await exchange(
      'GET',
      `/v1/open/resources/${openCode}/records?fields=reading_id,inspector`,
      withKey(anyKey),
    );
    expect(fields.status).toBe(400);
    expect(fields.body.errors).toEqual([{ path: 'fields', message: '未开放字段 inspector' }]);
    // a projection of nothing is no answer (it gave records of no fields)
    const none = await exchange(
      'GET',
      `/v1/open/resources/${openCode}/records?fields=,`,
      withKey(anyKey),
    );
    expect(none.status).toBe(400);
    expect(none.body.errors).toEqual([
      { path: 'fields', message: '至少列出一个信息项，用英文逗号分隔' },
    ]);
    for (const query of ['filter=%7Bnot-json', 'after=bm90LWEtY3Vyc29y', 'limit=0', 'order=up']) {
      const res = await exchange(
        'GET',
        `/v1/open/resources/${openCode}/records?${query}`,
        withKey(anyKey),
      );
      expect(res.status, query).toBe(400);
      expect(res.contentType).toMatch(/problem\+json/);
    }
    const format = await download(`/v1/open/resources/${openCode}/download?format=pdf`);
    expect(format.status).toBe(400);
    // a parameter given twice is said to be that, not that its values are not numbers
    const twice = await exchange(
      'GET',
      `/v1/open/resources/${openCode}/records?limit=1&limit=2`,
      withKey(anyKey),
    );
    expect(twice.status).toBe(400);
    expect(twice.body.errors).toEqual([{ path: '/query/limit', message: '只能给出一次' }]);
    const wrong = await exchange(
      'GET',
      `/v1/open/resources/${openCode}/records?limit=abc`,
      withKey(anyKey),
    );
    expect(wrong.body.errors).toEqual([{ path: '/query/limit', message: '应为整数' }]);
  });

  it('a key whose scope does not cover the resource is refused (403)', async () => {
    const res = await exchange('GET', `/v1/open/resources/${openCode}/records`, withKey(otherKey));
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain(openCode);
  });

  it('有条件开放 is served only to the key an approved application yields', async () => {
    const anonymous = await exchange('GET', `/v1/open/resources/${conditionalCode}/preview`);
    expect(anonymous.status).toBe(401);
    expect((await download(`/v1/open/resources/${conditionalCode}/download`)).status).toBe(401);
    const wildcard = await exchange(
      'GET',
      `/v1/open/resources/${conditionalCode}/records`,
      withKey(anyKey),
    );
    expect(wildcard.status).toBe(403);
    expect(wildcard.body.detail).toContain('有条件开放');
    expect(wildcard.body.openConditions).toContain('开放申请');
    const selfMade = await exchange('POST', '/v1/api-keys', {
      token: await h.token('developer'),
      body: { name: '自建', resources: [conditionalCode] },
    });
    expect(selfMade.status).toBe(403);
    expect(selfMade.body.detail).toContain('开放申请');

    const records = await exchange(
      'GET',
      `/v1/open/resources/${conditionalCode}/records?limit=100`,
      withKey(scopedKey),
    );
    expect(records.status).toBe(200);
    expect(records.body.items).toHaveLength(readings.length);
    const preview = await exchange(
      'GET',
      `/v1/open/resources/${conditionalCode}/preview`,
      withKey(scopedReadOnly),
    );
    expect(preview.status).toBe(200);
    expect(preview.body.resource.openType).toBe('conditional');
    const readOnly = await download(`/v1/open/resources/${conditionalCode}/download`, {
      'x-api-key': scopedReadOnly,
    });
    expect(readOnly.status).toBe(403);
    const file = await download(`/v1/open/resources/${conditionalCode}/download`, {
      'x-api-key': scopedKey,
    });
    expect(file.status).toBe(200);
    expect(csvLines(file.body)).toHaveLength(1 + readings.length);
  });

  it('不予开放, unpublished and unknown resources all answer 404', async () => {
    const unknown = '206001001-002489129-999999';
    for (const code of [closedCode, draftCode, unknown]) {
      const preview = await exchange('GET', `/v1/open/resources/${code}/preview`);
      expect(preview.status, code).toBe(404);
      expect(preview.contentType).toMatch(/problem\+json/);
      expect((await download(`/v1/open/resources/${code}/download`)).status, code).toBe(404);
      const api = await exchange('GET', `/v1/open/resources/${code}/records`, withKey(anyKey));
      expect(api.status, code).toBe(404);
      // a key that names it does not change that
      const named = await exchange('GET', `/v1/open/resources/${code}/records`, withKey(otherKey));
      expect(named.status, code).toBe(404);
    }
    expect((await exchange('GET', '/v1/open/resources/not-a-code/preview')).status).toBe(400);
  });

  it("the provider's steward sets an open policy with a mask and a row filter; the API follows it", async () => {
    const steward = await h.token('hz-gaj.steward');
    const before = await exchange('GET', `/v1/resources/${openCode}/open-policy`, {
      token: steward,
    });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      isDefault: true,
      policy: { fields: ['reading_id', 'station', 'observed_at', 'aqi'] },
    });
    const policy = {
      fields: ['reading_id', 'station', 'aqi', 'inspector'],
      masks: { inspector: { kind: 'keep_first_last', first: 1, last: 0 } },
      rowFilter: { field: 'aqi', op: '>=', value: 80 },
    };
    const set = await exchange('PUT', `/v1/resources/${openCode}/open-policy`, {
      token: steward,
      body: policy,
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      isDefault: false,
      policy,
      updatedBy: 'user:hz-gaj.steward@hz-gaj',
    });

    const res = await exchange(
      'GET',
      `/v1/open/resources/${openCode}/records?limit=100`,
      withKey(anyKey),
    );
    expect(res.status).toBe(200);
    const expected = readings.filter((r) => r.aqi >= 80);
    expect(res.body.items).toEqual(
      expected.map((r) => ({
        reading_id: r.reading_id,
        station: r.station,
        aqi: r.aqi,
        inspector: `测${'*'.repeat([...r.inspector].length - 1)}`,
      })),
    );
    const csv = await download(`/v1/open/resources/${openCode}/download`);
    expect(csvLines(csv.body)[0]).toBe('监测记录编号,监测站点,空气质量指数,监测员姓名');
    expect(csvLines(csv.body)).toHaveLength(1 + expected.length);
    // a filter on a masked field would leak it
    const onMasked = encodeURIComponent(
      JSON.stringify({ field: 'inspector', op: 'prefix', value: '测试员1' }),
    );
    expect(
      (
        await exchange(
          'GET',
          `/v1/open/resources/${openCode}/records?filter=${onMasked}`,
          withKey(anyKey),
        )
      ).status,
    ).toBe(400);

    const reset = await exchange('DELETE', `/v1/resources/${openCode}/open-policy`, {
      token: steward,
    });
    expect(reset.body.isDefault).toBe(true);
    const after = await exchange(
      'GET',
      `/v1/open/resources/${openCode}/records?limit=100`,
      withKey(anyKey),
    );
    expect(after.body.items).toHaveLength(readings.length);
    expect(JSON.stringify(after.body)).not.toContain('测');
  });

  it('an open policy that does not fit the resource is refused with every problem', async () => {
    const steward = await h.token('hz-gaj.steward');
    const put = (body: unknown) =>
      exchange('PUT', `/v1/resources/${openCode}/open-policy`, { token: steward, body });
    const bad = await put({
      fields: ['reading_id', 'inspector', 'wind_speed'],
      masks: { observed_at: { kind: 'redact' } },
      rowFilter: { field: 'aqi', op: '>', value: '很高' },
    });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toMatch(/problem\+json/);
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/fields/1', '/fields/2', '/masks/observed_at']));
    expect(paths.some((p: string) => p.startsWith('/rowFilter'))).toBe(true);
    expect(bad.body.errors.find((e: { path: string }) => e.path === '/fields/1').message).toContain(
      '个人信息',
    );
    expect((await put({ fields: ['aqi'], purposes: ['OTHER'] })).status).toBe(400);
    expect((await put({ fields: [] })).status).toBe(400);
    const unchanged = await exchange('GET', `/v1/resources/${openCode}/open-policy`, {
      token: steward,
    });
    expect(unchanged.body.isDefault).toBe(true);
  });

  it("only the provider's steward reads and sets the open policy", async () => {
    const path = `/v1/resources/${openCode}/open-policy`;
    const body = { fields: ['reading_id'] };
    expect((await exchange('GET', path)).status).toBe(401);
    expect((await exchange('PUT', path, { body })).status).toBe(401);
    const other = await h.token('hz-rsj.steward');
    expect((await exchange('GET', path, { token: other })).status).toBe(404);
    expect((await exchange('PUT', path, { token: other, body })).status).toBe(403);
    expect((await exchange('PUT', path, { ...withKey(anyKey), body })).status).toBe(403);
    expect(
      (await exchange('PUT', path, { token: await h.token('hz-gaj.approver'), body })).status,
    ).toBe(403);
  });

  it('every open delivery, refusal and policy change is evidence, and the chain verifies', async () => {
    const { rows } = await h.db.pool.query<{
      operation: string;
      actor: string;
      access: string | null;
      record_count: string;
      delivered_digest: string | null;
    }>(
      `SELECT operation, actor, details->>'access' AS access, record_count, delivered_digest
         FROM evidence_entries WHERE resource_code = $1 ORDER BY seq`,
      [openCode],
    );
    const downloads = rows.filter((r) => r.operation === 'open-data' && r.access === 'download');
    expect(downloads.length).toBeGreaterThanOrEqual(4);
    expect(downloads.every((r) => r.actor === 'anonymous' && r.delivered_digest)).toBe(true);
    expect(downloads.map((r) => Number(r.record_count))).toContain(readings.length);
    const queries = rows.filter((r) => r.operation === 'open-data' && r.access === 'query');
    expect(queries.every((r) => r.actor === `api-key:${anyKeyId}`)).toBe(true);
    expect(queries.length).toBeGreaterThanOrEqual(4);
    expect(rows.some((r) => r.access === 'preview' && r.actor === 'anonymous')).toBe(true);
    expect(rows.filter((r) => r.access === 'policy').map((r) => r.actor)).toEqual([
      'user:hz-gaj.steward@hz-gaj',
      'user:hz-gaj.steward@hz-gaj',
    ]);
    // the key refused for its scope left a refusal
    expect(rows.some((r) => r.operation === 'refusal' && r.actor.startsWith('api-key:'))).toBe(
      true,
    );

    const verification = await exchange('GET', '/v1/evidence/verify', {
      token: await h.token('auditor'),
    });
    expect(verification.body.ok).toBe(true);
  });
});
