// 更正记录 in real Chromium: 人社局's system objects to a resident's mobile number it sees under
// its grant (masked); 公安局's steward accepts the objection in the console and corrects the
// record from the objection's card — a required field left empty is refused beside that field
// with what was typed kept — and the card says 已更正 with old → new. The consumer reads the new
// value through its grant, and 人社局's steward sees the same correction, masked as granted.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantedPeopleResource, type GrantedResource } from '../fixtures.ts';
import { call, type Harness } from '../harness.ts';
import { arrive, flashText, signInToConsole } from './console.ts';
import { startPortalJourney } from './journey.ts';
import { seriousViolations, shoot } from './pageChecks.ts';
import type { RunningPortal } from './portalServer.ts';

const SESSION_SECRET = 'objection-correction-test-secret-0123456789';
process.env.PORTAL_SESSION_SECRET = SESSION_SECRET;

let h: Harness;
let portal: RunningPortal;
let browser: Browser;
let people: GrantedResource['people'];
let grantId: string;
let number: string;

const masked = (mobile: string) => `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;

beforeAll(async () => {
  ({ h, portal, browser } = await startPortalJourney(SESSION_SECRET));
  let resourceCode: string;
  ({ people, resourceCode, grantId } = await grantedPeopleResource(h, {
    masks: { mobile: { kind: 'keep_first_last', first: 3, last: 4 } },
  }));
  const raised = await call(h.exchange.base, 'POST', '/v1/objections', {
    token: await h.systemToken('hz-rsj-system'),
    body: {
      resourceCode,
      recordKey: people[0]!.id_number,
      fields: ['mobile', 'name'],
      description: '该居民的手机号码已停用',
      claimedValues: { mobile: '13900139000' },
    },
  });
  expect(raised.status, JSON.stringify(raised.body)).toBe(201);
  number = raised.body.number;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await h?.close();
});

describe('the provider corrects the record an objection is about', { timeout: 180_000 }, () => {
  it('accepts, corrects from the card (a refusal by field keeps the values), shows 已更正', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'hz-gaj.steward');
    await page.goto(`${portal.base}/console/objections`);
    const card = page.locator(`[data-objection-number="${number}"]`);
    // nothing to correct before the objection is accepted
    expect(await card.getByRole('button', { name: '更正记录' }).count()).toBe(0);
    await card.getByRole('radio', { name: '接受（将更正数据）' }).check();
    await card.getByRole('button', { name: '提交答复' }).click();
    await arrive(page, portal, `${portal.base}/console/objections?flash=**`);
    expect(await flashText(page)).toContain('答复已提交');

    // the form starts from the record's present values, the raiser's value beside
    const mobile = card.getByLabel('手机号码（mobile）');
    const name = card.getByLabel('姓名（name）');
    expect(await mobile.inputValue()).toBe(people[0]!.mobile);
    expect(await name.inputValue()).toBe(people[0]!.name);
    const hint = await page
      .locator(`[id="${(await mobile.getAttribute('aria-describedby'))!}"]`)
      .innerText();
    expect(hint).toContain(`当前值：${people[0]!.mobile}`);
    expect(hint).toContain('提出方认为正确的值：13900139000');
    expect(await seriousViolations(page)).toEqual([]);

    // a required field left empty: refused beside it, what was typed kept
    await mobile.fill('13900139000');
    await name.fill('');
    await card.getByLabel('更正记录的说明（可不填）').fill('已按户籍登记更正');
    await card.getByRole('button', { name: '更正记录' }).click();
    await arrive(page, portal, `${portal.base}/console/objections?**form=**`);
    expect(await flashText(page)).toContain('更正后的记录不符合资源的记录结构');
    const refusedName = card.getByLabel('姓名（name）');
    expect(await refusedName.getAttribute('aria-invalid')).toBe('true');
    const described = (await refusedName.getAttribute('aria-describedby'))!.split(' ');
    expect(await page.locator(`[id="${described[0]!}"]`).innerText()).toBe('必填');
    expect(await card.getByLabel('手机号码（mobile）').inputValue()).toBe('13900139000');
    expect(await card.getByLabel('手机号码（mobile）').getAttribute('aria-invalid')).toBeNull();
    expect(await card.getByLabel('更正记录的说明（可不填）').inputValue()).toBe('已按户籍登记更正');
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'console-objection-correct-refused');

    await refusedName.fill(people[0]!.name);
    await card.getByRole('button', { name: '更正记录' }).click();
    await arrive(page, portal, `${portal.base}/console/objections?flash=**`);
    expect(await flashText(page)).toContain('记录已更正');
    expect(await card.locator('h2').innerText()).toContain('已更正');
    const correction = await card.locator('[data-correction]').innerText();
    expect(correction).toContain(`手机号码（mobile）：${people[0]!.mobile} → 13900139000`);
    expect(correction).not.toContain('姓名');
    expect(correction).toContain('已按户籍登记更正');
    // who corrected it: the person by name with their department, not the account
    expect(correction).toContain('杭州市公安局 李静，');
    expect(correction).not.toContain('hz-gaj.steward');
    expect(await card.getByRole('button', { name: '更正记录' }).count()).toBe(0);
    await shoot(page, 'console-objection-corrected');
    await context.close();
  });

  it('the record really changed: the consumer reads it under its grant', async () => {
    const record = await call(
      h.exchange.base,
      'GET',
      `/v1/grants/${grantId}/records/${people[0]!.id_number}`,
      {
        token: await h.systemToken('hz-rsj-system'),
        headers: { 'x-purpose': 'SOCIAL_SECURITY' },
      },
    );
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({ mobile: '139****9000', name: people[0]!.name });
  });

  it("the raiser's steward sees 已更正 and old → new, masked as granted", async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'hz-rsj.steward');
    await page.goto(`${portal.base}/console/objections?side=raised`);
    const card = page.locator(`[data-objection-number="${number}"]`);
    expect(await card.locator('h2').innerText()).toContain('已更正');
    const correction = await card.locator('[data-correction]').innerText();
    expect(correction).toContain(`手机号码（mobile）：${masked(people[0]!.mobile)} → 139****9000`);
    expect(correction).not.toContain(people[0]!.mobile);
    expect(correction).toContain('杭州市公安局 李静，');
    expect(correction).not.toContain('user:');
    expect(await card.getByRole('button', { name: '确认关闭' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
