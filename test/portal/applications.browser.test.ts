// 开放申请 in real Chromium: on a 有条件开放 dataset page a developer signs in and applies, the
// provider approves through the exchange API, the developer claims the key once on
// /developer/applications, and the key reads the dataset through the open-data API.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@gx/platform';
import { call, type Harness } from '../harness.ts';
import { startPortalJourney } from './journey.ts';
import { seriousViolations, shoot } from './pageChecks.ts';
import type { RunningPortal } from './portalServer.ts';

const JOURNEY = { timeout: 180_000 };
const SESSION_SECRET = 'applications-test-secret-0123456789abcdef';
process.env.PORTAL_SESSION_SECRET = SESSION_SECRET;

let h: Harness;
let portal: RunningPortal;
let browser: Browser;
/** a published 有条件开放 dataset of the demo city with records, and its provider's steward */
let dataset: { code: string; name: string; steward: string };

beforeAll(async () => {
  ({ h, portal, browser } = await startPortalJourney(SESSION_SECRET));
  const { rows } = await h.db.pool.query<{ code: string; name: string; steward: string }>(
    `SELECT r.code, r.name, u.username AS steward
       FROM resources r
       JOIN users u ON u.department_id = r.provider_id AND 'steward' = ANY (u.roles)
      WHERE r.open_type = 'conditional' AND r.status = 'published'
        AND EXISTS (SELECT 1 FROM records x WHERE x.resource_id = r.id)
      ORDER BY r.code LIMIT 1`,
  );
  dataset = rows[0]!;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await h?.close();
});

/** The open-data records API, called as the developer's program would. */
async function callRecords(key: string): Promise<number> {
  const res = await fetch(`${h.exchange.base}/v1/open/resources/${dataset.code}/records?limit=5`, {
    headers: { 'X-API-Key': key },
  });
  await res.arrayBuffer();
  return res.status;
}

describe('开放申请 in the portal', JOURNEY, () => {
  it('a developer applies on the dataset page, the provider approves, the developer claims a working key', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();

    // signed out: the form is a sign-in prompt that comes back here
    await page.goto(`${portal.base}/datasets/${dataset.code}`);
    const apply = page.locator('section#apply');
    expect(await apply.getByRole('heading', { level: 2 }).innerText()).toBe('申请使用');
    expect(await apply.locator('form').count()).toBe(0);
    await apply.getByRole('link', { name: '登录后申请' }).click();
    await page.waitForURL(`${h.issuer}/interaction/**`);
    await page.getByLabel('用户名或邮箱').fill('developer');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(new RegExp(`/datasets/${dataset.code}`));

    // signed in: the application form
    await apply.getByLabel(/申请用途/).fill('开发市政设施查询小程序，向市民展示附近设施信息');
    await apply.getByLabel('用途类别').selectOption({ label: '公共服务' });
    await apply.getByLabel('真实姓名').fill('张伟');
    await apply.getByLabel(/单位名称/).fill('杭州数智科技有限公司');
    await apply.getByLabel(/联系方式/).fill('zhangwei@example.cn');
    await apply.getByLabel(/使用方式/).fill('小程序地图页展示，不转售数据');
    expect(await apply.getByLabel(/读取/).isChecked()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'dataset-apply-form');
    await apply.getByRole('button', { name: '提交申请' }).click();

    await page.waitForURL(/\/developer\/applications\?submitted=/);
    expect(await page.getByRole('status').first().innerText()).toContain(dataset.name);
    const row = page.getByRole('row', { name: new RegExp(dataset.name) });
    expect(await row.innerText()).toContain('待审核');
    expect(await row.getByRole('button').count()).toBe(0);

    // the provider approves through the API
    const steward = await h.token(dataset.steward);
    const inbox = await call(h.exchange.base, 'GET', '/v1/open-applications?side=provider', {
      token: steward,
    });
    const submitted = (
      inbox.body.items as { id: string; resourceCode: string; status: string }[]
    ).find((a) => a.resourceCode === dataset.code && a.status === 'submitted');
    expect(submitted).toBeDefined();
    const approved = await call(
      h.exchange.base,
      'POST',
      `/v1/open-applications/${submitted!.id}/approve`,
      { token: steward, body: { dailyQuota: 1000 } },
    );
    expect(approved.status).toBe(200);

    // the developer sees it approved and claims the key, shown once
    await page.goto(`${portal.base}/developer/applications`);
    expect(await row.innerText()).toContain('已批准');
    expect(await row.innerText()).toContain('每日调用上限 1000 次');
    await row.getByRole('button', { name: `领取 API key：${dataset.name}` }).click();
    await page.waitForURL(/\/developer\/applications\?reveal=/);
    const key = (await page.locator('#new-key-secret').innerText()).trim();
    expect(key).toMatch(/^gx_/);
    await shoot(page, 'developer-applications');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await callRecords(key)).toBe(200);

    // gone on reload; the row says it was claimed
    await page.reload();
    expect(await page.locator('#new-key-secret').count()).toBe(0);
    expect(await row.innerText()).toContain('已领取');
    expect(await row.getByRole('button').count()).toBe(0);
    await context.close();
  });
});
