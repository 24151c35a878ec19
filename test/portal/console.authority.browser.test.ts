// The data authority's console in real Chromium: 数据看板's figures against counts the test
// makes from the database, its CSV export, a steward's own-department view, and 组织机构
// registering a department system whose one-time secret really obtains a token.
import type { Browser, Page } from 'playwright-core';
import { clientCredentialsToken } from '@gx/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantedPeopleResource } from '../fixtures.ts';
import { call, type Harness } from '../harness.ts';
import { signInToConsole } from './console.ts';
import { startPortalJourney } from './journey.ts';
import { seriousViolations, shoot } from './pageChecks.ts';
import type { RunningPortal } from './portalServer.ts';

const JOURNEY = { timeout: 180_000 };

let h: Harness;
let portal: RunningPortal;
let browser: Browser;

/** the Asia/Shanghai calendar day of an instant, as YYYY-MM-DD */
const shanghaiDay = (at: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);

/**
 * The dashboard's directory and request figures, counted here from the tables: resources by
 * status, shareable and openable among published ones, overdue by the update-cycle ages the
 * directory promises (实时 1 天, 每日 2 天, 每周 8 天, 每月 32 天, 每季度 95 天, 每年 370 天),
 * requests waiting, and records delivered today by query, get, export and subscription.
 */
async function countsFromDatabase(department: string | null) {
  const { rows } = await h.db.pool.query<{
    total: number;
    draft: number;
    in_review: number;
    published: number;
    shareable: number;
    openable: number;
    overdue: number;
  }>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE r.status = 'draft')::int AS draft,
            count(*) FILTER (WHERE r.status = 'in_review')::int AS in_review,
            count(*) FILTER (WHERE r.status = 'published')::int AS published,
            count(*) FILTER (WHERE r.status = 'published' AND r.sharing_type::text <> 'none')::int AS shareable,
            count(*) FILTER (WHERE r.status = 'published' AND r.open_type::text <> 'none')::int AS openable,
            count(*) FILTER (WHERE r.status = 'published' AND coalesce(r.data_updated_at, r.published_at)
              + CASE r.update_cycle::text WHEN 'realtime' THEN interval '1 day'
                  WHEN 'daily' THEN interval '2 days' WHEN 'weekly' THEN interval '8 days'
                  WHEN 'monthly' THEN interval '32 days' WHEN 'quarterly' THEN interval '95 days'
                  WHEN 'yearly' THEN interval '370 days' END < now())::int AS overdue
       FROM resources r JOIN departments d ON d.id = r.provider_id
      WHERE $1::text IS NULL OR d.code = $1`,
    [department],
  );
  const pending = await h.db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM sharing_requests s JOIN departments p ON p.id = s.provider_id
      WHERE s.status = 'pending' AND ($1::text IS NULL OR p.code = $1)`,
    [department],
  );
  const delivered = await h.db.pool.query<{ recorded_at: Date; record_count: string }>(
    `SELECT e.recorded_at, e.record_count::text FROM evidence_entries e
       LEFT JOIN resources r ON r.code = e.resource_code
       LEFT JOIN departments p ON p.id = r.provider_id
      WHERE e.operation IN ('query', 'get', 'export', 'subscription-delivery') AND e.outcome = 'ok'
        AND ($1::text IS NULL OR e.department_code = $1 OR p.code = $1)`,
    [department],
  );
  const today = shanghaiDay(new Date());
  const volumeToday = delivered.rows
    .filter((e) => shanghaiDay(e.recorded_at) === today)
    .reduce((s, e) => s + Number(e.record_count), 0);
  return { ...rows[0]!, pending: pending.rows[0]!.n, volumeToday, today };
}

/** a figure card's number as the page shows it (digits only: 1,234 → 1234) */
async function figure(page: Page, key: string): Promise<number> {
  const text = await page.locator(`[data-figure="${key}"] dd`).first().innerText();
  return Number(text.replace(/[^0-9]/g, ''));
}

beforeAll(async () => {
  ({ h, portal, browser } = await startPortalJourney('console-authority-test-secret-0123456789'));
  // real activity: 公安局 publishes, 人社局's system asks and is granted (a decision by the
  // approver), 民政局's system asks and waits, 人社局's system reads records
  const granted = await grantedPeopleResource(h, {}, 25);
  const waiting = await call(h.exchange.base, 'POST', '/v1/sharing-requests', {
    token: await h.systemToken('hz-mzj-system'),
    body: {
      resourceCode: granted.resourceCode,
      fields: ['id_number', 'name'],
      purposeCodes: ['SOCIAL_SECURITY'],
      purposeText: '社会救助对象身份核对',
      legalBasisText: '《社会救助暂行办法》第十一条',
      deliveryModes: ['query'],
    },
  });
  expect(waiting.status).toBe(201);
  const rsj = await h.systemToken('hz-rsj-system');
  for (const limit of [9, 16]) {
    const read = await call(
      h.exchange.base,
      'GET',
      `/v1/grants/${granted.grantId}/records?limit=${limit}`,
      { token: rsj, headers: { 'x-purpose': 'SOCIAL_SECURITY' } },
    );
    expect(read.status).toBe(200);
  }
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await h?.close();
});

describe('the data authority console', JOURNEY, () => {
  it('shows the platform admin city figures equal to the database, and exports the same', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'admin');
    await page
      .getByRole('navigation', { name: '工作台导航' })
      .getByRole('link', { name: '数据看板' })
      .click();
    await page.waitForURL(`${portal.base}/console/dashboard`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('数据看板');
    expect(await page.locator('.dashboard-scope').innerText()).toBe('当前范围：全市');

    const db = await countsFromDatabase(null);
    expect(db.pending).toBeGreaterThanOrEqual(1);
    expect(db.volumeToday).toBeGreaterThanOrEqual(9 + 16);
    expect({
      total: await figure(page, 'total'),
      published: await figure(page, 'published'),
      shareable: await figure(page, 'shareable'),
      openable: await figure(page, 'openable'),
      overdue: await figure(page, 'overdue'),
      pending: await figure(page, 'pending'),
      volumeToday: await figure(page, 'volume-today'),
    }).toEqual({
      total: db.total,
      published: db.published,
      shareable: db.shareable,
      openable: db.openable,
      overdue: db.overdue,
      pending: db.pending,
      volumeToday: db.volumeToday,
    });
    // the per-department table and the overdue list agree with the same counts
    const gaj = await countsFromDatabase('hz-gaj');
    const gajRow = page.locator('tr[data-department="hz-gaj"] td');
    expect(await gajRow.allInnerTexts()).toEqual(
      [
        gaj.draft,
        gaj.in_review,
        gaj.published,
        gaj.total - gaj.draft - gaj.in_review - gaj.published,
        gaj.shareable,
        gaj.openable,
        gaj.overdue,
      ].map(String),
    );
    expect(await page.locator('[data-table="overdue"] tbody tr').count()).toBe(db.overdue);
    expect(await page.getByRole('img', { name: /近 30 日每日交换记录数/ }).count()).toBe(1);
    expect(await page.getByRole('img', { name: /各部门资源状态/ }).count()).toBe(1);
    // the latest scheduled verification (the page itself walks nothing): a full walk up to the
    // head, which is also the last full walk that passed
    const evidence = await page.locator('[data-evidence="intact"]').innerText();
    const head = (
      await h.db.pool.query<{ seq: string }>('SELECT seq::text AS seq FROM evidence_chain_head')
    ).rows[0]!.seq;
    expect(evidence).toMatch(/^完整：自动校验逐条核对了全链，至链头第 (\d+) 条，未发现篡改。/);
    expect(Number(/至链头第 (\d+) 条/.exec(evidence)![1])).toBeLessThanOrEqual(Number(head));
    expect(evidence).toContain('上次通过的全量校验：');
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'console-authority-dashboard');

    const csv = await page.request.get(`${portal.base}/console/dashboard/export`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const body = (await csv.body()).toString('utf8');
    expect(body.charCodeAt(0)).toBe(0xfeff);
    const lines = body.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('类别,指标,部门编码,部门,数值');
    expect(lines).toContain(`目录资源,资源总数,,全市,${db.total}`);
    expect(lines).toContain(`目录资源,已发布,,全市,${db.published}`);
    expect(lines).toContain(`目录资源,可共享,,全市,${db.shareable}`);
    expect(lines).toContain(`目录资源,可开放,,全市,${db.openable}`);
    expect(lines).toContain(`目录资源,逾期未更新,,全市,${db.overdue}`);
    expect(lines).toContain(`共享申请,待审批,,全市,${db.pending}`);
    expect(lines).toContain(`数据交换量,${db.today} 交付记录数,,全市,${db.volumeToday}`);
    expect(lines).toContain(`目录资源,已发布,hz-gaj,杭州市公安局,${gaj.published}`);

    // one department through the scope form: the figures become that department's
    await page.getByLabel('查看范围').selectOption('hz-gaj');
    await page.getByRole('button', { name: '查看' }).click();
    await page.waitForURL(/department=hz-gaj/);
    expect(await figure(page, 'published')).toBe(gaj.published);
    expect(await figure(page, 'pending')).toBe(gaj.pending);
    expect(await figure(page, 'volume-today')).toBe(gaj.volumeToday);
    await context.close();
  });

  it('shows a steward only their own department and keeps them out of 组织机构', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'hz-gaj.steward');
    await page.goto(`${portal.base}/console/dashboard`);
    const gaj = await countsFromDatabase('hz-gaj');
    expect(await page.locator('.dashboard-scope').innerText()).toContain('公安局');
    expect(await page.locator('tr[data-department]').count()).toBe(1);
    expect(await page.locator('tr[data-department="hz-gaj"]').count()).toBe(1);
    expect(await page.getByLabel('查看范围').count()).toBe(0);
    expect(await figure(page, 'total')).toBe(gaj.total);
    expect(await figure(page, 'pending')).toBe(gaj.pending);
    expect(await figure(page, 'volume-today')).toBe(gaj.volumeToday);
    // evidence is for auditors and the admin: said, not hidden silently
    expect(await page.getByText('存证链状态只有审计员和平台管理员可以查看').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'console-authority-dashboard-steward');

    // asking for another department is refused in words, and shows nothing of it
    await page.goto(`${portal.base}/console/dashboard?department=hz-rsj`);
    expect(await page.locator('main [role="alert"]').first().innerText()).toContain(
      '您无权查看该部门的数据看板',
    );
    expect(await page.locator('tr[data-department="hz-rsj"]').count()).toBe(0);
    const csv = await page.request.get(`${portal.base}/console/dashboard/export?department=hz-rsj`);
    expect((await csv.text()).includes(',hz-rsj,')).toBe(false);

    await page.goto(`${portal.base}/console/organisation`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
      '您的角色不能使用此页面',
    );
    await shoot(page, 'console-authority-organisation-steward');
    await context.close();
  });

  it('lets the platform admin register a system whose secret, shown once, obtains a token', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'admin');
    await page.goto(`${portal.base}/console/organisation`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('组织机构');
    expect(await page.locator('tr[data-client="hz-gaj-system"]').count()).toBe(1);
    expect(await page.getByText('杭州市').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);

    const form = page.locator('form.organisation-register');
    await form.getByLabel('部门').selectOption('hz-scjg');
    await form.getByLabel('系统名称').fill('企业信用监管系统');
    await form.getByLabel('客户端 ID').fill('hz-scjg-credit');
    await form.getByLabel('说明').fill('企业信用风险分类监管');
    await form.getByRole('button', { name: '登记' }).click();
    await page.waitForURL(/\/console\/organisation/);
    expect(await page.getByRole('status').innerText()).toContain(
      '已登记业务系统“企业信用监管系统”',
    );
    const secret = await page.locator('[data-secret]').innerText();
    expect(secret.length).toBeGreaterThan(20);
    expect(page.url()).not.toContain(secret);
    expect(await page.locator('tr[data-client="hz-scjg-credit"]').innerText()).toContain('启用');
    await shoot(page, 'console-authority-organisation-secret');

    // the secret works, once shown it is gone on reload, and the system acts for its department
    const token = await clientCredentialsToken(h.issuer, 'hz-scjg-credit', secret);
    const me = await call(h.exchange.base, 'GET', '/v1/me', { token: token.access_token });
    expect(me.body).toMatchObject({ kind: 'system', departmentCode: 'hz-scjg' });
    await page.reload();
    expect(await page.locator('[data-secret]').count()).toBe(0);

    // disabling it stops new tokens
    const row = page.locator('tr[data-client="hz-scjg-credit"]');
    await row.locator('summary', { hasText: '停用' }).click();
    await row.getByRole('button', { name: /确认停用/ }).click();
    await page.waitForURL(/\/console\/organisation/);
    expect(await page.locator('tr[data-client="hz-scjg-credit"]').innerText()).toContain('已停用');
    await expect(clientCredentialsToken(h.issuer, 'hz-scjg-credit', secret)).rejects.toThrow();

    // a department's details through the update API
    await page.goto(`${portal.base}/console/organisation?edit=hz-wjw#edit`);
    const edit = page.locator('form.organisation-edit');
    await edit.getByLabel('联系人姓名').fill('周敏');
    await edit.getByLabel('联系电话').fill('0571-87001234');
    await edit.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/console\/organisation/);
    expect(await page.getByRole('status').innerText()).toContain('已保存');
    const saved = await h.db.pool.query<{ contact_name: string; contact_phone: string }>(
      `SELECT contact_name, contact_phone FROM departments WHERE code = 'hz-wjw'`,
    );
    expect(saved.rows[0]).toEqual({ contact_name: '周敏', contact_phone: '0571-87001234' });
    expect(await page.locator('tr[data-department="hz-wjw"]').innerText()).toContain('周敏');
    await shoot(page, 'console-authority-organisation');
    await context.close();
  });
});
