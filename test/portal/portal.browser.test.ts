import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as catalogWorkflow from '@gx/catalog';
import { freePort } from '@gx/platform/testing';
import { seedDemoDirectory } from '@gx/platform';
import { startHarness, type Harness } from '../harness.ts';
import { launchChromium } from './chromium.ts';
import {
  expectNoSidewaysScroll,
  expectOpenApiDescription,
  PHONE,
  phoneWidths,
  seriousViolations,
  shoot,
} from './pageChecks.ts';
import { startPortal, type RunningPortal } from './portalServer.ts';

const NAME = '空气质量小时监测数据';
/** a browser journey on a loaded two-core machine may take longer than the default 30 s */
const JOURNEY = { timeout: 120_000 };
/** evaluated in the page (the test's own TypeScript has no DOM types) */
const ROOT_FONT_SIZE = 'getComputedStyle(document.documentElement).fontSize';

let h: Harness;
let portal: RunningPortal;
let browser: Browser;
let code: string;
/** an open entry whose records were removed (see 'published before its data is loaded') */
let emptyCode: string;

beforeAll(async () => {
  h = await startHarness();
  await seedDemoDirectory({ prisma: h.db.prisma, pool: h.db.pool, workflow: catalogWorkflow });
  [portal, browser] = await Promise.all([
    startPortal({ catalogUrl: h.catalog.base, exchangeUrl: h.exchange.base }),
    launchChromium(),
  ]);
  const { rows } = await h.db.pool.query<{ code: string }>(
    'SELECT code FROM resources WHERE name = $1',
    [NAME],
  );
  code = rows[0]!.code;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await h?.close();
});

/** A fresh visitor: no cookies, a desktop window. */
async function visitor(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  return { context, page: await context.newPage() };
}

/** The preview table's first column values (the record numbers) and reading ids. */
async function previewRows(page: Page) {
  const table = page.locator('#preview table');
  const headers = await table.locator('thead th').allInnerTexts();
  const idColumn = headers.findIndex((h) => h.startsWith('监测记录编号'));
  const rows = await table.locator('tbody tr').all();
  return Promise.all(
    rows.map(async (row) => {
      const cells = await row.locator('td').allInnerTexts();
      return { n: Number(cells[0]), id: cells[idColumn]! };
    }),
  );
}

describe('an anonymous visitor', JOURNEY, () => {
  it('searches 空气质量 on the home page, opens the dataset, pages the preview, sees the chart and downloads the CSV', async () => {
    const { context, page } = await visitor();
    const home = await page.goto(`${portal.base}/`);
    expect(home?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expect.poll(() => page.title()).toContain('杭州市公共数据开放平台');
    // nothing has been called or downloaded yet: 最常用数据 says so and lists the newest instead
    expect(await page.locator('section[aria-labelledby="popular-title"]').innerText()).toContain(
      '近 30 天还没有数据被调用或下载',
    );
    await shoot(page, 'home');

    await page.getByLabel('搜索开放数据').fill('空气质量');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/\/search\?q=/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('空气质量');
    const hit = page.getByRole('link', { name: NAME, exact: true });
    await expect.poll(() => hit.count()).toBe(1);
    await shoot(page, 'search');

    await hit.click();
    await page.waitForURL(`**/datasets/${code}`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(NAME);
    expect(await page.locator('.dataset-badges').innerText()).toContain('无条件开放');
    expect(await page.locator('.key-facts').innerText()).toMatch(/更新周期\s*实时/);

    // the first preview page: records 1–20, in the exchange's order
    const api = (await (
      await fetch(`${h.exchange.base}/v1/open/resources/${code}/preview?limit=40`)
    ).json()) as { items: { reading_id: string }[] };
    const first = await previewRows(page);
    expect(first.map((r) => r.n)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(first.map((r) => r.id)).toEqual(api.items.slice(0, 20).map((i) => i.reading_id));

    // the chart: an SVG time series of the air-quality index, with its data as a table
    const chart = page.locator('figure.chart');
    expect(await chart.locator('figcaption').innerText()).toContain('空气质量指数随监测时间的变化');
    const points = await chart.locator('svg[role="img"] polyline').first().getAttribute('points');
    expect(points!.trim().split(/\s+/).length).toBeGreaterThan(20);
    await shoot(page, 'dataset');

    // the next page of the preview, with the page in the URL
    await page
      .locator('#preview')
      .getByRole('link', { name: /下一页/ })
      .click();
    await page.waitForURL(/[?&]page=2/);
    const second = await previewRows(page);
    expect(second.map((r) => r.n)).toEqual(Array.from({ length: 20 }, (_, i) => i + 21));
    expect(second.map((r) => r.id)).toEqual(api.items.slice(20, 40).map((i) => i.reading_id));

    // the CSV download, straight from the exchange: BOM, Chinese headers, every reading
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /CSV 格式/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${NAME}.csv`);
    const bytes = await readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^监测记录编号,监测点位编码,监测点位名称,监测时间,空气质量指数/);
    const { rows } = await h.db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM records WHERE resource_id = (SELECT id FROM resources WHERE code = $1)',
      [code],
    );
    expect(lines).toHaveLength(1 + rows[0]!.n);
    expect(lines[1]!.startsWith(`${api.items[0]!.reading_id},`)).toBe(true);

    // a page past the last record says so, and leads back (not 暂无可预览的记录): on an open
    // dataset whose records end before the preview's 25 pages
    const small = await h.db.pool.query<{ code: string; n: number }>(
      `SELECT r.code, count(*)::int AS n FROM resources r JOIN records d ON d.resource_id = r.id
        WHERE r.status = 'published' AND r.open_type = 'open'
        GROUP BY r.code HAVING count(*) BETWEEN 21 AND 400 ORDER BY r.code LIMIT 1`,
    );
    const beyond = Math.floor(small.rows[0]!.n / 20) + 2;
    await page.goto(`${portal.base}/datasets/${small.rows[0]!.code}?page=${beyond}`);
    const notice = page.locator('#preview .notice');
    expect(await notice.innerText()).toContain('这一页已超出该数据集的记录范围');
    await notice.getByRole('link', { name: '回到第一页' }).click();
    await expect.poll(async () => (await previewRows(page)).length).toBe(20);
    await context.close();
  });

  it('copies a ready-made request from the API tab that the exchange answers', async () => {
    const { context, page } = await visitor();
    await page.goto(`${portal.base}/datasets/${code}?tab=api`);
    const operation = page.locator('section.api-operation', {
      has: page.getByRole('heading', { name: /\/preview$/ }),
    });
    const curl = await operation.locator('pre').first().innerText();
    expect(curl).toContain(`${h.exchange.base}/v1/open/resources/${code}/preview`);
    // anonymous on a 无条件开放 dataset: no key in the request
    expect(curl).not.toContain('X-API-Key');
    const url = /'(http[^']+)'/.exec(curl)![1]!;
    const answer = await fetch(url);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { resource: { name: string } }).resource.name).toBe(NAME);

    const records = page.locator('section.api-operation', {
      has: page.getByRole('heading', { name: /\/records$/ }),
    });
    expect(await records.locator('pre').first().innerText()).toContain('X-API-Key: <你的 API Key>');
    expect(await records.locator('pre').nth(1).innerText()).toContain(
      "client.GET('/v1/open/resources/{code}/records'",
    );
    // the types the TypeScript examples import are generated from a description linked here
    await expectOpenApiDescription(page, h.catalog.base);
    // the spec's summary in the visitor's language only (it reads `中文 / English`)
    const summary = await operation.locator('p').first().innerText();
    expect(summary).toContain('数据预览');
    expect(summary).not.toContain(' / ');
    await shoot(page, 'dataset-api');

    // a dataset keyed by several fields: the one-record example names a real record, its key
    // a JSON array of the key values (not the first value alone, which answers 404)
    const composite = await h.db.pool.query<{ code: string; id: string }>(
      `SELECT r.code, r.id::text FROM resources r JOIN resource_schema_versions v
          ON v.resource_id = r.id AND v.version = r.schema_version
        WHERE r.status = 'published' AND r.open_type = 'open'
          AND jsonb_array_length(v.json_schema -> 'x-key') > 1
          AND EXISTS (SELECT 1 FROM records d WHERE d.resource_id = r.id)
        ORDER BY r.code LIMIT 1`,
    );
    const { code: compositeCode, id: compositeId } = composite.rows[0]!;
    await page.goto(`${portal.base}/datasets/${compositeCode}?tab=api`);
    const one = page.locator('section.api-operation', {
      has: page.getByRole('heading', { name: /\/records\/\{key\}$/ }),
    });
    const oneCurl = await one.locator('pre').first().innerText();
    const path = new URL(/'(http[^']+)'/.exec(oneCurl)![1]!).pathname;
    const key = decodeURIComponent(path.split('/').pop()!);
    expect(JSON.parse(key)).toHaveLength(2);
    const stored = await h.db.pool.query(
      'SELECT 1 FROM records WHERE resource_id = $1 AND record_key = $2',
      [compositeId, key],
    );
    expect(stored.rowCount).toBe(1);
    await context.close();
  });

  it("lists every department with open data, more than the catalog's 30 facet buckets, on every page", async () => {
    const { rows } = await h.db.pool.query<{ n: number }>(
      `SELECT count(DISTINCT provider_id)::int AS n FROM resources
        WHERE status = 'published' AND open_type::text <> 'none'`,
    );
    const providers = rows[0]!.n;
    expect(providers).toBeGreaterThan(30);
    const { context, page } = await visitor();
    await page.goto(`${portal.base}/departments`);
    expect(await page.locator('table.data-table tbody tr').count()).toBe(providers);
    await page.goto(portal.base);
    const figure = page.locator('li', {
      has: page.locator('.figure-label', { hasText: '提供部门' }),
    });
    expect(await figure.locator('.figure-value').innerText()).toBe(String(providers));
    // the search page's 提供部门 offers every one of them (the first few, the rest under 更多)
    await page.goto(`${portal.base}/search`);
    const group = page.locator('.facet-group', {
      has: page.locator('h3', { hasText: '提供部门' }),
    });
    expect(await group.locator('.facet-link').count()).toBe(providers);
    await context.close();
  });

  it("charts 公交线路与站点's fares per route, not an average of its key 站序", async () => {
    const { rows } = await h.db.pool.query<{ code: string }>(
      `SELECT code FROM resources WHERE name = '公交线路与站点' AND status = 'published'
        ORDER BY code LIMIT 1`,
    );
    const { context, page } = await visitor();
    await page.goto(`${portal.base}/datasets/${rows[0]!.code}`);
    const chart = page.locator('figure.chart');
    const caption = await chart.locator('figcaption').innerText();
    expect(caption).toContain('各线路名称的票价');
    expect(caption).not.toContain('站序');
    await chart.getByText('以表格查看图表数据').click();
    expect(await chart.locator('table thead').innerText()).not.toContain('站序');
    await shoot(page, 'dataset-bars');
    await context.close();
  });

  it('gets the Chinese 404 page, with status 404, for unknown datasets and pages', async () => {
    const { context, page } = await visitor();
    for (const target of [
      `/datasets/${code.replace(/\d{6}$/, '999999')}`,
      '/datasets/no-such-code',
      '/datasets/NOPE-123',
      '/departments/no-such-department',
      '/themes/no-such-theme',
      '/no/such/page',
    ]) {
      const response = await page.goto(`${portal.base}${target}`);
      expect(response?.status(), target).toBe(404);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('页面不存在');
      // the tab and the history say so too, not only the page
      expect(await page.title(), target).toBe('页面不存在 · 杭州市公共数据开放平台');
      expect(await page.getByRole('link', { name: '返回首页' }).count()).toBe(1);
    }
    await shoot(page, 'not-found');
    await context.addCookies([{ name: 'gx_lang', value: 'en', url: portal.base }]);
    await page.goto(`${portal.base}/datasets/NOPE-123`);
    expect(await page.title()).toBe('Page not found · Hangzhou Public Data Open Platform');
    await context.close();
  });

  it("reads the dataset's change history in words: 资源分类 by its theme, 目 and 细目, no JSON pointers", async () => {
    const themes = (await (await fetch(`${h.catalog.base}/v1/themes`)).json()) as {
      items: { name: string; classCode: string }[];
    };
    const theme = themes.items.find((t) => t.classCode === code.slice(0, 3))!.name;
    const { context, page } = await visitor();
    expect((await page.goto(`${portal.base}/datasets/${code}?tab=history`))?.status()).toBe(200);
    const history = page.locator('section[aria-labelledby="history-title"]');
    // the creation, oldest and so last, opened as a visitor would
    const created = history.locator('ol > li').last();
    await created.locator('summary').click();
    const rows = await created.locator('.history-diff li').allInnerTexts();
    expect(rows.find((r) => r.startsWith('资源分类'))).toContain(
      `${theme} · 目 ${code.slice(3, 6)} · 细目 ${code.slice(6, 9)}`,
    );
    expect(rows.find((r) => r.startsWith('资源名称'))).toContain(NAME);
    const text = await history.innerText();
    expect(text).not.toContain('/subClassCode');
    expect(text).not.toMatch(/(^|\s)\/[a-zA-Z]/m);
    await context.close();
  });

  it('reads the main pages on a 375 px wide phone without scrolling sideways', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    const widths = await phoneWidths(page, portal.base, [
      '/',
      `/search?q=${encodeURIComponent('空气')}`,
      `/datasets/${code}`,
    ]);
    await shoot(page, 'dataset-phone');
    expectNoSidewaysScroll(widths);
    await context.close();
  });

  it('gets a friendly empty result for a nonsense search, and hostile input stays text', async () => {
    const { context, page } = await visitor();
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    const response = await page.goto(
      `${portal.base}/search?q=${encodeURIComponent('qzxwvkjhgfdp')}`,
    );
    expect(response?.status()).toBe(200);
    expect(await page.locator('.empty-result h2').innerText()).toBe(
      '没有找到与“qzxwvkjhgfdp”相关的数据集',
    );
    expect(await page.getByRole('link', { name: '浏览全部开放数据' }).count()).toBe(1);
    await shoot(page, 'search-empty');

    // a trimmed dataset address (`/datasets`) lands on the search, with its query
    await page.goto(`${portal.base}/datasets?q=${encodeURIComponent('qzxwvkjhgfdp')}`);
    expect(new URL(page.url()).pathname).toBe('/search');
    expect(await page.locator('.empty-result h2').innerText()).toBe(
      '没有找到与“qzxwvkjhgfdp”相关的数据集',
    );

    const hostile = '<img src=x onerror=alert(1)>';
    await page.goto(
      `${portal.base}/search?q=${encodeURIComponent(hostile)}&page=abc&theme=${'x'.repeat(300)}`,
    );
    expect(await page.getByLabel('搜索开放数据').inputValue()).toBe(hostile);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toBe(0);
    await context.close();
  });

  it('sorts a search by 最新发布 without JavaScript, kept across pages, filters and new words', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    /** the names of one page of the catalog's answer to a search, in its order */
    const catalogPage = async (query: Record<string, string>) => {
      const answer = await fetch(
        `${h.catalog.base}/v1/search?${new URLSearchParams({ pageSize: '10', ...query })}`,
      );
      return ((await answer.json()) as { items: { name: string }[] }).items.map((i) => i.name);
    };
    const shown = () => page.locator('.dataset-card-title').allInnerTexts();
    const url = () => new URL(page.url()).searchParams;
    const q = '数据';
    await page.goto(`${portal.base}/search?q=${encodeURIComponent(q)}`);
    const sort = page.getByRole('group', { name: '排序' });
    expect(await sort.locator('[aria-current="true"]').innerText()).toBe('相关度');
    const byRelevance = await shown();
    expect(byRelevance).toEqual(await catalogPage({ q }));

    await sort.getByRole('link', { name: '最新发布' }).click();
    await page.waitForURL(/[?&]sort=recent/);
    expect(await sort.locator('[aria-current="true"]').innerText()).toBe('最新发布');
    expect(await sort.getByRole('link', { name: '相关度' }).count()).toBe(1);
    const newest = await shown();
    expect(newest).toEqual(await catalogPage({ q, sort: 'recent' }));
    expect(newest).not.toEqual(byRelevance);
    await shoot(page, 'search-sorted');

    // the next page, a facet and clearing the facets keep the order
    await page.locator('.pagination').getByRole('link', { name: '第 2 页' }).click();
    await page.waitForURL(/[?&]page=2/);
    expect(url().get('sort')).toBe('recent');
    expect(await shown()).toEqual(await catalogPage({ q, sort: 'recent', page: '2' }));
    const openness = page.locator('.facet-group', {
      has: page.locator('h3', { hasText: '开放属性' }),
    });
    await openness.locator('.facet-link').first().click();
    await page.waitForURL(/[?&]openType=/);
    expect(url().get('sort')).toBe('recent');
    expect(url().get('page')).toBeNull();
    expect(await sort.locator('[aria-current="true"]').innerText()).toBe('最新发布');
    await page.getByRole('link', { name: '清除全部筛选' }).click();
    await page.waitForURL((u) => !u.searchParams.has('openType'));
    expect(url().get('sort')).toBe('recent');

    // new words in the search box are sorted the same way
    await page.getByLabel('搜索开放数据').fill('信息');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.waitForURL(/[?&]q=%E4%BF%A1%E6%81%AF/);
    expect(url().get('sort')).toBe('recent');
    expect(await shown()).toEqual(await catalogPage({ q: '信息', sort: 'recent' }));

    // in English
    await context.addCookies([{ name: 'gx_lang', value: 'en', url: portal.base }]);
    await page.reload();
    const english = page.getByRole('group', { name: 'Sort by' });
    expect(await english.locator('[aria-current="true"]').innerText()).toBe('Newly published');
    expect(await english.getByRole('link', { name: 'Relevance' }).count()).toBe(1);
    await context.close();
  });

  it('reaches the content with the keyboard: the skip link comes first', async () => {
    const { context, page } = await visitor();
    await page.goto(`${portal.base}/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('跳到主要内容');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');
    await context.close();
  });
});

describe('display preferences', JOURNEY, () => {
  it('keeps 长辈模式 (larger text, higher contrast) across pages and visits', async () => {
    const { context, page } = await visitor();
    await page.goto(`${portal.base}/search?q=${encodeURIComponent('空气质量')}`);
    const normalSize = await page.evaluate<string>(ROOT_FONT_SIZE);
    const toggle = page.getByRole('button', { name: /长辈模式/ });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    await expect.poll(() => page.locator('html').getAttribute('data-elder')).toBe('true');
    await page.waitForLoadState();
    // back on the page the visitor was on
    expect(new URL(page.url()).searchParams.get('q')).toBe('空气质量');
    expect(await page.getByRole('button', { name: /长辈模式/ }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    const elderSize = await page.evaluate<string>(ROOT_FONT_SIZE);
    expect(parseFloat(elderSize)).toBeGreaterThan(parseFloat(normalSize));

    // another page, and another tab of the same browser: still in 长辈模式, rendered so
    const other = await context.newPage();
    const response = await other.goto(`${portal.base}/datasets/${code}`);
    expect(await response!.text()).toContain('data-elder="true"');
    expect(await other.locator('html').getAttribute('data-elder')).toBe('true');
    await shoot(other, 'dataset-elder');
    await other.goto(`${portal.base}/`);
    await shoot(other, 'home-elder');

    await other.getByRole('button', { name: /长辈模式/ }).click();
    await expect.poll(() => other.locator('html').getAttribute('data-elder')).toBeNull();
    await page.reload();
    expect(await page.locator('html').getAttribute('data-elder')).toBeNull();
    await context.close();
  });

  it('switches to English, and the choice persists', async () => {
    const { context, page } = await visitor();
    await page.goto(`${portal.base}/`);
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
      'Open data for everyone',
    );
    await shoot(page, 'home-en');

    await page.goto(`${portal.base}/datasets/${code}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('navigation', { name: 'Dataset sections' }).innerText()).toContain(
      'Overview',
    );
    // the data stays as the department wrote it
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(NAME);
    // labels and their text are joined the English way (it read Downloads：CSV)
    const downloadNames = await page.locator('.download-name').allInnerTexts();
    expect(downloadNames.length).toBeGreaterThan(0);
    for (const name of downloadNames) expect(name).toMatch(/^Download\w*: \S/);

    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByRole('navigation', { name: '数据集内容' }).count()).toBe(1);
    await context.close();
  });
});

describe('最常用数据 on the home page', JOURNEY, () => {
  it('lists the dataset developers used most first, with its calls and downloads', async () => {
    // another open dataset with records than the journey's: called and downloaded the most
    const { rows } = await h.db.pool.query<{ code: string; name: string }>(
      `SELECT r.code, r.name FROM resources r
        WHERE r.status = 'published' AND r.open_type = 'open' AND r.name <> $1
          AND EXISTS (SELECT 1 FROM records x WHERE x.resource_id = r.id)
        ORDER BY r.code LIMIT 1`,
      [NAME],
    );
    const used = rows[0]!;
    const created = await fetch(`${h.exchange.base}/v1/api-keys`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await h.token('developer')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: '门户测试', actions: ['read', 'download'] }),
    });
    const { key } = (await created.json()) as { key: string };
    const open = `${h.exchange.base}/v1/open/resources/${used.code}`;
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${open}/records?limit=5`, { headers: { 'x-api-key': key } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    for (const format of ['csv', 'json']) {
      const res = await fetch(`${open}/download?format=${format}`);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    // 空气质量 is downloaded once more (the journey downloaded it too): used, but less
    const air = await fetch(`${h.exchange.base}/v1/open/resources/${code}/download?format=json`);
    expect(air.status).toBe(200);
    await air.arrayBuffer();
    const ranking = (await (await fetch(`${h.exchange.base}/v1/open/popular`)).json()) as {
      items: { code: string; calls: number; downloads: number }[];
    };
    expect(ranking.items[0]).toMatchObject({ code: used.code, calls: 4, downloads: 2 });

    const { context, page } = await visitor();
    await page.goto(`${portal.base}/`);
    const popular = page.getByTestId('popular-list');
    const first = popular.locator('li').first();
    expect(await first.getByRole('heading', { level: 3 }).innerText()).toBe(used.name);
    expect(await first.innerText()).toContain('近30天调用 4 次 · 下载 2 次');
    // 空气质量 is listed too, below the most used
    const names = await popular.getByRole('heading', { level: 3 }).allInnerTexts();
    expect(names.indexOf(NAME)).toBeGreaterThan(0);
    await shoot(page, 'home-popular');

    await first.getByRole('link', { name: used.name }).click();
    await page.waitForURL(`**/datasets/${used.code}`);
    expect(await page.getByTestId('dataset-usage').innerText()).toBe('近30天调用 4 次 · 下载 2 次');
    await context.close();
  });
  it('still shows the home page when only the exchange is down, saying the figures are missing', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const noExchange = await startPortal({ catalogUrl: h.catalog.base, exchangeUrl: nowhere });
    try {
      const { context, page } = await visitor();
      expect((await page.goto(`${noExchange.base}/`))?.status()).toBe(200);
      const section = page.locator('section[aria-labelledby="popular-title"]');
      expect(await section.innerText()).toContain('使用统计暂时无法读取，先列出最新发布的数据集');
      expect(await section.locator('.dataset-card').count()).toBeGreaterThan(0);
      await context.close();
    } finally {
      await noExchange.close();
    }
  });
});

describe('an open dataset published before its data is loaded', JOURNEY, () => {
  it('says 暂无数据 with the reason, in Chinese and English, and offers no download or preview', async () => {
    // a department published the entry and has not loaded records yet (the refresh time left
    // from the demo must not read as data either)
    const { rows } = await h.db.pool.query<{ code: string }>(
      `SELECT r.code FROM resources r JOIN departments d ON d.id = r.provider_id
        WHERE r.name = '博物馆名录' AND d.code = 'hz-wgly' AND r.status = 'published'`,
    );
    emptyCode = rows[0]!.code;
    await h.db.pool.query(
      'DELETE FROM records WHERE resource_id = (SELECT id FROM resources WHERE code = $1)',
      [emptyCode],
    );
    const { context, page } = await visitor();
    expect((await page.goto(`${portal.base}/datasets/${emptyCode}`))?.status()).toBe(200);
    const notice = page.getByTestId('no-data');
    expect(await notice.getByRole('heading', { level: 2 }).innerText()).toBe('暂无数据');
    expect(await notice.innerText()).toContain('尚未汇聚数据');
    expect(await page.locator('a.download-link').count()).toBe(0);
    expect(await page.locator('#preview').count()).toBe(0);
    expect(await page.locator('.key-facts').innerText()).toMatch(/数据最后更新\s*尚无数据/);
    // the fields are still described, so a developer knows what is coming
    expect(await page.locator('section[aria-labelledby="items-title"] tbody tr').count()).toBe(6);
    await shoot(page, 'dataset-no-data');

    await context.addCookies([{ name: 'gx_lang', value: 'en', url: portal.base }]);
    await page.goto(`${portal.base}/datasets/${emptyCode}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await notice.getByRole('heading', { level: 2 }).innerText()).toBe('No data yet');
    expect(await page.locator('a.download-link').count()).toBe(0);
    await context.close();
  });
});

describe('accessibility (axe-core, WCAG 2.1 A and AA)', JOURNEY, () => {
  const pages = () => [
    ['home', '/'],
    ['search', `/search?q=${encodeURIComponent('空气质量')}`],
    ['dataset', `/datasets/${code}`],
    ['dataset without data', `/datasets/${emptyCode}`],
    ['dataset API tab', `/datasets/${code}?tab=api`],
    ['404', '/datasets/no-such-code'],
  ];

  for (const elder of [false, true]) {
    it(`finds no serious or critical violation on the main pages${elder ? ' in 长辈模式' : ''}`, async () => {
      const { context, page } = await visitor();
      if (elder) await context.addCookies([{ name: 'gx_elder', value: '1', url: portal.base }]);
      const found: Record<string, string[]> = {};
      for (const [name, target] of pages()) {
        await page.goto(`${portal.base}${target}`);
        expect(await page.locator('html').getAttribute('data-elder')).toBe(elder ? 'true' : null);
        found[name!] = await seriousViolations(page);
      }
      expect(found).toEqual(Object.fromEntries(pages().map(([name]) => [name, []])));
      await context.close();
    });
  }
});

describe('a dataset harvested from another catalogue', JOURNEY, () => {
  it('says its data is in the source catalogue, links there, and offers no download, preview or API request', async () => {
    // an open entry becomes a harvested copy, as a harvest of 临安区's catalogue writes one
    const { rows } = await h.db.pool.query<{ code: string }>(
      `SELECT code FROM resources
        WHERE status = 'published' AND open_type = 'open' AND harvest_source_id IS NULL
          AND name NOT IN ($1, '公交线路与站点', '博物馆名录')
        ORDER BY code LIMIT 1`,
      [NAME],
    );
    const harvested = rows[0]!.code;
    const source = await h.db.pool.query<{ id: string }>(
      `INSERT INTO harvest_sources (name, type, url, region_id, fallback_theme_code, created_by)
       SELECT '临安区公共数据开放目录', 'dcat', 'https://data.linan.example/catalog.ttl', id,
              'population', 'test'
         FROM regions ORDER BY code LIMIT 1
       RETURNING id`,
    );
    const sourcePage = 'https://data.linan.example/dataset/bus-stops';
    await h.db.pool.query(
      `UPDATE resources SET harvest_source_id = $2, harvest_identifier = 'bus-stops',
                            harvest_source_url = $3, harvested_at = now()
        WHERE code = $1`,
      [harvested, source.rows[0]!.id, sourcePage],
    );
    const { context, page } = await visitor();
    expect((await page.goto(`${portal.base}/datasets/${harvested}`))?.status()).toBe(200);
    const notice = page.getByTestId('harvested');
    expect(await notice.getByRole('heading', { level: 2 }).innerText()).toBe('数据由来源目录提供');
    expect(await notice.innerText()).toContain('本数据集采集自「临安区公共数据开放目录」');
    expect(
      await notice
        .getByRole('link', { name: '到「临安区公共数据开放目录」查看本数据集' })
        .getAttribute('href'),
    ).toBe(sourcePage);
    // nothing that the exchange would answer 本平台不保存其数据
    expect(await page.locator('a.download-link').count()).toBe(0);
    expect(await page.locator('#preview').count()).toBe(0);
    await page.goto(`${portal.base}/datasets/${harvested}?tab=api`);
    expect(await page.getByTestId('harvested').count()).toBe(1);
    expect(await page.locator('.code-sample').count()).toBe(0);
    await shoot(page, 'dataset-harvested');
    await context.close();
  });
});

describe('when the APIs are down', JOURNEY, () => {
  it('says 服务暂不可用, without any technical detail', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const down = await startPortal({ catalogUrl: nowhere, exchangeUrl: nowhere });
    try {
      const { context, page } = await visitor();
      for (const target of ['/', '/search?q=%E5%85%AC%E4%BA%A4', `/datasets/${code}`]) {
        await page.goto(`${down.base}${target}`);
        expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('服务暂不可用');
        const text = await page.locator('body').innerText();
        expect(text).not.toMatch(/ECONNREFUSED|fetch failed|Error:|at .*\.ts/);
      }
      await shoot(page, 'unavailable');
      await context.close();
    } finally {
      await down.close();
    }
  });
});
