// 数据需求 in real Chromium: a developer signs in and asks for data, anyone sees it on /requests
// (newest first, without the contact), the wanted department's steward answers through the
// catalog API (已开放 with a dataset), and the answer shows on the list and the request page.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@gx/platform';
import { call, type Harness } from '../harness.ts';
import { startPortalJourney } from './journey.ts';
import { seriousViolations, shoot } from './pageChecks.ts';
import type { RunningPortal } from './portalServer.ts';

const JOURNEY = { timeout: 180_000 };
const SESSION_SECRET = 'requests-test-secret-0123456789abcdef0';
process.env.PORTAL_SESSION_SECRET = SESSION_SECRET;

let h: Harness;
let portal: RunningPortal;
let browser: Browser;
/** a published dataset of the demo city, its provider (code, name) and the provider's steward */
let dataset: {
  code: string;
  name: string;
  department: string;
  departmentName: string;
  steward: string;
};

beforeAll(async () => {
  ({ h, portal, browser } = await startPortalJourney(SESSION_SECRET));
  const { rows } = await h.db.pool.query<typeof dataset>(
    `SELECT r.code, r.name, d.code AS department, d.name AS "departmentName",
            u.username AS steward
       FROM resources r
       JOIN departments d ON d.id = r.provider_id
       JOIN users u ON u.department_id = d.id AND 'steward' = ANY (u.roles)
      WHERE r.open_type = 'open' AND r.status = 'published'
      ORDER BY r.code LIMIT 1`,
  );
  dataset = rows[0]!;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await h?.close();
});

describe('数据需求 in the portal', JOURNEY, () => {
  it('a developer asks, the public sees it, the department answers and the answer shows', async () => {
    // an earlier request, so that the new one must come first
    const earlier = await call(h.catalog.base, 'POST', '/v1/data-requests', {
      token: await h.token('developer'),
      body: { title: '早先的数据需求', description: '用于排序检查', contact: '13800000000' },
    });
    expect(earlier.status).toBe(201);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${portal.base}/requests`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('数据需求');
    await page.getByRole('link', { name: '提出数据需求' }).click();
    // signed out: the sign-in prompt comes back to the form
    await page.getByRole('link', { name: '登录 / 注册' }).click();
    await page.waitForURL(`${h.issuer}/interaction/**`);
    await page.getByLabel('用户名或邮箱').fill('developer');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/requests\/new/);

    const title = '<i>公共厕所</i>实时开放状态';
    await page.getByLabel('需求标题').fill(title);
    await page.getByLabel(/需求说明/).fill('希望开放公共厕所的位置与开放时间，用于便民地图。');
    await page.getByLabel(/希望提供的部门/).selectOption(dataset.department);
    await page.getByLabel(/联系方式/).fill('zhangwei@example.cn');
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'request-form');
    await page.getByRole('button', { name: '提交需求' }).click();

    await page.waitForURL(/\/requests\/[0-9a-f-]{36}\?created=1/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    expect(await page.getByRole('status').innerText()).toContain('数据需求已提交');
    // the title is text, never markup; the requester sees their contact
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(title);
    expect(await page.locator('main i').count()).toBe(0);
    expect(await page.locator('main').innerText()).toContain('zhangwei@example.cn');
    expect(await page.locator('main').innerText()).toContain('尚未答复');

    // anyone sees it first on the list, without the contact
    const visitor = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const anonymous = await visitor.newPage();
    await anonymous.goto(`${portal.base}/requests`);
    const first = anonymous.locator('.request-list > li').first();
    expect(await first.getByRole('heading', { level: 2 }).innerText()).toBe(title);
    expect(await first.innerText()).toContain('待答复');
    expect(await first.innerText()).toContain(dataset.departmentName);
    expect(await anonymous.locator('main').innerText()).not.toContain('zhangwei@example.cn');

    // the department's steward answers: opened, with the dataset
    const answered = await call(h.catalog.base, 'POST', `/v1/data-requests/${id}/answer`, {
      token: await h.token(dataset.steward),
      body: { status: 'opened', answer: '已开放相关数据，欢迎使用', datasetCode: dataset.code },
    });
    expect(answered.status).toBe(200);

    await anonymous.reload();
    expect(await first.innerText()).toContain('已开放');
    expect(await first.innerText()).toContain('已开放相关数据，欢迎使用');
    expect(await seriousViolations(anonymous)).toEqual([]);
    await shoot(anonymous, 'requests');
    await first.getByRole('link', { name: title }).click();
    await anonymous.waitForURL(new RegExp(`/requests/${id}$`));
    expect(await anonymous.locator('main').innerText()).toContain('已开放相关数据，欢迎使用');
    expect(await anonymous.locator('main').innerText()).not.toContain('zhangwei@example.cn');
    await anonymous.getByRole('link', { name: dataset.code }).click();
    await anonymous.waitForURL(new RegExp(`/datasets/${dataset.code}`));
    expect(await anonymous.getByRole('heading', { level: 1 }).innerText()).toBe(dataset.name);
    await shoot(page, 'request-page');

    // unknown ids are friendly 404 pages
    const missing = await anonymous.goto(
      `${portal.base}/requests/00000000-0000-4000-8000-000000000000`,
    );
    expect(missing?.status()).toBe(404);
    const malformed = await anonymous.goto(`${portal.base}/requests/nonsense`);
    expect(malformed?.status()).toBe(404);
    await visitor.close();
    await context.close();
  });
});
