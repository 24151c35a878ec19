// 评分与评论 in real Chromium: on an open dataset page a developer signs in, rates and comments,
// changes the review, sees the average and the comment (escaped) newest first, and deletes it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@gx/platform';
import type { Harness } from '../harness.ts';
import { startPortalJourney } from './journey.ts';
import { seriousViolations, shoot } from './pageChecks.ts';
import type { RunningPortal } from './portalServer.ts';

const JOURNEY = { timeout: 180_000 };
const SESSION_SECRET = 'reviews-test-secret-0123456789abcdef01';
process.env.PORTAL_SESSION_SECRET = SESSION_SECRET;

let h: Harness;
let portal: RunningPortal;
let browser: Browser;
/**
 * A published 无条件开放 dataset of the demo city with records and a plain (not personal) key,
 * one of its records, a plain non-key field, and its provider's steward.
 */
let dataset: {
  code: string;
  name: string;
  steward: string;
  record_key: string;
  field: string;
  field_label: string;
};

beforeAll(async () => {
  ({ h, portal, browser } = await startPortalJourney(SESSION_SECRET));
  const { rows } = await h.db.pool.query<typeof dataset>(
    `SELECT r.code, r.name, u.username AS steward, x.record_key, f.name AS field,
            f.label AS field_label
       FROM resources r
       JOIN users u ON u.department_id = r.provider_id AND 'steward' = ANY (u.roles)
       JOIN LATERAL (SELECT record_key FROM records WHERE resource_id = r.id
                      ORDER BY record_key LIMIT 1) x ON true
       JOIN LATERAL (SELECT name, label FROM information_items
                      WHERE resource_id = r.id AND NOT is_key AND NOT is_personal
                      ORDER BY name LIMIT 1) f ON true
      WHERE r.open_type = 'open' AND r.status = 'published'
        AND EXISTS (SELECT 1 FROM information_items k
                     WHERE k.resource_id = r.id AND k.is_key AND NOT k.is_personal)
        AND NOT EXISTS (SELECT 1 FROM information_items k
                         WHERE k.resource_id = r.id AND k.is_key AND k.is_personal)
      ORDER BY r.code LIMIT 1`,
  );
  dataset = rows[0]!;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await h?.close();
});

describe('评分与评论 in the portal', JOURNEY, () => {
  it('a developer rates and comments, changes the review and deletes it', async () => {
    expect(dataset).toBeDefined();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${portal.base}/datasets/${dataset.code}`);
    const reviews = page.locator('section#reviews');
    expect(await reviews.getByRole('heading', { level: 2 }).innerText()).toBe('评分与评论');
    expect(await reviews.innerText()).toContain('还没有评价');
    await reviews.getByRole('link', { name: '登录后评价' }).click();
    await page.waitForURL(`${h.issuer}/interaction/**`);
    await page.getByLabel('用户名或邮箱').fill('developer');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(new RegExp(`/datasets/${dataset.code}`));

    await reviews.getByLabel('2 星').check();
    await reviews.getByLabel(/评论/).fill('<img src=x onerror=alert(1)>字段说明不够清楚');
    await reviews.getByRole('button', { name: '保存评价' }).click();
    await page.waitForURL(/review=saved#reviews$/);
    expect(await reviews.getByRole('status').innerText()).toBe('评价已保存。');
    expect(await reviews.innerText()).toContain('平均 2.0 分');
    expect(await reviews.innerText()).toContain('<img src=x onerror=alert(1)>字段说明不够清楚');
    expect(await reviews.locator('.review-list img').count()).toBe(0);

    // change it: still one review, the form shows the saved values
    expect(await reviews.getByLabel('2 星').isChecked()).toBe(true);
    await reviews.getByLabel('5 星').check();
    await reviews.getByLabel(/评论/).fill('更新及时，很好用');
    await reviews.getByRole('button', { name: '保存评价' }).click();
    await page.waitForURL(/review=saved#reviews$/);
    expect(await reviews.innerText()).toContain('平均 5.0 分（满分 5 分），共 1 条评价');
    expect(await reviews.locator('.review-list > li').count()).toBe(1);
    expect(await reviews.locator('.review-list').innerText()).toContain('更新及时，很好用');
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'dataset-reviews');

    // an anonymous visitor sees the average and the comment, not the form
    const visitor = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const anonymous = await visitor.newPage();
    await anonymous.goto(`${portal.base}/datasets/${dataset.code}`);
    const seen = anonymous.locator('section#reviews');
    expect(await seen.innerText()).toContain('共 1 条评价');
    expect(await seen.innerText()).toContain('更新及时，很好用');
    expect(await seen.locator('form').count()).toBe(0);
    await visitor.close();

    await reviews.getByRole('button', { name: '删除我的评价' }).click();
    await page.waitForURL(/review=deleted#reviews$/);
    expect(await reviews.innerText()).toContain('还没有评价');
    await context.close();
  });
});
