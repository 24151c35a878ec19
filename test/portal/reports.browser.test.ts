// 数据纠错 in real Chromium: on an open dataset page a developer signs in and reports a wrong
// value of a record; the report is a data objection the provider's steward answers through the
// exchange API, and the developer follows it on /developer/reports.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@gx/platform';
import { call, type Harness } from '../harness.ts';
import { startPortalJourney } from './journey.ts';
import { seriousViolations, shoot } from './pageChecks.ts';
import type { RunningPortal } from './portalServer.ts';

const JOURNEY = { timeout: 180_000 };
const SESSION_SECRET = 'reports-test-secret-0123456789abcdef01';
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

describe('数据纠错 in the portal', JOURNEY, () => {
  it('a developer reports a wrong value, the provider answers, the developer sees the answer and withdraws, reopens or closes', async () => {
    expect(dataset).toBeDefined();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();

    // signed out: a sign-in link that comes back to the form
    await page.goto(`${portal.base}/datasets/${dataset.code}`);
    const report = page.locator('section#report');
    expect(await report.getByRole('heading', { level: 2 }).innerText()).toBe('数据纠错');
    expect(await report.locator('form').count()).toBe(0);
    await report.getByRole('link', { name: '登录后纠错' }).click();
    await page.waitForURL(`${h.issuer}/interaction/**`);
    await page.getByLabel('用户名或邮箱').fill('developer');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(new RegExp(`/datasets/${dataset.code}`));

    // a record key the dataset does not have: back to the form with a message, nothing raised
    await report.getByLabel(/有误的信息项/).selectOption(dataset.field);
    await report.getByLabel(/主键值/).fill('不存在的记录-000');
    await report.getByLabel(/问题说明/).fill('该记录的数值与现场不符');
    await report.getByLabel(/正确的值/).fill('42');
    await report.getByRole('button', { name: '提交纠错' }).click();
    await page.waitForURL(/report=input#report$/);
    expect(await report.getByRole('alert').innerText()).toContain('纠错未能提交');

    // a real record: the report is raised and listed on /developer/reports
    await report.getByLabel(/有误的信息项/).selectOption(dataset.field);
    await report.getByLabel(/主键值/).fill(dataset.record_key);
    await report.getByLabel(/问题说明/).fill('<b>该记录</b>的数值与现场不符');
    await report.getByLabel(/正确的值/).fill('42');
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'dataset-report-form');
    await report.getByRole('button', { name: '提交纠错' }).click();
    await page.waitForURL(/\/developer\/reports\?submitted=YY/);
    const number = new URL(page.url()).searchParams.get('submitted')!;
    expect(await page.getByRole('status').first().innerText()).toContain(number);
    const row = page.getByRole('row', { name: new RegExp(number) });
    expect(await row.innerText()).toContain(dataset.name);
    expect(await row.innerText()).toContain('待处理');
    expect(await row.innerText()).toContain('尚未答复');
    // the description is text, never markup
    expect(await row.innerText()).toContain('<b>该记录</b>的数值与现场不符');
    expect(await row.locator('b').count()).toBe(0);

    // what reached the provider: the field, the record and the claimed value
    const steward = await h.token(dataset.steward);
    const raised = await call(h.exchange.base, 'GET', `/v1/objections/${number}`, {
      token: steward,
    });
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({
      recordKey: dataset.record_key,
      fields: [dataset.field],
      claimedValues: { [dataset.field]: '42' },
      raiser: { kind: 'developer' },
    });

    // the steward answers; the developer sees it
    const answered = await call(h.exchange.base, 'POST', `/v1/objections/${number}/answer`, {
      token: steward,
      body: { decision: 'accept', reply: '已核实，将于下次更新时更正' },
    });
    expect(answered.status).toBe(200);
    await page.goto(`${portal.base}/developer/reports`);
    expect(await row.innerText()).toContain('已受理');
    expect(await row.innerText()).toContain('已核实，将于下次更新时更正');
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'developer-reports');

    // accepted, not yet corrected: the developer may withdraw it (closing comes after an answer)
    const steps = (n: string) =>
      page
        .getByRole('row', { name: new RegExp(n) })
        .getByRole('group', { name: `纠错 ${n} 的处理` });
    expect(await steps(number).getByRole('button').allInnerTexts()).toEqual(['撤回']);
    await steps(number).getByRole('button', { name: '撤回' }).click();
    await page.waitForURL(/\/developer\/reports\?done=withdraw/);
    expect(await page.getByRole('status').first().innerText()).toContain(`纠错 ${number} 已撤回`);
    expect(await row.innerText()).toContain('已撤回');
    expect(await steps(number).count()).toBe(0);

    // another report, declined: the developer reopens it with a reason, then closes it
    const second = await call(h.exchange.base, 'POST', '/v1/objections', {
      token: await h.token('developer'),
      body: { resourceCode: dataset.code, description: '更新时间与实际不符' },
    });
    expect(second.status).toBe(201);
    const decline = async (reply: string) =>
      expect(
        (
          await call(h.exchange.base, 'POST', `/v1/objections/${second.body.number}/answer`, {
            token: steward,
            body: { decision: 'reject', reply },
          })
        ).status,
      ).toBe(200);
    await decline('更新时间无误');
    await page.goto(`${portal.base}/developer/reports`);
    const declined = steps(second.body.number);
    expect(await declined.getByRole('button').allInnerTexts()).toEqual(['确认关闭', '重新打开']);
    await declined.getByLabel('重新打开的理由').fill('平台显示的更新时间比实际晚一天');
    await declined.getByRole('button', { name: '重新打开' }).click();
    await page.waitForURL(/\/developer\/reports\?done=reopen/);
    expect(
      await page.getByRole('row', { name: new RegExp(second.body.number) }).innerText(),
    ).toContain('重新打开');
    await decline('已再次核对，更新时间无误');
    await page.goto(`${portal.base}/developer/reports`);
    await steps(second.body.number).getByRole('button', { name: '确认关闭' }).click();
    await page.waitForURL(/\/developer\/reports\?done=close/);
    expect(
      await page.getByRole('row', { name: new RegExp(second.body.number) }).innerText(),
    ).toContain('已关闭');
    expect(await seriousViolations(page)).toEqual([]);
    const thread = await call(h.exchange.base, 'GET', `/v1/objections/${second.body.number}`, {
      token: steward,
    });
    expect(thread.body.history.map((e: { event: string }) => e.event)).toEqual([
      'raised',
      'rejected',
      'reopened',
      'rejected',
      'closed',
    ]);
    expect(thread.body.history[2].comment).toBe('平台显示的更新时间比实际晚一天');

    // signed out, the list asks to sign in
    await context.clearCookies();
    await page.goto(`${portal.base}/developer/reports`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('请先登录');
    await context.close();
  });
});
