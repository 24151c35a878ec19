// The approver's console in real Chromium (issue 8, "Approver"): the data authority's approver
// approves a directory entry and it appears in public search; a request made by a department
// system through the API reaches the provider's approver, who sets masks and a row filter with
// a preview and approves; the system's next call gets masked, filtered data. Then grants
// (suspend, resume, revoke with confirmation) and 有条件开放 applications.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Harness } from '../harness.ts';
import { arrive, flashText, signInToConsole } from './console.ts';
import { startPortalJourney } from './journey.ts';
import { seriousViolations, shoot } from './pageChecks.ts';
import type { RunningPortal } from './portalServer.ts';

const JOURNEY = { timeout: 180_000 };

let h: Harness;
let portal: RunningPortal;
let browser: Browser;

const catalog = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.catalog.base, method, path, options);
const exchange = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.exchange.base, method, path, options);

const DISTRICTS = ['西湖区', '上城区', '拱墅区'];
/** fictitious people with made-up numbers */
const people = Array.from({ length: 30 }, (_, i) => ({
  id_number: `33010619850101${String(2000 + i).slice(-4)}`,
  name: `审核测试${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}`,
  mobile: `1390013${String(7000 + i)}`,
  district: DISTRICTS[i % 3]!,
}));

/** A steward's entry, created and submitted for review through the catalog API. */
async function submitEntry(body: Record<string, unknown>): Promise<string> {
  const steward = await h.token('hz-gaj.steward');
  const created = await catalog('POST', '/v1/resources', { token: steward, body });
  expect(created.status).toBe(201);
  const code = created.body.code as string;
  const submitted = await catalog('POST', `/v1/resources/${code}/submit`, { token: steward });
  expect(submitted.body.status).toBe('in_review');
  return code;
}

async function expectAccessible(page: Page) {
  expect(await seriousViolations(page)).toEqual([]);
}

beforeAll(async () => {
  ({ h, portal, browser } = await startPortalJourney('console-approver-test-secret-0123456789'));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await h?.close();
});

describe('the approver console', JOURNEY, () => {
  const openName = '审核台测试公共自行车站点';
  let openCode: string;
  let requestId: string;
  let requestNumber: string;

  it('the data authority approves an entry under review and the public finds it', async () => {
    openCode = await submitEntry({
      name: openName,
      abstract: '全市公共自行车租赁站点的位置与车桩数量',
      themeCode: 'population',
      format: 'database',
      sharingType: 'unconditional',
      sharingMethods: ['api'],
      openType: 'conditional',
      openConditions: '须说明用途',
      updateCycle: 'daily',
      items: [
        { name: 'station_id', label: '站点编号', dataType: 'string', isKey: true },
        { name: 'station_name', label: '站点名称', dataType: 'string', isRequired: true },
        { name: 'docks', label: '车桩数', dataType: 'integer', unit: '个' },
      ],
    });
    const before = await catalog('GET', `/v1/search?q=${encodeURIComponent(openName)}`);
    expect(before.body.items.map((i: { code: string }) => i.code)).not.toContain(openCode);

    const { context, page } = await signInToConsole(browser, h, portal, 'hz-dsj.approver');
    await page
      .getByRole('navigation', { name: '工作台导航' })
      .getByRole('link', { name: '目录审核' })
      .click();
    await arrive(page, portal, `${portal.base}/console/reviews`);
    const row = page.getByRole('row', { name: new RegExp(openName) });
    expect(await row.innerText()).toContain('有条件开放');
    await expectAccessible(page);
    await shoot(page, 'console-approver-reviews');

    await row.getByRole('link', { name: openName }).click();
    await arrive(page, portal, `${portal.base}/console/reviews/${openCode}`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(openName);
    const items = page.getByRole('region', { name: '信息项' });
    expect(await items.getByRole('row', { name: /车桩数/ }).innerText()).toContain('整数');
    expect(await page.locator('.approver-json').innerText()).toContain('"station_name"');
    await expectAccessible(page);
    await shoot(page, 'console-approver-review-entry');

    // sending back needs a comment
    await page.getByRole('button', { name: '退回修改' }).click();
    await arrive(page, portal, `${portal.base}/console/reviews/${openCode}?**`);
    expect(await flashText(page)).toContain('请填写审核意见');

    await page.getByRole('textbox', { name: /审核意见/ }).fill('元数据完整，同意发布。');
    await page.getByRole('button', { name: '审核通过并发布' }).click();
    await arrive(page, portal, `${portal.base}/console/reviews?**`);
    expect(await flashText(page)).toContain(`“${openName}”已发布`);
    expect(await page.getByRole('row', { name: new RegExp(openName) }).count()).toBe(0);
    await context.close();

    // anonymous public search now finds it
    const after = await catalog('GET', `/v1/search?q=${encodeURIComponent(openName)}`);
    expect(after.body.items.map((i: { code: string }) => i.code)).toContain(openCode);
  });

  it("a system's request reaches the provider's approver, who masks, filters and approves", async () => {
    // the provider's conditional resource with personal data, published and hosting records
    const code = await submitEntry({
      name: '审核台测试居民联系方式',
      abstract: '本市居民登记的联系电话与所属区县',
      themeCode: 'population',
      format: 'database',
      sharingType: 'conditional',
      sharingConditions: '仅限依法履职所需',
      sharingMethods: ['api'],
      openType: 'none',
      updateCycle: 'daily',
      items: [
        {
          name: 'id_number',
          label: '公民身份号码',
          dataType: 'string',
          maxLength: 18,
          isKey: true,
          isPersonal: true,
          dataGrade: 'important',
        },
        { name: 'name', label: '姓名', dataType: 'string', isRequired: true, isPersonal: true },
        { name: 'mobile', label: '手机号码', dataType: 'string', isPersonal: true },
        { name: 'district', label: '所属区县', dataType: 'string' },
      ],
    });
    await catalog('POST', `/v1/resources/${code}/approve`, {
      token: await h.token('hz-dsj.approver'),
    });
    const ingest = await exchange('POST', `/v1/resources/${code}/records`, {
      token: await h.systemToken('hz-gaj-system'),
      body: { records: people },
    });
    expect(ingest.body.accepted).toBe(people.length);

    // another department's system asks through the API
    const consumer = await h.systemToken('hz-rsj-system');
    const asked = await exchange('POST', '/v1/sharing-requests', {
      token: consumer,
      body: {
        resourceCode: code,
        fields: ['id_number', 'name', 'mobile', 'district'],
        purposeCodes: ['SOCIAL_SECURITY'],
        purposeText: '社会保险待遇资格认证，核对参保人联系方式',
        legalBasisText: '《社会保险法》第八条',
        deliveryModes: ['query'],
        expectedVolume: '每日约 500 条',
      },
    });
    expect(asked.status).toBe(201);
    requestId = asked.body.id;
    requestNumber = asked.body.number;

    const { context, page } = await signInToConsole(browser, h, portal, 'hz-gaj.approver');
    await page
      .getByRole('navigation', { name: '工作台导航' })
      .getByRole('link', { name: '共享申请' })
      .click();
    await arrive(page, portal, `${portal.base}/console/sharing-requests`);
    const row = page.getByRole('row', { name: new RegExp(requestNumber) });
    const rowText = await row.innerText();
    expect(rowText).toContain('杭州市人力资源和社会保障局');
    expect(rowText).toMatch(/剩余 \d 个工作日/);
    expect(rowText).toContain('待审批');
    await expectAccessible(page);
    await shoot(page, 'console-approver-sharing-inbox');

    await row.getByRole('link', { name: requestNumber }).click();
    await arrive(page, portal, `${portal.base}/console/sharing-requests/${requestId}`);
    const facts = await page.locator('.approver-facts').innerText();
    expect(facts).toContain('社会保险待遇资格认证');
    expect(facts).toContain('《社会保险法》第八条');
    expect(facts).toContain('手机号码（mobile）');
    expect(facts).toContain('每日约 500 条');

    // masks: mobile keeps 3 + 4, the ID number becomes a pseudonym
    await page.getByLabel('“手机号码”的脱敏方式').selectOption('keep_first_last');
    await page.getByLabel('保留前几位').fill('3');
    await page.getByLabel('保留后几位').fill('4');
    await page.getByLabel('“公民身份号码”的脱敏方式').selectOption('hmac_pseudonym');
    // row filter: one district
    await page.getByLabel('条件 1 的字段').selectOption('district');
    await page.getByLabel('条件 1 的值').fill('西湖区');
    expect(JSON.parse(await page.getByTestId('filter-expression').innerText())).toEqual({
      field: 'district',
      op: '=',
      value: '西湖区',
    });
    // the preview is the exchange's own shaping of one of the hosted records
    const preview = page.getByTestId('policy-preview');
    const mobileRow = preview.locator('tr[data-field="mobile"]');
    await expect.poll(() => mobileRow.locator('td').nth(1).innerText()).toMatch(/^139\*{4}\d{4}$/);
    const original = await mobileRow.locator('td').first().innerText();
    expect(people.map((p) => p.mobile)).toContain(original);
    expect(await preview.locator('tr[data-field="district"] td').nth(1).innerText()).toBe('西湖区');
    const idCells = preview.locator('tr[data-field="id_number"] td');
    expect(await idCells.nth(1).innerText()).not.toBe(await idCells.first().innerText());
    expect(await page.getByTestId('preview-filter').innerText()).toContain('满足行过滤条件');
    await page.getByLabel(/每日最多记录数/).fill('1000');
    await expectAccessible(page);
    await shoot(page, 'console-approver-policy-editor');

    // centre the button first: at the viewport's bottom edge the click landed beside it
    const approve = page.getByRole('button', { name: '批准并授权' });
    const submit = async () => {
      await approve.evaluate((b) => b.scrollIntoView({ block: 'center' }));
      await approve.click();
      await arrive(page, portal, `${portal.base}/console/sharing-requests/${requestId}?**`);
    };
    // a refused approval (validity ending before it starts) comes back with every choice kept
    const validFrom = page.getByLabel(/生效日期/);
    const validUntil = page.getByLabel(/截止日期/);
    const period = [await validFrom.inputValue(), await validUntil.inputValue()] as const;
    await validFrom.fill('2027-12-31');
    await validUntil.fill('2027-01-01');
    await submit();
    expect(await flashText(page)).toContain('截止日期应晚于生效日期');
    expect(await page.getByLabel('“手机号码”的脱敏方式').inputValue()).toBe('keep_first_last');
    expect(await page.getByLabel('保留前几位').inputValue()).toBe('3');
    expect(await page.getByLabel('保留后几位').inputValue()).toBe('4');
    expect(await page.getByLabel('“公民身份号码”的脱敏方式').inputValue()).toBe('hmac_pseudonym');
    expect(await page.getByLabel('条件 1 的字段').inputValue()).toBe('district');
    expect(await page.getByLabel('条件 1 的值').inputValue()).toBe('西湖区');
    expect(await page.getByLabel(/每日最多记录数/).inputValue()).toBe('1000');
    expect(await validFrom.inputValue()).toBe('2027-12-31');
    // put the requested period back and approve
    await validFrom.fill(period[0]);
    await validUntil.fill(period[1]);
    await submit();
    expect(await flashText(page)).toContain(`已批准申请 ${requestNumber}`);
    await shoot(page, 'console-approver-request-approved');
    await context.close();

    // the system's next call: granted fields, masked, only that district
    const request = await exchange('GET', `/v1/sharing-requests/${requestId}`, { token: consumer });
    expect(request.body.status).toBe('approved');
    const records = await exchange('GET', `/v1/grants/${request.body.grantId}/records?limit=100`, {
      token: consumer,
      headers: { 'x-purpose': 'SOCIAL_SECURITY' },
    });
    expect(records.status).toBe(200);
    const expected = people.filter((p) => p.district === '西湖区');
    expect(records.body.items).toHaveLength(expected.length);
    for (const item of records.body.items) {
      expect(item.district).toBe('西湖区');
      expect(item.mobile).toMatch(/^139\*{4}\d{4}$/);
      expect(people.map((p) => p.id_number)).not.toContain(item.id_number);
    }
  });

  it('the approver suspends, resumes and, after confirming, revokes the grant', async () => {
    const consumer = await h.systemToken('hz-rsj-system');
    const { grantId } = (
      await exchange('GET', `/v1/sharing-requests/${requestId}`, { token: consumer })
    ).body;
    const read = async () =>
      (
        await exchange('GET', `/v1/grants/${grantId}/records?limit=1`, {
          token: consumer,
          headers: { 'x-purpose': 'SOCIAL_SECURITY' },
        })
      ).status;
    const { context, page } = await signInToConsole(browser, h, portal, 'hz-gaj.approver');
    await page.goto(`${portal.base}/console/grants`);
    const row = () => page.getByRole('row', { name: new RegExp(requestNumber) });
    expect(await row().innerText()).toContain('4 个字段，2 个脱敏，有行过滤');
    // the system's one query delivered the district's records, counted against the quota
    expect(await row().innerText()).toContain(
      `今日已取 ${people.filter((p) => p.district === '西湖区').length} / 1000 条，调用 1 次`,
    );
    expect(await row().innerText()).toContain('有效');
    await expectAccessible(page);
    await shoot(page, 'console-approver-grants');

    // suspending asks for a reason, which the consumer sees
    await row()
      .getByRole('link', { name: `暂停 ${requestNumber}` })
      .click();
    await arrive(page, portal, `${portal.base}/console/grants?confirm=${grantId}&change=suspend`);
    await page.getByLabel('暂停理由').fill('核查数据使用情况');
    await page.getByRole('button', { name: '确认暂停' }).click();
    await arrive(page, portal, `${portal.base}/console/grants?flash=**`);
    expect(await flashText(page)).toContain('授权已暂停');
    expect(await row().innerText()).toContain('已暂停');
    expect(await read()).toBe(403);

    await row()
      .getByRole('button', { name: `恢复 ${requestNumber}` })
      .click();
    await arrive(page, portal, `${portal.base}/console/grants?flash=**`);
    expect(await flashText(page)).toContain('授权已恢复');
    expect(await read()).toBe(200);

    // revoking asks first; cancelling changes nothing
    await row()
      .getByRole('link', { name: `撤销 ${requestNumber}` })
      .click();
    await arrive(page, portal, `${portal.base}/console/grants?confirm=${grantId}&change=revoke`);
    const dialog = page.getByRole('alertdialog', { name: '确认撤销授权' });
    expect(await dialog.innerText()).toContain('不能恢复');
    await expectAccessible(page);
    await shoot(page, 'console-approver-grant-revoke-confirm');
    await dialog.getByRole('link', { name: '取消' }).click();
    await arrive(page, portal, `${portal.base}/console/grants`);
    expect(await read()).toBe(200);

    await row()
      .getByRole('link', { name: `撤销 ${requestNumber}` })
      .click();
    await page.getByLabel('撤销理由').fill('业务已结束');
    await page.getByRole('button', { name: '确认撤销' }).click();
    await arrive(page, portal, `${portal.base}/console/grants?flash=**`);
    expect(await flashText(page)).toContain('授权已撤销');
    expect(await row().innerText()).toContain('已撤销');
    expect(await row().getByRole('button').count()).toBe(0);
    expect(await row().getByRole('link').count()).toBe(0);
    expect(await read()).toBe(403);
    await context.close();
  });

  it('the provider approves a 有条件开放 application with a narrower scope and a quota', async () => {
    const apply = async (username: string, realName: string) => {
      const res = await exchange('POST', '/v1/open-applications', {
        token: await h.token(username),
        body: {
          resourceCode: openCode,
          purpose: '开发公共自行车找车小程序',
          realName,
          organisation: '杭州某科技有限公司',
          contact: 'dev@example.cn',
          intendedUse: '在小程序地图上展示附近站点和车桩数',
          actions: ['read', 'download'],
        },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const approvedId = await apply('developer', '陈开发');

    const { context, page } = await signInToConsole(browser, h, portal, 'hz-gaj.approver');
    await page
      .getByRole('navigation', { name: '工作台导航' })
      .getByRole('link', { name: '开放申请' })
      .click();
    await arrive(page, portal, `${portal.base}/console/open-applications`);
    const card = page.getByRole('article', { name: `${openName} · 陈开发` });
    expect(await card.innerText()).toContain('在小程序地图上展示附近站点和车桩数');
    await expectAccessible(page);
    await shoot(page, 'console-approver-open-applications');

    // rejecting needs a reason: the browser asks for it before anything is sent
    const reject = card.getByRole('form', { name: '驳回：陈开发' });
    expect(await reject.getByLabel('驳回理由').getAttribute('required')).not.toBeNull();

    const approve = card.getByRole('form', { name: '批准：陈开发' });
    await approve.getByLabel('下载').uncheck();
    await approve.getByLabel(/每日调用上限/).fill('500');
    await approve.getByRole('button', { name: '批准' }).click();
    await arrive(page, portal, `${portal.base}/console/open-applications?**`);
    expect(await flashText(page)).toContain('申请人现在可以领取 API key');
    expect(await page.getByRole('article').count()).toBe(0);
    await context.close();

    const decided = await exchange('GET', `/v1/open-applications/${approvedId}`, {
      token: await h.token('developer'),
    });
    expect(decided.body).toMatchObject({
      status: 'approved',
      grantedActions: ['read'],
      dailyQuota: 500,
    });
  });
});
