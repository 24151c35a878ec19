// The developer center in real Chromium against the real identity provider and exchange: sign
// up on the provider's page, create / rotate / revoke an API key in the portal and call the
// open-data API with it, the usage chart, signed-out and tampered sessions, axe-core.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@gx/platform';
import { PORTAL_CLIENT_ID } from '@gx/platform/identity-provider';
import { passwordLogin } from '@gx/platform/testing';
import { seal } from '../../portal/src/lib/auth/sessionCrypto.ts';
import { call, type Harness } from '../harness.ts';
import { publishEmptyOpenDataset } from '../fixtures.ts';
import { signInToConsole } from './console.ts';
import { startPortalJourney } from './journey.ts';
import {
  expectNoSidewaysScroll,
  expectOpenApiDescription,
  PHONE,
  phoneWidths,
  seriousViolations,
  shoot,
} from './pageChecks.ts';
import type { RunningPortal } from './portalServer.ts';

const JOURNEY = { timeout: 180_000 };
const DATASET = '空气质量小时监测数据';
/**
 * The portal under test encrypts its session cookie with this, and so does this test process
 * (the portal's own sealing code, reading the same variable) to hand the browser a session whose
 * access token has run out.
 */
const SESSION_SECRET = 'developer-center-test-secret-0123456789';
process.env.PORTAL_SESSION_SECRET = SESSION_SECRET;

let h: Harness;
let portal: RunningPortal;
let browser: Browser;
let code: string;

beforeAll(async () => {
  ({ h, portal, browser } = await startPortalJourney(SESSION_SECRET));
  const { rows } = await h.db.pool.query<{ code: string }>(
    'SELECT code FROM resources WHERE name = $1',
    [DATASET],
  );
  code = rows[0]!.code;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await h?.close();
});

/** The open-data records API, called as a developer's program calls it. */
async function callRecords(key: string): Promise<number> {
  const res = await fetch(`${h.exchange.base}/v1/open/resources/${code}/records?limit=5`, {
    headers: { 'X-API-Key': key },
  });
  await res.arrayBuffer();
  return res.status;
}

/**
 * How many lines the text of each element `selector` finds takes on the screen (evaluated in the
 * page: the test's own TypeScript has no DOM types).
 */
async function linesOf(page: Page, selector: string): Promise<number[]> {
  return page.evaluate<number[]>(`[...document.querySelectorAll(${JSON.stringify(selector)})]
    .map((element) => {
      const text = document.createRange();
      text.selectNodeContents(element);
      return new Set([...text.getClientRects()].map((line) => Math.round(line.top))).size;
    })`);
}

/** The new key's secret, shown once on the page the create or rotate redirected to. */
async function secretOnPage(page: Page): Promise<string> {
  const secret = (await page.locator('#new-key-secret').innerText()).trim();
  expect(secret).toMatch(/^gx_/);
  return secret;
}

describe('the developer center', JOURNEY, () => {
  it('asks a signed-out visitor to sign in, and treats a tampered session as ended', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const answer = await page.goto(`${portal.base}/developer/keys`);
    expect(answer?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('请先登录');
    const signIn = page.getByRole('link', { name: '登录 / 注册' });
    expect(await signIn.getAttribute('href')).toBe('/auth/login?next=%2Fdeveloper%2Fkeys');
    await shoot(page, 'developer-signed-out');

    await context.addCookies([
      {
        name: 'gx_session',
        value: 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAA.BBBB.CCCC',
        url: portal.base,
      },
    ]);
    const tampered = await page.goto(`${portal.base}/developer/keys`);
    expect(tampered?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
      '登录已失效，请重新登录',
    );
    expect(await page.getByRole('link', { name: '登录', exact: true }).count()).toBeGreaterThan(0);
    await shoot(page, 'developer-session-invalid');
    await context.close();
  });

  it('signs a developer up, creates, uses, rotates and revokes a key, and shows its usage', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${portal.base}/developer`);
    await page.getByRole('link', { name: '登录', exact: true }).click();
    // the provider's login page, then its developer sign-up page
    await page.waitForURL(`${h.issuer}/interaction/**`);
    await page.getByRole('link', { name: '注册开发者账号' }).click();
    const suffix = Date.now().toString(36);
    // a name of only spaces and an address without a dot in its domain pass the browser's
    // checks; the provider refuses both at once, names both, and marks those two fields only
    await page.getByLabel(/用户名/).fill(`dev-${suffix}`);
    await page.getByLabel('姓名或昵称').fill('   ');
    await page.getByLabel('邮箱').fill(`dev-${suffix}@localhost`);
    await page.getByLabel(/密码/).fill('correct horse battery');
    await page.getByRole('button', { name: '注册并登录' }).click();
    const problem = page.getByRole('alert');
    expect(await problem.innerText()).toBe('请填写姓名或昵称；邮箱格式不正确');
    const problemId = await problem.getAttribute('id');
    expect(problemId).toBeTruthy();
    for (const field of [page.getByLabel('姓名或昵称'), page.getByLabel('邮箱')]) {
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(await field.getAttribute('aria-describedby')).toBe(problemId);
    }
    expect(await page.getByLabel(/用户名/).getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel(/用户名/).inputValue()).toBe(`dev-${suffix}`);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('姓名或昵称').fill('王开发');
    await page.getByLabel('邮箱').fill(`dev-${suffix}@example.com`);
    await page.getByLabel(/密码/).fill('correct horse battery');
    await page.getByRole('button', { name: '注册并登录' }).click();

    // back on the portal, signed in
    await page.waitForURL(`${portal.base}/developer`);
    const account = page.getByRole('group', { name: '账号' });
    expect(await account.innerText()).toContain('王开发');
    expect(await account.getByRole('button', { name: '退出' }).count()).toBe(1);
    // a brand-new account: greeted, not welcomed back
    expect(await page.locator('main').innerText()).toContain('欢迎您，王开发。');
    expect(await page.locator('main').innerText()).not.toContain('欢迎回来');
    await shoot(page, 'developer');

    // create a key: the secret is on the page once
    await page.getByRole('link', { name: '我的 API key' }).click();
    await page.waitForURL(`${portal.base}/developer/keys`);
    const keyName = '空气质量看板';
    await page.getByLabel(/key 名称/).fill(keyName);
    expect(await page.getByLabel(/读取/).isChecked()).toBe(true);
    await page.getByRole('button', { name: '创建' }).click();
    await page.waitForURL(/\/developer\/keys\?reveal=/);
    const first = await secretOnPage(page);
    expect(await page.locator('.secret-box').innerText()).toContain('只在此显示一次');
    await shoot(page, 'developer-key-created');
    const revealAnswer = await page.reload();
    expect(revealAnswer?.headers()['cache-control']).toContain('no-store');
    expect(await page.locator('#new-key-secret').count()).toBe(0);
    const row = page.getByRole('row', { name: new RegExp(keyName) });
    expect(await row.innerText()).toContain('有效');
    // the limits the exchange gave the key (createApiKey.ts's defaults)
    expect(await row.innerText()).toContain('每秒 10 次，每日 10,000 次');
    expect(await page.getByRole('columnheader', { name: '调用限额' }).count()).toBe(1);
    // the list is named once: its heading names the table, no caption repeats it
    expect(await page.getByText('已有的 key', { exact: true }).count()).toBe(1);
    expect(await page.getByRole('table', { name: '已有的 key' }).count()).toBe(1);

    expect(await callRecords(first)).toBe(200);

    // rotate: a new secret, the old one stops working
    await page.getByRole('button', { name: `轮换：${keyName}` }).click();
    await page.waitForURL(/\/developer\/keys\?reveal=/);
    const second = await secretOnPage(page);
    expect(second).not.toBe(first);
    expect(await callRecords(first)).toBe(401);
    expect(await callRecords(second)).toBe(200);

    // the usage chart counts the two calls that went through
    await page.goto(`${portal.base}/developer/keys`);
    const chart = page.locator('.usage-chart');
    expect(await chart.locator('[data-usage-total]').getAttribute('data-usage-total')).toBe('2');
    expect(await chart.locator('svg title').textContent()).toContain(keyName);
    await chart.getByText('以表格查看调用量').click();
    const today = await chart.locator('tbody tr').last().innerText();
    expect(today).toMatch(/\t2$/);
    await shoot(page, 'developer-keys');

    // with a second key that may also download (its 操作范围 is the longest there is), at two
    // laptops' widths, both rows' 轮换 and 吊销 are whole in view: inside the window and inside
    // the table's scroll box (no sideways scrolling to reach them), and each 状态 badge is one
    // line (the table's cells wrap; the walk-through saw 有效 broken in two at 1366 px)
    await page.getByLabel(/key 名称/).fill('第二个 key');
    await page.getByLabel(/下载/).check();
    await page.getByRole('button', { name: '创建' }).click();
    await page.waitForURL(/\/developer\/keys\?reveal=/);
    await page.goto(`${portal.base}/developer/keys`);
    expect(await page.getByRole('columnheader', { name: '有效期至' }).count()).toBe(1);
    // a key of one's own has no end; its number is shown with its name
    expect(await row.innerText()).toContain('长期有效');
    expect(await row.innerText()).toContain(`key 编号 ${await row.getAttribute('data-key-id')}`);
    for (const width of [1280, 1366]) {
      await page.setViewportSize({ width, height: 900 });
      const scrollBox = (await page.locator('.keys-table').locator('..').boundingBox())!;
      for (const name of [keyName, '第二个 key']) {
        for (const control of [
          page.getByRole('button', { name: `轮换：${name}` }),
          page.getByRole('link', { name: `吊销：${name}` }),
        ]) {
          const box = (await control.boundingBox())!;
          expect(box.x).toBeGreaterThanOrEqual(scrollBox.x);
          expect(box.x + box.width).toBeLessThanOrEqual(
            Math.min(width, scrollBox.x + scrollBox.width),
          );
        }
      }
      expect(await linesOf(page, '.keys-table .badge'), `${width} px`).toEqual([1, 1]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await shoot(page, 'developer-keys-two');

    // a form posted from another site is refused
    const cookies = await context.cookies(portal.base);
    const forged = await fetch(`${portal.base}/developer/keys/action`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        origin: 'http://evil.example',
        cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ op: 'create', name: 'forged', actions: 'read' }),
    });
    expect(forged.status).toBe(403);

    // revoke, after confirming: the key stops working at once
    await page.getByRole('link', { name: `吊销：${keyName}` }).click();
    const confirm = page.locator('#confirm');
    expect(await confirm.innerText()).toContain(`确认吊销“${keyName}”`);
    await confirm.getByRole('button', { name: '确认吊销' }).click();
    await page.waitForURL(/\/developer\/keys\?flash=/);
    expect(await page.getByRole('status').first().innerText()).toContain(`已吊销“${keyName}”`);
    // the message is sealed by the portal: text in a link is never shown as one (phishing)
    const bait = '全部 key，请联系客服 400-000-0000 重新激活';
    for (const query of [`revoked=${bait}`, `flash=${bait}`]) {
      await page.goto(`${portal.base}/developer/keys?${encodeURI(query)}`);
      expect(await page.locator('main').innerText()).not.toContain('400-000-0000');
    }
    expect(await page.getByRole('row', { name: new RegExp(keyName) }).innerText()).toContain(
      '已吊销',
    );
    expect(await callRecords(second)).toBe(401);
    expect(await page.getByRole('row', { name: /forged/ }).count()).toBe(0);

    // the API documentation, generated from the OpenAPI documents
    await page.goto(`${portal.base}/developer/docs`);
    const records = page.locator('section#queryOpenRecords');
    expect(await records.getByRole('heading', { level: 2 }).innerText()).toContain(
      '/v1/open/resources/{code}/records',
    );
    expect(await records.innerText()).toContain('需要 API key');
    expect(await records.locator('pre').innerText()).toContain('X-API-Key: <你的 API Key>');
    expect(await records.getByRole('row', { name: /401/ }).innerText()).toContain('未认证');
    // the types the TypeScript examples import come from the description linked on the page
    await expectOpenApiDescription(page, h.catalog.base);
    // in Chinese: the specs' `中文 / English` texts show their Chinese half, none is English only
    const english = await page
      .locator('section.api-operation:not(#services)')
      .locator('p, td')
      .evaluateAll((cells) =>
        cells
          .map((c) => c.textContent ?? '')
          .filter(
            (text) =>
              (!/\p{Script=Han}/u.test(text) && /[A-Za-z]{2,} [A-Za-z]{2,}/.test(text)) ||
              /\s\/\s[A-Za-z]/.test(text),
          ),
      );
    expect(english).toEqual([]);
    // the filter language, every operator the policy schema knows
    const filter = page.locator('section#filter');
    expect(await filter.getByRole('heading', { level: 2 }).innerText()).toBe(
      '过滤条件（filter）的写法',
    );
    const written = await filter.locator('tbody tr td:first-child').allInnerTexts();
    for (const op of await filterOperators()) {
      expect(
        written.some((w) => w.includes(`"op":"${op}"`)),
        op,
      ).toBe(true);
    }
    await shoot(page, 'developer-docs');

    // accessibility of the three pages, signed in
    const found: Record<string, string[]> = {};
    for (const url of ['/developer', '/developer/keys', '/developer/docs']) {
      await page.goto(`${portal.base}${url}`);
      found[url] = await seriousViolations(page);
    }
    expect(found).toEqual({ '/developer': [], '/developer/keys': [], '/developer/docs': [] });

    // on a phone, the documentation's long paths and the key list stay inside the screen
    const widths = await phoneWidths(page, portal.base, [
      '/developer/docs',
      '/developer/docs/exchange-api',
      '/developer/keys',
    ]);
    await shoot(page, 'developer-keys-phone');
    expectNoSidewaysScroll(widths);
    await page.setViewportSize({ width: 1280, height: 900 });

    // sign out: 登录 again in the header, and the key page asks to sign in
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(`${portal.base}/`);
    expect(await page.getByRole('link', { name: '登录', exact: true }).count()).toBe(1);
    await page.goto(`${portal.base}/developer/keys`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('请先登录');

    // 登录 in the header brings the visitor back to the page it was clicked on
    await page.goto(`${portal.base}/search?q=${encodeURIComponent('空气质量')}`);
    await page.getByRole('group', { name: '账号' }).getByRole('link', { name: '登录' }).click();
    await page.waitForURL(`${h.issuer}/interaction/**`);
    await page.getByLabel('用户名或邮箱').fill(`dev-${suffix}`);
    await page.getByLabel('密码').fill('correct horse battery');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/search\?q=/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('空气质量');
    expect(await page.getByRole('group', { name: '账号' }).innerText()).toContain('王开发');
    await context.close();
  });

  it('renews an expired access token with the refresh token, and ends a session it cannot renew', async () => {
    // the developer's tokens as the portal holds them after a sign-in
    const signIn = () =>
      passwordLogin({
        issuer: h.issuer,
        clientId: PORTAL_CLIENT_ID,
        redirectUri: `${portal.base}/auth/callback`,
        username: 'developer',
        password: DEMO_PASSWORD,
        scope: 'openid profile email',
      });
    const tokens = await signIn();
    const stale = (refreshToken: string) =>
      seal(
        'session',
        {
          sub: 'demo-developer',
          name: '张伟',
          accessToken: tokens.access_token,
          accessExpiresAt: Math.floor(Date.now() / 1000) - 60,
          refreshToken,
        },
        3600,
      );

    const context = await browser.newContext();
    const page = await context.newPage();
    const sealed = await stale(tokens.refresh_token!);
    await context.addCookies([{ name: 'gx_session', value: sealed, url: portal.base }]);
    await page.goto(`${portal.base}/developer/keys`);
    await page.waitForURL(`${portal.base}/developer/keys`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('我的 API key');
    expect(await page.getByRole('group', { name: '账号' }).innerText()).toContain('张伟');
    const renewed = (await context.cookies(portal.base)).find((c) => c.name === 'gx_session');
    expect(renewed?.value).not.toBe(sealed);

    // two tabs whose access token ran out together renew with the same refresh token: the
    // provider rotates it on use and revokes the sign-in when it sees a used one again, so the
    // portal renews once and both tabs stay signed in (and so does the session afterwards)
    const tokens2 = await signIn();
    const twoTabs = await browser.newContext();
    await twoTabs.addCookies([
      { name: 'gx_session', value: await stale(tokens2.refresh_token!), url: portal.base },
    ]);
    const tabs = [await twoTabs.newPage(), await twoTabs.newPage()];
    await Promise.all(tabs.map((tab) => tab.goto(`${portal.base}/developer/keys`)));
    for (const tab of tabs) {
      expect(tab.url()).toBe(`${portal.base}/developer/keys`);
      expect(await tab.getByRole('heading', { level: 1 }).innerText()).toBe('我的 API key');
    }
    await tabs[0]!.goto(`${portal.base}/developer/applications`);
    expect(tabs[0]!.url()).toBe(`${portal.base}/developer/applications`);
    await twoTabs.close();

    await context.clearCookies();
    await context.addCookies([
      { name: 'gx_session', value: await stale('no-such-refresh-token'), url: portal.base },
    ]);
    await page.goto(`${portal.base}/developer/keys`);
    await page.waitForURL(/\/auth\/expired/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
      '登录已失效，请重新登录',
    );
    expect(
      await page
        .locator('main')
        .getByRole('link', { name: '登录', exact: true })
        .getAttribute('href'),
    ).toContain('/auth/login?next=%2Fdeveloper%2Fkeys');
    await context.close();
  });
});

/** The row filter's comparison operators, from the policy schema (`$defs.expression`). */
async function filterOperators(): Promise<string[]> {
  const file = path.resolve(
    import.meta.dirname,
    '..',
    '..',
    'schemas',
    'json',
    'exchange',
    'policy.schema.json',
  );
  const schema = JSON.parse(await readFile(file, 'utf8')) as {
    $defs: {
      expression: { oneOf: { properties?: { op?: { enum?: string[]; const?: string } } }[] };
    };
  };
  return schema.$defs.expression.oneOf.flatMap(
    (variant) =>
      variant.properties?.op?.enum ??
      (variant.properties?.op?.const ? [variant.properties.op.const] : []),
  );
}

/** Each public spec's operationIds, from the YAML files (refs followed by json-schema-ref-parser). */
async function specOperationIds(service: string): Promise<{ id: string; path: string }[]> {
  const file = path.resolve(
    import.meta.dirname,
    '..',
    '..',
    'schemas',
    'openapi',
    `${service}.yaml`,
  );
  const spec = (await $RefParser.dereference(file)) as {
    paths: Record<string, Record<string, { operationId?: string }>>;
  };
  return Object.entries(spec.paths).flatMap(([p, item]) =>
    ['get', 'post', 'put', 'patch', 'delete']
      .filter((m) => item[m])
      .map((m) => ({ id: item[m]!.operationId!, path: p })),
  );
}

describe('the API documentation of every service', JOURNEY, () => {
  it('renders every operation of every spec, the open-data ones first, without serious violations', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const rendered = () =>
      page.locator('section.api-operation[id]').evaluateAll(
        // evaluated in the page: the ids of the rendered operations
        (sections) => sections.map((s) => s.id),
      );
    const found: Record<string, string[]> = {};

    // the entry page: the open-data operations, then the index of the services
    await page.goto(`${portal.base}/developer/docs`);
    const exchange = await specOperationIds('exchange-api');
    const open = exchange.filter((op) => op.path.startsWith('/v1/open/')).map((op) => op.id);
    expect(await rendered()).toEqual([...open, 'filter', 'services']);
    found['/developer/docs'] = await seriousViolations(page);

    for (const service of ['exchange-api', 'catalog', 'connectors']) {
      await page.goto(`${portal.base}/developer/docs`);
      await page
        .locator('#services')
        .getByRole('link')
        .nth(['exchange-api', 'catalog', 'connectors'].indexOf(service))
        .click();
      await page.waitForURL(`**/developer/docs/${service}`);
      const ids = (await specOperationIds(service)).map((op) => op.id);
      expect(ids.length).toBeGreaterThan(10);
      expect((await rendered()).sort()).toEqual([...ids].sort());
      // the contents link to every operation
      const links = await page
        .locator('nav.docs-contents a[href^="#"]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links).toEqual(expect.arrayContaining(ids.map((id) => `#${id}`)));
      found[service] = await seriousViolations(page);
      await shoot(page, `developer-docs-${service}`);
    }
    expect(found).toEqual({
      '/developer/docs': [],
      'exchange-api': [],
      catalog: [],
      connectors: [],
    });

    // a request body's fields, the caller's roles and a curl with a body, on the catalog page
    const createResource = page.locator('section#createResource');
    await page.goto(`${portal.base}/developer/docs/catalog#createResource`);
    expect(await createResource.getByRole('heading', { level: 3 }).innerText()).toContain(
      '/v1/resources',
    );
    expect(await createResource.locator('caption', { hasText: '请求体' }).count()).toBe(1);
    expect(await createResource.getByRole('row', { name: /^name / }).innerText()).toContain('是');
    expect(await createResource.locator('pre').innerText()).toContain(
      "-H 'Content-Type: application/json'",
    );
    // the examples call the catalog where it runs (the portal's settings), not the spec's
    // development default
    expect(await createResource.locator('pre').innerText()).toContain(
      `'${h.catalog.base}/v1/resources'`,
    );
    expect(await page.locator('main').innerText()).not.toContain('127.0.0.1:4001');
    await page.goto(`${portal.base}/developer/docs/connectors`);
    expect(await page.locator('main').innerText()).toContain(h.connectors.base);
    expect(await page.locator('main').innerText()).not.toContain('127.0.0.1:4002');
    expect((await page.goto(`${portal.base}/developer/docs/nothing-here`))?.status()).toBe(404);
    expect(await page.title()).toBe('页面不存在 · 杭州市公共数据开放平台');
    await context.close();
  });
});

describe('the console pages the walk-through found wanting', JOURNEY, () => {
  it('tells the 申请此资源 links of a directory search apart, and fits Excel 导入 on a phone', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'hz-rsj.steward');
    await page.goto(`${portal.base}/console/my-requests/new?q=`);
    const choices = page.locator('.approver-choices a');
    const texts = await choices.allInnerTexts();
    expect(texts.length).toBeGreaterThan(1);
    // the same visible text on every row, but each link's name says which resource it is
    expect(new Set(texts)).toEqual(new Set(['申请此资源']));
    const names = await choices.evaluateAll((links) =>
      links.map((a) => a.getAttribute('aria-label')),
    );
    const resources = await page.locator('.approver-choices strong').allInnerTexts();
    expect(names).toEqual(resources.map((name) => `申请此资源：${name}`));
    expect(new Set(names).size).toBe(names.length);

    const widths = await phoneWidths(page, portal.base, ['/console/import']);
    await shoot(page, 'console-import-phone');
    expectNoSidewaysScroll(widths);
    // the console's menu wraps above the page: the page's own heading is on the first screen
    const heading = await page.getByRole('heading', { level: 1 }).boundingBox();
    expect(heading!.y + heading!.height).toBeLessThan(PHONE.height);
    await context.close();
  });
});

describe('a member of staff in the developer center', JOURNEY, () => {
  it('is told keys and applications are for developer accounts, not that the session ended', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'hz-mzj.steward');
    for (const url of ['/developer/keys', '/developer/applications']) {
      await page.goto(`${portal.base}${url}`);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
        'API key 和开放申请仅供开发者账号使用',
      );
      expect(await page.locator('main').innerText()).not.toContain('登录已失效');
      expect(
        await page
          .locator('main')
          .getByRole('link', { name: '前往政务工作台' })
          .getAttribute('href'),
      ).toBe('/console');
    }
    // the developer center's entry page says so too, and offers them no developer's pages
    await page.goto(`${portal.base}/developer`);
    const main = page.locator('main');
    expect(await main.innerText()).toContain('您登录的是部门工作人员账号');
    expect(await main.getByRole('link', { name: '我的 API key' }).count()).toBe(0);
    expect(await main.getByRole('link', { name: '我的开放申请' }).count()).toBe(0);
    expect(await main.getByRole('link', { name: '前往政务工作台' }).getAttribute('href')).toBe(
      '/console',
    );
    await context.close();
  });
});

describe("the API docs' example dataset", JOURNEY, () => {
  it('is the newest open dataset that has records, not a newer one without any', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const exampleCode = async () => {
      await page.goto(`${portal.base}/developer/docs`);
      return page.locator('p', { hasText: '请求示例使用的数据集：' }).locator('code').innerText();
    };
    const withRecords = await exampleCode();
    const preview = await call(
      h.exchange.base,
      'GET',
      `/v1/open/resources/${withRecords}/preview?limit=1`,
    );
    expect(preview.body.items).toHaveLength(1);

    // a department publishes a newer open dataset that has no records yet
    const empty = await publishEmptyOpenDataset(
      h,
      '公共自行车站点（尚无数据）',
      '新发布、尚未汇入记录的开放数据集',
    );
    // it is the newest open dataset, and it has nothing to show
    const newest = await call(h.catalog.base, 'GET', '/v1/search?openType=open&sort=recent');
    expect(newest.body.items[0].code).toBe(empty);
    const nothing = await call(h.exchange.base, 'GET', `/v1/open/resources/${empty}/preview`);
    expect(nothing.status).toBe(200);
    expect(nothing.body.items).toEqual([]);

    // the examples keep naming the dataset that answers with data
    expect(await exampleCode()).toBe(withRecords);
    expect(await page.locator('main').innerText()).not.toContain(empty);
    await context.close();
  });
});
