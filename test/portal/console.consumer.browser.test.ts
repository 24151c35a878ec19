// The steward's side of sharing in real Chromium (本部门申请): 人社局's steward finds 公安局's
// conditional resource in the directory, asks for it (a form problem comes back with the choices
// kept), follows it to the approver's decision and reads what was granted — masks, row filter,
// quota — in words; an unconditional resource is granted at once; a pending request is withdrawn;
// a 不予共享 resource shows its legal basis and no form. Under a grant it holds, the steward raises a
// data objection (a record the exchange does not find comes back with the form kept), and follows
// the provider's answer: declined, reopened with a reason, corrected, closed.
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

const PREFIX = '申请台测试';
const CONDITIONAL = `${PREFIX}居民联系方式`;
const UNCONDITIONAL = `${PREFIX}公共停车场`;
const NOT_SHARED = `${PREFIX}在押人员信息`;
const NOT_SHARED_BASIS = '《看守所条例》第七条：在押人员信息不对外提供';

/** A 公安局 entry, created, submitted and published through the catalog API. */
async function publish(body: Record<string, unknown>): Promise<string> {
  const steward = await h.token('hz-gaj.steward');
  const created = await catalog('POST', '/v1/resources', { token: steward, body });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const code = created.body.code as string;
  expect((await catalog('POST', `/v1/resources/${code}/submit`, { token: steward })).status).toBe(
    200,
  );
  const approved = await catalog('POST', `/v1/resources/${code}/approve`, {
    token: await h.token('hz-dsj.approver'),
  });
  expect(approved.body.status).toBe('published');
  return code;
}

const entry = (name: string, sharing: Record<string, unknown>) => ({
  name,
  abstract: `${name}（浏览器测试用）`,
  themeCode: 'population',
  format: 'database',
  sharingMethods: ['api'],
  openType: 'none',
  updateCycle: 'daily',
  ...sharing,
});

const personItems = [
  {
    name: 'id_number',
    label: '公民身份号码',
    dataType: 'string',
    maxLength: 18,
    isKey: true,
    isPersonal: true,
  },
  { name: 'name', label: '姓名', dataType: 'string', isRequired: true, isPersonal: true },
  { name: 'mobile', label: '手机号码', dataType: 'string', isPersonal: true },
  { name: 'district', label: '所属区县', dataType: 'string' },
];

const factsText = (page: Page) => page.locator('.approver-facts').first().innerText();

/** From the list, through the directory search, to the form of the resource named. */
async function chooseResource(page: Page, name: string) {
  await page.goto(`${portal.base}/console/my-requests`);
  await page.getByRole('link', { name: '新建共享申请' }).click();
  await arrive(page, portal, `${portal.base}/console/my-requests/new`);
  await page.getByRole('searchbox', { name: '检索资源目录' }).fill(name);
  await page.getByRole('button', { name: '检索', exact: true }).click();
  await arrive(page, portal, `${portal.base}/console/my-requests/new?q=**`);
  await page.getByRole('link', { name: `申请此资源：${name}` }).click();
  await arrive(page, portal, `${portal.base}/console/my-requests/new?resource=**`);
}

async function submitForm(page: Page) {
  const button = page.getByRole('button', { name: '提交申请' });
  await button.evaluate((b) => b.scrollIntoView({ block: 'center' }));
  await button.click();
}

let conditionalCode: string;
let notSharedCode: string;

beforeAll(async () => {
  ({ h, portal, browser } = await startPortalJourney('console-consumer-test-secret-0123456789'));
  conditionalCode = await publish(
    entry(CONDITIONAL, {
      sharingType: 'conditional',
      sharingConditions: '仅限依法履职所需',
      items: personItems,
    }),
  );
  await publish(
    entry(UNCONDITIONAL, {
      sharingType: 'unconditional',
      items: [
        { name: 'lot_id', label: '停车场编号', dataType: 'string', isKey: true },
        { name: 'spaces', label: '泊位数', dataType: 'integer' },
      ],
    }),
  );
  notSharedCode = await publish(
    entry(NOT_SHARED, {
      sharingType: 'none',
      sharingMethods: [],
      sharingLegalBasis: NOT_SHARED_BASIS,
      items: personItems,
    }),
  );
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await h?.close();
});

describe('the steward asks other departments for data', JOURNEY, () => {
  let requestId: string;
  let requestNumber: string;

  it('finds a conditional resource, asks for it, and a form problem keeps the choices', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'hz-rsj.steward');
    await page
      .getByRole('navigation', { name: '工作台导航' })
      .getByRole('link', { name: '本部门申请' })
      .click();
    await arrive(page, portal, `${portal.base}/console/my-requests`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('本部门申请');

    // the search offers what can be shared, never the 不予共享 entry
    await page.getByRole('link', { name: '新建共享申请' }).click();
    await page.getByRole('searchbox', { name: '检索资源目录' }).fill(PREFIX);
    await page.getByRole('button', { name: '检索', exact: true }).click();
    await arrive(page, portal, `${portal.base}/console/my-requests/new?q=**`);
    const results = page.getByRole('region', { name: /找到/ });
    expect(await results.innerText()).toContain(CONDITIONAL);
    expect(await results.innerText()).toContain(UNCONDITIONAL);
    expect(await results.innerText()).not.toContain(NOT_SHARED);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'console-consumer-search');

    await chooseResource(page, CONDITIONAL);
    expect(await page.getByRole('region', { name: '申请的资源' }).innerText()).toContain(
      '有条件共享，提交后由提供部门审批。共享条件：仅限依法履职所需',
    );
    // no field ticked: the form comes back with the rest kept
    await page.getByLabel('社会保障（SOCIAL_SECURITY）').check();
    await page.getByLabel('用途说明').fill('社会保险待遇资格认证，核对参保人联系方式');
    await page.getByLabel('法律法规依据或其他说明').fill('《社会保险法》第八条');
    await page.getByLabel('核验').check();
    await page.getByLabel('预计数据量').fill('每日约 500 条');
    await submitForm(page);
    await arrive(page, portal, `${portal.base}/console/my-requests/new?**`);
    expect(await flashText(page)).toContain('请至少勾选一个字段');
    expect(await page.getByLabel('用途说明').inputValue()).toBe(
      '社会保险待遇资格认证，核对参保人联系方式',
    );
    expect(await page.getByLabel('社会保障（SOCIAL_SECURITY）').isChecked()).toBe(true);
    expect(await page.getByLabel('核验').isChecked()).toBe(true);
    expect(await page.getByLabel('预计数据量').inputValue()).toBe('每日约 500 条');
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'console-consumer-form');

    for (const label of [/^公民身份号码/, /^手机号码/, /^所属区县/]) {
      await page.getByLabel(label).check();
    }
    await submitForm(page);
    await arrive(page, portal, `${portal.base}/console/my-requests/*-*?flash=**`);
    expect(await flashText(page)).toMatch(/已提交共享申请 SQ\d+，等待提供部门审批/);
    requestId = page.url().split('/').pop()!.split('?')[0]!;
    const facts = await factsText(page);
    expect(facts).toContain('杭州市公安局');
    expect(facts).toContain('待审批');
    expect(facts).toMatch(/剩余 \d 个工作日/);
    expect(facts).toContain('手机号码（mobile）');
    expect(facts).not.toContain('姓名（name）');
    expect(facts).toContain('查询、核验');
    expect(facts).toContain('社会保障（SOCIAL_SECURITY）');
    await shoot(page, 'console-consumer-request-pending');
    await context.close();

    // the provider's approver receives exactly what was asked
    const inbox = await exchange('GET', '/v1/sharing-requests?side=provider&status=pending', {
      token: await h.token('hz-gaj.approver'),
    });
    const asked = inbox.body.items.find((r: { id: string }) => r.id === requestId);
    expect(asked).toMatchObject({
      fields: ['id_number', 'mobile', 'district'],
      purposeCodes: ['SOCIAL_SECURITY'],
      purposeText: '社会保险待遇资格认证，核对参保人联系方式',
      legalBasisText: '《社会保险法》第八条',
      deliveryModes: ['query', 'verify'],
      expectedVolume: '每日约 500 条',
      requestedBy: 'hz-rsj.steward',
    });
    requestNumber = asked.number;
  });

  it('reads what the provider granted, in words, and sees the grant held', async () => {
    const approved = await exchange('POST', `/v1/sharing-requests/${requestId}/approve`, {
      token: await h.token('hz-gaj.approver'),
      body: {
        fields: ['id_number', 'mobile', 'district'],
        masks: {
          mobile: { kind: 'keep_first_last', first: 3, last: 4 },
          id_number: { kind: 'hmac_pseudonym' },
        },
        rowFilter: { field: 'district', op: '=', value: '西湖区' },
        quotas: { recordsPerDay: 1000 },
      },
    });
    expect(approved.status).toBe(200);
    // 人社局's system calls once under the grant (a key it does not hold: nothing delivered)
    const called = await exchange(
      'GET',
      `/v1/grants/${approved.body.grantId}/records/330106198501019999`,
      { token: await h.systemToken('hz-rsj-system'), headers: { 'x-purpose': 'SOCIAL_SECURITY' } },
    );
    expect(called.status).toBe(404);

    const { context, page } = await signInToConsole(browser, h, portal, 'hz-rsj.steward');
    await page.goto(`${portal.base}/console/my-requests`);
    const row = page
      .getByRole('table', { name: '本部门提交的共享申请' })
      .getByRole('row', { name: new RegExp(requestNumber) });
    expect(await row.innerText()).toContain('已批准');
    const grant = page
      .getByRole('table', { name: '本部门获得的授权' })
      .getByRole('row', { name: new RegExp(requestNumber) });
    expect(await grant.innerText()).toContain('3 个字段，2 个脱敏，有行过滤');
    expect(await grant.innerText()).toContain('有效');
    expect(await grant.innerText()).toContain('今日已取 0 / 1000 条，调用 1 次');
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'console-consumer-list');

    // the grant leads to the request it answered
    await grant.getByRole('link', { name: requestNumber }).click();
    await arrive(page, portal, `${portal.base}/console/my-requests/${requestNumber}`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
      `共享申请 ${requestNumber}`,
    );
    await page.goBack();
    await row.getByRole('link', { name: requestNumber }).click();
    await arrive(page, portal, `${portal.base}/console/my-requests/${requestId}`);
    const terms = await page.getByTestId('grant-terms').innerText();
    expect(terms).toContain('手机号码：保留前 3 位和后 4 位');
    expect(terms).toContain('公民身份号码：假名化（按授权密钥）');
    expect(terms).toContain('所属区县 等于 “西湖区”');
    expect(terms).toContain('每日最多 1000 条记录');
    expect(terms).toContain('今日已取 0 / 1000 条，调用 1 次');
    expect(await page.getByRole('button', { name: '撤回申请' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'console-consumer-granted');
    await context.close();
  });

  it('an unconditional resource is granted at once; a pending request can be withdrawn', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'hz-rsj.steward');
    const ask = async (name: string) => {
      await chooseResource(page, name);
      await page.getByLabel(/^(停车场编号|所属区县)/).check();
      await page.getByLabel('社会保障（SOCIAL_SECURITY）').check();
      await page.getByLabel('用途说明').fill('就业服务场所选址参考');
      const functions = page.getByLabel('依据的本部门三定职责');
      // the department's own statutory functions are offered; cite the first
      const cited = await functions.locator('option').nth(1).getAttribute('value');
      expect(cited).toBeTruthy();
      await functions.selectOption(cited!);
      await submitForm(page);
      await arrive(page, portal, `${portal.base}/console/my-requests/*-*?flash=**`);
    };
    await ask(UNCONDITIONAL);
    expect(await flashText(page)).toMatch(/共享申请 SQ\d+ 已获授权/);
    expect(await factsText(page)).toContain('已批准');
    expect(await page.getByTestId('grant-terms').innerText()).toContain('停车场编号（lot_id）');

    await ask(CONDITIONAL);
    expect(await factsText(page)).toContain('待审批');
    await page.getByRole('button', { name: '撤回申请' }).click();
    await arrive(page, portal, `${portal.base}/console/my-requests/*-*?flash=**`);
    expect(await flashText(page)).toMatch(/已撤回申请 SQ\d+/);
    expect(await factsText(page)).toContain('已撤回');
    expect(await page.getByRole('button', { name: '撤回申请' }).count()).toBe(0);
    await context.close();
  });

  it('a 不予共享 resource shows its legal basis and no form', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'hz-rsj.steward');
    await page.goto(`${portal.base}/console/my-requests/new?resource=${notSharedCode}`);
    expect(await page.locator('main [role=alert]').innerText()).toContain(NOT_SHARED_BASIS);
    expect(await page.getByRole('button', { name: '提交申请' }).count()).toBe(0);
    // and the provider's own steward is told it needs no request
    const own = await signInToConsole(browser, h, portal, 'hz-gaj.steward');
    await own.page.goto(`${portal.base}/console/my-requests/new?resource=${conditionalCode}`);
    expect(await own.page.locator('main [role=alert]').innerText()).toContain('本部门自己的资源');
    await own.context.close();
    await context.close();
  });

  it('raises a data objection under a grant and follows the provider’s answer to its close', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'hz-rsj.steward');
    await page.goto(`${portal.base}/console/my-requests`);
    await page
      .getByRole('table', { name: '本部门获得的授权' })
      .getByRole('link', { name: `对此授权的数据提出异议：${UNCONDITIONAL}` })
      .click();
    await arrive(page, portal, `${portal.base}/console/objections/new?grant=*`);
    expect(await page.getByRole('region', { name: '依据的授权' }).innerText()).toContain(
      '杭州市公安局',
    );
    // a key the hosted store does not hold: the exchange's reason, the form kept
    await page.getByLabel('记录主键（可不填）').fill('P-404');
    await page.getByLabel('停车场编号（lot_id）').check();
    await page.getByLabel('停车场编号的正确值').fill('P-0405');
    await page.getByLabel('异议说明').fill('停车场编号与现场标牌不一致');
    await page
      .getByLabel('证明材料链接（每行一个，可不填）')
      .fill('https://example.gov.cn/photo-0405.jpg');
    await page.getByRole('button', { name: '提交异议' }).click();
    await arrive(page, portal, `${portal.base}/console/objections/new?**form=**`);
    expect(await flashText(page)).toContain('没有主键为 P-404 的记录');
    expect(await page.getByLabel('异议说明').inputValue()).toBe('停车场编号与现场标牌不一致');
    expect(await page.getByLabel('停车场编号的正确值').inputValue()).toBe('P-0405');
    expect(await page.getByLabel('停车场编号（lot_id）').isChecked()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'console-objection-form');

    await page.getByLabel('记录主键（可不填）').fill('');
    await page.getByRole('button', { name: '提交异议' }).click();
    await arrive(page, portal, `${portal.base}/console/objections?side=raised&flash=**`);
    const submitted = /已提出数据异议 (YY\d+)，等待提供部门答复/.exec(await flashText(page));
    expect(submitted).not.toBeNull();
    const number = submitted![1]!;
    const card = () => page.locator(`[data-objection-number="${number}"]`);
    expect(await card().innerText()).toContain('待处理');
    expect(await card().innerText()).toContain('杭州市公安局');
    expect(await card().innerText()).toContain('lot_id：P-0405');
    expect(await card().getByRole('button', { name: '撤回异议' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    // under the grant that masks the key, no record can be named by it
    await page.getByRole('link', { name: '提出数据异议' }).click();
    await arrive(page, portal, `${portal.base}/console/objections/new`);
    await page.getByRole('link', { name: `对此授权的数据提出异议：${CONDITIONAL}` }).click();
    await arrive(page, portal, `${portal.base}/console/objections/new?grant=*`);
    expect(await page.locator('main').innerText()).toContain('主键字段已脱敏或不提供');
    expect(await page.getByLabel('记录主键（可不填）').count()).toBe(0);
    expect(await page.getByLabel(/^手机号码（mobile）/).count()).toBe(1);
    expect(await page.getByLabel(/^姓名/).count()).toBe(0);

    // 公安局's steward declines it in the console, with a reply
    const provider = await signInToConsole(browser, h, portal, 'hz-gaj.steward');
    await provider.page.goto(`${portal.base}/console/objections`);
    const received = provider.page.locator(`[data-objection-number="${number}"]`);
    expect(await received.innerText()).toContain('杭州市人力资源和社会保障局');
    expect(
      await received.getByRole('link', { name: 'https://example.gov.cn/photo-0405.jpg' }).count(),
    ).toBe(1);
    await received.getByRole('radio', { name: '不予接受' }).check();
    await received.getByLabel('答复说明（不予接受时必填）').fill('经现场核对，编号无误');
    await received.getByRole('button', { name: '提交答复' }).click();
    await arrive(provider.page, portal, `${portal.base}/console/objections?flash=**`);
    expect(await flashText(provider.page)).toContain('答复已提交');

    // the raiser reads the answer and reopens it with a reason
    await page.goto(`${portal.base}/console/objections?side=raised`);
    expect(await card().innerText()).toContain('未接受');
    expect(await card().innerText()).toContain('提供部门的答复');
    expect(await card().innerText()).toContain('经现场核对，编号无误');
    await card().getByLabel('重新打开的理由').fill('标牌照片显示为 P-0405，请再次核对');
    await card().getByRole('button', { name: '重新打开' }).click();
    await arrive(page, portal, `${portal.base}/console/objections?side=raised&flash=**`);
    expect(await flashText(page)).toContain(`已重新打开数据异议 ${number}`);
    expect(await card().innerText()).toContain('重新打开');

    // the provider accepts and corrects it (through the API); the raiser closes it
    const gaj = await h.token('hz-gaj.steward');
    for (const step of ['answer', 'correct'])
      expect(
        (
          await exchange('POST', `/v1/objections/${number}/${step}`, {
            token: gaj,
            body: step === 'answer' ? { decision: 'accept' } : { comment: '已更正为 P-0405' },
          })
        ).status,
      ).toBe(200);
    await page.goto(`${portal.base}/console/objections?side=raised`);
    expect(await card().innerText()).toContain('已更正');
    await card().getByRole('button', { name: '确认关闭' }).click();
    await arrive(page, portal, `${portal.base}/console/objections?side=raised&flash=**`);
    expect(await flashText(page)).toContain(`已关闭数据异议 ${number}`);
    expect(await card().innerText()).toContain('已关闭');
    expect(await card().getByRole('button').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'console-objections-raised');

    const history = await exchange('GET', `/v1/objections/${number}`, {
      token: await h.token('hz-rsj.steward'),
    });
    expect(history.body.history.map((e: { event: string }) => e.event)).toEqual([
      'raised',
      'rejected',
      'reopened',
      'accepted',
      'corrected',
      'closed',
    ]);
    expect(history.body.fields).toEqual(['lot_id']);
    expect(history.body.evidenceLinks).toEqual(['https://example.gov.cn/photo-0405.jpg']);
    await provider.context.close();
    await context.close();
  });

  it('shows each department its exchange records: the provider who used its data, the consumer what it did', async () => {
    const grants = await exchange('GET', '/v1/grants?side=consumer', {
      token: await h.token('hz-rsj.steward'),
    });
    const grant = grants.body.items.find(
      (g: { resource: { code: string }; status: string }) =>
        g.resource.code === conditionalCode && g.status === 'active',
    );
    expect(grant).toBeDefined();
    const system = await h.systemToken('hz-rsj-system');
    const path = `/v1/grants/${grant.id}/records?limit=5`;
    expect(
      (await exchange('GET', path, { token: system, headers: { 'x-purpose': 'SOCIAL_SECURITY' } }))
        .status,
    ).toBe(200);
    expect(
      (await exchange('GET', path, { token: system, headers: { 'x-purpose': 'CREDIT' } })).status,
    ).toBe(403);

    // 公安局's steward: who used 公安局's data
    const { context, page } = await signInToConsole(browser, h, portal, 'hz-gaj.steward');
    await page
      .getByRole('navigation', { name: '工作台导航' })
      .getByRole('link', { name: '交换记录' })
      .click();
    await arrive(page, portal, `${portal.base}/console/evidence`);
    const table = page.getByRole('table', { name: '交换记录：本部门数据的使用' });
    const rows = table.locator('tbody tr');
    const texts = await rows.allInnerTexts();
    const byRsj = texts.filter((r) => r.includes('system:hz-rsj-system@hz-rsj'));
    // the acting department by its name
    expect(byRsj.length).toBeGreaterThan(0);
    expect(byRsj.every((r) => r.includes('市人力社保局'))).toBe(true);
    expect(
      byRsj.some((r) => r.includes('查询') && r.includes('SOCIAL_SECURITY')),
      texts.join('\n'),
    ).toBe(true);
    expect(
      // a refused call names the grant, not always the resource: it is 公安局's all the same
      byRsj.some((r) => r.includes('拒绝') && r.includes('CREDIT')),
      texts.join('\n'),
    ).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'console-evidence-provided');
    // only the refusals
    await page.getByLabel('操作类型').selectOption('refusal');
    await page.getByRole('button', { name: '筛选' }).click();
    await arrive(page, portal, `${portal.base}/console/evidence?side=provided&operation=refusal`);
    const refusals = await table.locator('tbody tr').allInnerTexts();
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((r) => r.includes('拒绝'))).toBe(true);
    await context.close();

    // 人社局's steward: what 人社局 did (its system's calls, its requests), none of 公安局's own acts
    const rsj = await signInToConsole(browser, h, portal, 'hz-rsj.steward');
    await rsj.page.goto(`${portal.base}/console/evidence?side=acted`);
    const acted = await rsj.page
      .getByRole('table', { name: '交换记录：本部门的操作' })
      .locator('tbody tr')
      .allInnerTexts();
    expect(acted.some((r) => r.includes('system:hz-rsj-system@hz-rsj') && r.includes('查询'))).toBe(
      true,
    );
    expect(acted.some((r) => r.includes('共享申请'))).toBe(true);
    expect(acted.every((r) => r.includes('hz-rsj'))).toBe(true);
    expect(await seriousViolations(rsj.page)).toEqual([]);
    await rsj.context.close();
  });
});
