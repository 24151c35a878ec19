// The public portal's signed-in journeys in real Chromium, on one set of services (they share
// only the demo city, so one set-up serves all four):
// - 开放申请: on a 有条件开放 dataset page a developer signs in and applies (a refused form comes
//   back with everything typed; once applied, the page says so instead of offering the form), the
//   provider approves through the exchange API, the developer claims the key once on
//   /developer/applications, and the key reads the dataset through the open-data API;
// - 评分与评论: on an open dataset page a developer rates and comments (a review without stars is
//   refused with the comment kept), changes the review, sees the average and the comment
//   (escaped) newest first, and deletes it;
// - 数据需求: a developer asks for data (a blank description or a contact that is neither a
//   mobile number nor an e-mail address is refused with the input kept), anyone sees it on
//   /requests (newest first, without the contact), the wanted department's steward answers
//   through the catalog API (已开放 with a dataset), and the answer shows on the list and the
//   request page;
// - 数据纠错: on an open dataset page a developer reports a wrong value of a record; the report is
//   a data objection the provider's steward answers through the exchange API, and the developer
//   follows it on /developer/reports, withdrawing, reopening or closing it.
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@gx/platform';
import { call, type Harness } from '../harness.ts';
import { startPortalJourney } from './journey.ts';
import { seriousViolations, shoot } from './pageChecks.ts';
import type { RunningPortal } from './portalServer.ts';

const JOURNEY = { timeout: 180_000 };
const SESSION_SECRET = 'open-portal-test-secret-0123456789abcdef';
process.env.PORTAL_SESSION_SECRET = SESSION_SECRET;

let h: Harness;
let portal: RunningPortal;
let browser: Browser;

beforeAll(async () => {
  ({ h, portal, browser } = await startPortalJourney(SESSION_SECRET));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await h?.close();
});

/** The cell of a table row under the column headed `header`: the header says what is below it. */
async function cellUnder(row: Locator, header: string): Promise<Locator> {
  const headers = await row.locator('xpath=ancestor::table[1]').locator('thead th').allInnerTexts();
  const column = headers.indexOf(header);
  expect(column, `no column ${header}: ${headers.join(' | ')}`).toBeGreaterThanOrEqual(0);
  return row.locator(':scope > th, :scope > td').nth(column);
}

/**
 * A published 无条件开放 dataset of the demo city with records and a plain (not personal) key,
 * one of its records, a plain non-key field, and its provider's steward.
 */
interface PlainOpenDataset {
  code: string;
  name: string;
  steward: string;
  record_key: string;
  field: string;
  field_label: string;
}

async function plainOpenDataset(): Promise<PlainOpenDataset> {
  const { rows } = await h.db.pool.query<PlainOpenDataset>(
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
  return rows[0]!;
}

describe('开放申请 in the portal', JOURNEY, () => {
  /** a published 有条件开放 dataset of the demo city with records, and its provider's steward */
  let dataset: { code: string; name: string; steward: string };

  beforeAll(async () => {
    const { rows } = await h.db.pool.query<{ code: string; name: string; steward: string }>(
      `SELECT r.code, r.name, u.username AS steward
         FROM resources r
         JOIN users u ON u.department_id = r.provider_id AND 'steward' = ANY (u.roles)
        WHERE r.open_type = 'conditional' AND r.status = 'published'
          AND EXISTS (SELECT 1 FROM records x WHERE x.resource_id = r.id)
        ORDER BY r.code LIMIT 1`,
    );
    dataset = rows[0]!;
  });

  /** The open-data records API, called as the developer's program would. */
  async function callRecords(key: string): Promise<number> {
    const res = await fetch(
      `${h.exchange.base}/v1/open/resources/${dataset.code}/records?limit=5`,
      {
        headers: { 'X-API-Key': key },
      },
    );
    await res.arrayBuffer();
    return res.status;
  }

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

    // signed in: the application form; a purpose of only spaces passes the browser's check, the
    // portal refuses it and the form comes back with everything typed, long text included (4 000
    // characters of varied Chinese: 12 KB of UTF-8, which an unpacked sealed form could not carry)
    expect(await apply.getByLabel(/读取/).isChecked()).toBe(true);
    expect(await apply.getByLabel(/下载/).isChecked()).toBe(false);
    await apply.getByLabel(/申请用途/).fill('   ');
    // 用途类别 offers the 开放数据用途, not the government sharing purposes
    expect(await apply.getByLabel('用途类别').locator('option').allInnerTexts()).toEqual([
      '（不选择）',
      '科学研究',
      '公益服务',
      '创新应用',
      '教学培训',
      '新闻报道',
      '商业开发',
      '其他',
    ]);
    await apply.getByLabel('用途类别').selectOption({ label: '公益服务' });
    await apply.getByLabel('真实姓名').fill('张伟');
    await apply.getByLabel(/单位名称/).fill('杭州数智科技有限公司');
    await apply.getByLabel(/联系方式/).fill('zhangwei@example.cn');
    const usage = `<b>小程序</b>地图页展示，不转售数据。${Array.from({ length: 4_000 }, (_, i) =>
      String.fromCodePoint(0x4e00 + ((i * 7919) % 20_000)),
    ).join('')}`.slice(0, 4_000);
    expect(usage).toHaveLength(4_000);
    await apply.getByLabel(/使用方式/).fill(usage);
    await apply.getByLabel(/下载/).check();
    await apply.getByLabel(/读取/).uncheck();
    await apply.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL(/[?&]apply=input&form=[^&#]+#apply$/);
    expect(await apply.getByRole('alert').innerText()).toContain('申请未能提交：请完整填写每一项');
    // it says which field, and that field points at the message (only that one)
    expect(await apply.getByRole('alert').innerText()).toContain('尚未填写：申请用途。');
    const purposeField = apply.getByLabel(/申请用途/);
    expect(await purposeField.getAttribute('aria-invalid')).toBe('true');
    expect(await purposeField.getAttribute('aria-describedby')).toBe(
      await apply.getByRole('alert').getAttribute('id'),
    );
    expect(await apply.getByLabel('真实姓名').getAttribute('aria-invalid')).toBeNull();
    // in English, the sentence that names the field stands apart from the general one
    await context.addCookies([{ name: 'gx_lang', value: 'en', url: portal.base }]);
    await page.reload();
    expect(await apply.getByRole('alert').innerText()).toContain(
      '(within the length limits). Not filled in: Purpose.',
    );
    // and the purpose categories in English, the carried one still chosen
    const category = apply.getByLabel('Purpose category');
    expect(await category.locator('option:checked').innerText()).toBe('Public-interest service');
    expect(await category.locator('option').allInnerTexts()).toContain('Scientific research');
    await context.addCookies([{ name: 'gx_lang', value: 'zh-CN', url: portal.base }]);
    await page.reload();
    const purposeCode = apply.getByLabel('用途类别');
    expect(await purposeCode.locator('option:checked').innerText()).toBe('公益服务');
    expect(await apply.getByLabel('真实姓名').inputValue()).toBe('张伟');
    expect(await apply.getByLabel(/单位名称/).inputValue()).toBe('杭州数智科技有限公司');
    expect(await apply.getByLabel(/联系方式/).inputValue()).toBe('zhangwei@example.cn');
    expect(await apply.getByLabel(/使用方式/).inputValue()).toBe(usage);
    expect(await apply.locator('b').count()).toBe(0);
    expect(await apply.getByLabel(/读取/).isChecked()).toBe(false);
    expect(await apply.getByLabel(/下载/).isChecked()).toBe(true);
    // the carried form is sealed: nothing typed shows in the address
    expect(decodeURIComponent(page.url())).not.toContain('杭州数智科技有限公司');

    // fixed, and submitted
    await apply.getByLabel(/申请用途/).fill('开发市政设施查询小程序，向市民展示附近设施信息');
    await apply.getByLabel(/使用方式/).fill('小程序地图页展示，不转售数据');
    await apply.getByLabel(/读取/).check();
    await apply.getByLabel(/下载/).uncheck();
    expect(await apply.getByLabel(/读取/).isChecked()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'dataset-apply-form');
    await apply.getByRole('button', { name: '提交申请' }).click();

    await page.waitForURL(/\/developer\/applications\?flash=/);
    expect(await page.getByRole('status').first().innerText()).toContain(dataset.name);
    const confirmation = page.url();
    // only a message the portal sealed is shown: text in a link never is (phishing)
    await page.goto(
      `${portal.base}/developer/applications?submitted=${encodeURIComponent('任意文本')}`,
    );
    expect(await page.locator('main').innerText()).not.toContain('任意文本');
    await page.goto(confirmation);
    const row = page.getByRole('row', { name: new RegExp(dataset.name) });
    expect(await row.innerText()).toContain('待审核');
    expect(await row.getByRole('button').count()).toBe(0);

    // with an application waiting, the dataset page says so up front instead of offering the form
    await page.goto(`${portal.base}/datasets/${dataset.code}`);
    expect(await apply.locator('form').count()).toBe(0);
    expect(await apply.getByRole('status').innerText()).toContain('正在等待提供部门审核');
    expect(await apply.getByRole('link', { name: '查看我的开放申请' }).getAttribute('href')).toBe(
      '/developer/applications',
    );

    // the provider approves through the API
    const steward = await h.token(dataset.steward);
    const inbox = await call(h.exchange.base, 'GET', '/v1/open-applications?side=provider', {
      token: steward,
    });
    const submitted = (
      inbox.body.items as { id: string; resourceCode: string; status: string }[]
    ).find((a) => a.resourceCode === dataset.code && a.status === 'submitted');
    expect(submitted).toMatchObject({ purposeCode: 'PUBLIC_WELFARE', purposeName: '公益服务' });
    const approved = await call(
      h.exchange.base,
      'POST',
      `/v1/open-applications/${submitted!.id}/approve`,
      { token: steward, body: { dailyQuota: 1000, validUntil: '2099-12-31T08:00:00.000Z' } },
    );
    expect(approved.status).toBe(200);

    // approved: still no second application, and the page says it was approved
    await page.goto(`${portal.base}/datasets/${dataset.code}`);
    expect(await apply.locator('form').count()).toBe(0);
    expect(await apply.getByRole('status').innerText()).toContain('已获批准');
    expect(await seriousViolations(page)).toEqual([]);
    await apply.getByRole('link', { name: '查看我的开放申请' }).click();
    await page.waitForURL(/\/developer\/applications$/);

    // the developer sees it approved and claims the key, shown once; what was approved is under
    // 审核结果, the button under 操作, in view without scrolling the table sideways
    await page.goto(`${portal.base}/developer/applications`);
    expect(await row.innerText()).toContain('已批准');
    const result = await cellUnder(row, '审核结果');
    expect(await result.innerText()).toContain('每日调用上限 1000 次');
    expect(await result.getByRole('button').count()).toBe(0);
    const claim = (await cellUnder(row, '操作')).getByRole('button', {
      name: `领取 API key：${dataset.name}`,
    });
    const scrollBox = (await page.locator('.applications-table').locator('..').boundingBox())!;
    const claimBox = (await claim.boundingBox())!;
    expect(claimBox.x + claimBox.width).toBeLessThanOrEqual(scrollBox.x + scrollBox.width);
    await claim.click();
    await page.waitForURL(/\/developer\/applications\?reveal=/);
    const key = (await page.locator('#new-key-secret').innerText()).trim();
    expect(key).toMatch(/^gx_/);
    await shoot(page, 'developer-applications');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await callRecords(key)).toBe(200);

    // gone on reload; the decision says it was claimed, nothing is left to do
    await page.reload();
    expect(await page.locator('#new-key-secret').count()).toBe(0);
    expect(await (await cellUnder(row, '审核结果')).innerText()).toContain('已领取');
    expect(await (await cellUnder(row, '操作')).innerText()).toBe('—');
    expect(await row.getByRole('button').count()).toBe(0);

    // in the key list, the claimed key says which dataset it is limited to, and until when
    await page.goto(`${portal.base}/developer/keys`);
    const keyRow = page.getByRole('row', { name: new RegExp(`开放申请：${dataset.name}`) });
    expect(await keyRow.innerText()).toContain(`仅限数据集：${dataset.name}`);
    expect(await keyRow.innerText()).toContain('2099-12-31');
    await context.close();
  });

  it('a developer withdraws an application still waiting, after confirming, without JavaScript', async () => {
    // another 有条件开放 dataset, applied for through the API as the demo developer
    const { rows } = await h.db.pool.query<{ code: string; name: string }>(
      `SELECT r.code, r.name FROM resources r
        WHERE r.open_type = 'conditional' AND r.status = 'published' AND r.code <> $1
        ORDER BY r.code LIMIT 1`,
      [dataset.code],
    );
    const other = rows[0]!;
    const token = await h.token('developer');
    const applied = await call(h.exchange.base, 'POST', '/v1/open-applications', {
      token,
      body: {
        resourceCode: other.code,
        purpose: '交通出行小程序',
        realName: '张伟',
        organisation: '杭州数智科技有限公司',
        contact: 'zhangwei@example.cn',
        intendedUse: '小程序展示',
        actions: ['read'],
      },
    });
    expect(applied.status).toBe(201);

    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await page.goto(`${portal.base}/auth/login?next=%2Fdeveloper%2Fapplications`);
    await page.getByLabel('用户名或邮箱').fill('developer');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${portal.base}/developer/applications`);
    const row = page.getByRole('row', { name: new RegExp(other.name) });
    expect(await row.innerText()).toContain('待审核');
    // the button is under 操作, not under 审核结果 (there is no decision yet)
    expect(await (await cellUnder(row, '审核结果')).innerText()).toBe('—');
    const withdraw = (await cellUnder(row, '操作')).getByRole('link', {
      name: `撤回申请：${other.name}`,
    });
    await withdraw.click();
    const confirm = page.locator('#confirm');
    expect(await confirm.innerText()).toContain(`确认撤回对“${other.name}”的开放申请？`);
    await confirm.getByRole('button', { name: '确认撤回' }).click();
    await page.waitForURL(/\/developer\/applications\?flash=/);
    expect(await page.getByRole('status').first().innerText()).toContain(
      `已撤回对“${other.name}”的开放申请`,
    );
    expect(await row.innerText()).toContain('已撤回');
    expect(await row.getByRole('link', { name: /撤回申请/ }).count()).toBe(0);
    const after = await call(h.exchange.base, 'GET', `/v1/open-applications/${applied.body.id}`, {
      token,
    });
    expect(after.body.status).toBe('cancelled');
    await context.close();
  });
});

describe('评分与评论 in the portal', JOURNEY, () => {
  let dataset: PlainOpenDataset;

  beforeAll(async () => {
    dataset = await plainOpenDataset();
  });

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

    // no stars chosen (a browser that does not check the form): refused, the comment kept
    await reviews
      .locator('form.review-form')
      .evaluate((form) => form.setAttribute('novalidate', ''));
    await reviews.getByLabel(/评论/).fill('<img src=x onerror=alert(1)>字段说明不够清楚');
    await reviews.getByRole('button', { name: '保存评价' }).click();
    await page.waitForURL(/[?&]review=input&form=[^&#]+#reviews$/);
    expect(await reviews.getByRole('alert').innerText()).toContain('评价未能保存');
    expect(await reviews.getByLabel(/评论/).inputValue()).toBe(
      '<img src=x onerror=alert(1)>字段说明不够清楚',
    );
    expect(await reviews.locator('input[name="rating"]:checked').count()).toBe(0);
    expect(await reviews.innerText()).toContain('还没有评价');

    // stars chosen, the kept comment sent as it is
    await reviews.getByLabel('2 星').check();
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

describe('数据需求 in the portal', JOURNEY, () => {
  /** a published dataset of the demo city, its provider (code, name) and the provider's steward */
  let dataset: {
    code: string;
    name: string;
    department: string;
    departmentName: string;
    steward: string;
  };

  beforeAll(async () => {
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
  });

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
    const description = '希望开放公共厕所的位置与开放时间，用于便民地图。';
    const notice = page.locator('main').getByRole('alert');
    /** what the form holds: every field, as typed */
    const held = async () => ({
      title: await page.getByLabel('需求标题').inputValue(),
      description: await page.getByLabel(/需求说明/).inputValue(),
      department: await page.getByLabel(/希望提供的部门/).inputValue(),
      contact: await page.getByLabel(/联系方式/).inputValue(),
    });

    // a description of only spaces passes the browser's check; the portal refuses it and the
    // form comes back with everything typed
    await page.getByLabel('需求标题').fill(title);
    await page.getByLabel(/需求说明/).fill('   ');
    await page.getByLabel(/希望提供的部门/).selectOption(dataset.department);
    await page.getByLabel(/联系方式/).fill('zhangwei@example.cn');
    await page.getByRole('button', { name: '提交需求' }).click();
    await page.waitForURL(/\/requests\/new\?error=input&form=/);
    expect(await notice.innerText()).toContain('需求未能提交');
    expect(await held()).toEqual({
      title,
      description: '   ',
      department: dataset.department,
      contact: 'zhangwei@example.cn',
    });
    expect(await page.locator('main i').count()).toBe(0);
    // it says which field, and that field (only that one) points at the message
    expect(await notice.innerText()).toContain('尚未填写：需求说明。');
    const noticeId = await notice.getAttribute('id');
    expect(noticeId).toBeTruthy();
    const descriptionField = page.getByLabel(/需求说明/);
    expect(await descriptionField.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionField.getAttribute('aria-describedby')).toBe(noticeId);
    expect(await page.getByLabel('需求标题').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel(/联系方式/).getAttribute('aria-invalid')).toBeNull();
    // in English too, a sentence apart from the general one
    await context.addCookies([{ name: 'gx_lang', value: 'en', url: portal.base }]);
    await page.reload();
    expect(await notice.innerText()).toContain(
      '(within the length limits). Not filled in: Description.',
    );
    expect(await page.getByLabel(/^Description/).getAttribute('aria-invalid')).toBe('true');
    await context.addCookies([{ name: 'gx_lang', value: 'zh-CN', url: portal.base }]);
    await page.reload();

    // a contact that is neither a mobile number nor an e-mail address: refused the same way
    await page.getByLabel(/需求说明/).fill(description);
    await page.getByLabel(/联系方式/).fill('not-a-contact');
    await page.getByRole('button', { name: '提交需求' }).click();
    await page.waitForURL(/\/requests\/new\?error=contact&form=/);
    expect(await notice.innerText()).toContain('联系方式请填写 11 位手机号码或电子邮箱地址');
    expect(await page.getByLabel(/联系方式/).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel(/联系方式/).getAttribute('aria-describedby')).toBe(noticeId);
    expect(await descriptionField.getAttribute('aria-invalid')).toBeNull();
    expect(await held()).toEqual({
      title,
      description,
      department: dataset.department,
      contact: 'not-a-contact',
    });
    expect(await seriousViolations(page)).toEqual([]);

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

describe('数据纠错 in the portal', JOURNEY, () => {
  let dataset: PlainOpenDataset;

  beforeAll(async () => {
    dataset = await plainOpenDataset();
  });

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

    // a record key the dataset does not have: back to the form with a message and everything
    // typed (sealed for this developer), nothing raised
    await report.getByLabel(/有误的信息项/).selectOption(dataset.field);
    await report.getByLabel(/主键值/).fill('不存在的记录-000');
    await report.getByLabel(/问题说明/).fill('该记录的数值与现场不符');
    await report.getByLabel(/正确的值/).fill('42');
    await report.getByRole('button', { name: '提交纠错' }).click();
    await page.waitForURL(/[?&]report=input&form=[^&#]+#report$/);
    expect(await report.getByRole('alert').innerText()).toContain('纠错未能提交');
    expect(await report.getByLabel(/有误的信息项/).inputValue()).toBe(dataset.field);
    expect(await report.getByLabel(/主键值/).inputValue()).toBe('不存在的记录-000');
    expect(await report.getByLabel(/问题说明/).inputValue()).toBe('该记录的数值与现场不符');
    expect(await report.getByLabel(/正确的值/).inputValue()).toBe('42');
    // the carried form is sealed: nothing typed shows in the address
    expect(decodeURIComponent(page.url())).not.toContain('该记录的数值与现场不符');

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
    // the steps are in their own 操作 column, not under 部门答复
    const headers = await page.locator('table thead th').allInnerTexts();
    const cells = row.locator('td');
    const cellUnder = (header: string) => cells.nth(headers.indexOf(header) - 1);
    expect(await cellUnder('操作').getByRole('button', { name: '撤回' }).count()).toBe(1);
    expect(await cellUnder('部门答复').getByRole('button').count()).toBe(0);
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
    // a page left open while the report was closed elsewhere (another tab): the step is refused
    // with what happened, and the list shows the report as it now stands
    const closedElsewhere = await call(
      h.exchange.base,
      'POST',
      `/v1/objections/${second.body.number}/close`,
      { token: await h.token('developer'), body: {} },
    );
    expect(closedElsewhere.status).toBe(200);
    await steps(second.body.number).getByRole('button', { name: '确认关闭' }).click();
    await page.waitForURL(/\/developer\/reports\?error=changed/);
    expect(await page.locator('.notice-error').innerText()).toContain('这条纠错的状态已有变化');
    expect(
      await page.getByRole('row', { name: new RegExp(second.body.number) }).innerText(),
    ).toContain('已关闭');
    expect(await steps(second.body.number).count()).toBe(0);
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
