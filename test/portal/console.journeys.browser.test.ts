// The console (政务工作台) in real Chromium, every role's journeys on one set of services (one
// harness, one portal, one browser: each journey makes its own fixtures under its own names).
//
// The console's frame in real Chromium: who may enter, what each role's navigation offers.
//
// The steward console (数据管理员) in real Chromium: 我的资源 with the editor and its live
// validation, the history diff; Excel import of a workbook with one bad cell, the row error shown
// against the sheet, the fixed file imported and the new draft submitted for review (审核中 in the
// database); 数据异议 and 数据需求 answered in the console and visible through the public API;
// 连接器 with status and pause / resume, and a connector's whole life from the console: created
// through the JSON form (a syntax error said by line and column, the API's problems by their
// fields' titles, what was typed kept), stopped, its offsets reset after confirming, resumed,
// restarted, its configuration edited, deleted after confirming.
//
// The approver's console in real Chromium (issue 8, "Approver"): the data authority's approver
// approves a directory entry and it appears in public search; a request made by a department
// system through the API reaches the provider's approver, who sets masks and a row filter with
// a preview and approves; the system's next call gets masked, filtered data. Then grants
// (suspend, resume, revoke with confirmation) and 有条件开放 applications.
//
// The steward's side of sharing in real Chromium (本部门申请): 人社局's steward finds 公安局's
// conditional resource in the directory, asks for it (a form problem comes back with the choices
// kept), follows it to the approver's decision and reads what was granted — masks, row filter,
// quota — in words; an unconditional resource is granted at once; a pending request is withdrawn;
// a 不予共享 resource shows its legal basis and no form. Under a grant it holds, the steward raises a
// data objection (a record the exchange does not find comes back with the form kept), and follows
// the provider's answer: declined, reopened with a reason, corrected, closed.
//
// The data authority's console in real Chromium: 数据看板's figures and 职责与资源缺口 against
// what the test reads from the database, its CSV export, a steward's own-department view, and
// 组织机构 registering a department system whose one-time secret really obtains a token.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser, Locator, Page } from 'playwright-core';
import { EvidenceLog } from '@gx/exchange-api';
import { clientCredentialsToken } from '@gx/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantedPeopleResource } from '../fixtures.ts';
import { call, type Harness } from '../harness.ts';
import { arrive, flashText, signInToConsole } from './console.ts';
import { startPortalJourney } from './journey.ts';
import { seriousViolations, shoot } from './pageChecks.ts';
import type { RunningPortal } from './portalServer.ts';

const JOURNEY = { timeout: 180_000 };
const SESSION_SECRET = 'console-journeys-test-secret-0123456789ab';
process.env.PORTAL_SESSION_SECRET = SESSION_SECRET;

let h: Harness;
let portal: RunningPortal;
let browser: Browser;

const catalog = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.catalog.base, method, path, options);
const exchange = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.exchange.base, method, path, options);

/** A 公安局 entry's body: unconditionally shared, not open, keyed by one string item. */
const gajEntry = (
  name: string,
  abstract: string,
  key: { name: string; label: string },
  updateCycle = 'daily',
) => ({
  name,
  abstract,
  themeCode: 'population',
  format: 'database',
  sharingType: 'unconditional',
  sharingMethods: ['api'],
  openType: 'none',
  updateCycle,
  items: [{ ...key, dataType: 'string', isKey: true }],
});

/** A 公安局 entry, created, submitted and published through the catalog API. */
async function publishEntry(body: Record<string, unknown>): Promise<string> {
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

beforeAll(async () => {
  ({ h, portal, browser } = await startPortalJourney(SESSION_SECRET));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await h?.close();
});

describe('the console frame', JOURNEY, () => {
  it('asks a signed-out visitor to sign in with a government account', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const answer = await page.goto(`${portal.base}/console`);
    expect(answer?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('请登录工作台');
    const signIn = page.locator('main').getByRole('link', { name: '登录', exact: true });
    expect(await signIn.getAttribute('href')).toBe('/auth/login?next=%2Fconsole');
    await context.close();
  });

  it('shows a steward how to publish, and only the steward pages', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'hz-gaj.steward');
    expect(await page.locator('.console-who').innerText()).toContain(
      '李静（数据管理员，杭州市公安局）',
    );
    const nav = page.getByRole('navigation', { name: '工作台导航' });
    expect(await nav.getByRole('link', { name: '我的资源' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: '共享申请' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: '组织机构' }).count()).toBe(0);
    // the department's own 数据看板 sits with its work, not under the authority's heading
    const group = (heading: string) =>
      nav.locator('.console-nav-group', { has: page.getByRole('heading', { name: heading }) });
    expect(await group('数据管理').getByRole('link', { name: '数据看板' }).count()).toBe(1);
    expect(await group('数据主管部门').count()).toBe(0);
    expect(await page.getByRole('heading', { name: '如何发布一个资源' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'console-home-steward');
    await context.close();
  });

  it("offers 目录审核 to the data authority's approvers only", async () => {
    for (const [account, reviews] of [
      ['hz-gaj.approver', 0],
      ['hz-dsj.approver', 1],
    ] as const) {
      const { context, page } = await signInToConsole(browser, h, portal, account);
      const nav = page.getByRole('navigation', { name: '工作台导航' });
      expect(await nav.getByRole('link', { name: '共享申请' }).count(), account).toBe(1);
      expect(await nav.getByRole('link', { name: '目录审核' }).count(), account).toBe(reviews);
      // 数据看板: the department's own under 审核与授权; the authority's under its heading
      const authority = nav.locator('.console-nav-group', {
        has: page.getByRole('heading', { name: '数据主管部门' }),
      });
      expect(await authority.getByRole('link', { name: '数据看板' }).count(), account).toBe(
        reviews,
      );
      expect(await nav.getByRole('link', { name: '数据看板' }).count(), account).toBe(1);
      await context.close();
    }
  });

  it('turns a developer away politely', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'developer').catch(
      async () => {
        throw new Error(`sign-in failed:\n${portal.output()}`);
      },
    );
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
      '此页面仅供政务工作人员使用',
    );
    await context.close();
  });
});

/**
 * How the resource editor's 信息项 table lies: what reaches past the window sideways, what sticks
 * out of its own cell (a problem under an input must wrap inside it), the widths of the first
 * row's text inputs, and which of the first row's controls are not in view — scrolled out of
 * the table's region, or under its sticky row buttons.
 */
async function editorLayout(page: Page): Promise<{
  page: string[];
  cells: string[];
  inputs: Record<string, number>;
  hidden: string[];
}> {
  return page.evaluate(`(() => {
    const name = (e) => e.tagName + ' ' + (e.getAttribute('aria-label') ?? e.textContent.trim());
    const root = document.documentElement;
    const scroll = document.querySelector('.steward-items .table-scroll');
    scroll.scrollIntoView({ block: 'center' });
    const row = [...scroll.querySelectorAll('tbody tr:first-child input, tbody tr:first-child select, tbody tr:first-child button')];
    return {
      page: root.scrollWidth > root.clientWidth
        ? [...document.body.querySelectorAll('th, td, input, select, button')]
            .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1)
            .map(name)
        : [],
      cells: [...scroll.querySelectorAll('td > *, th > *')]
        .filter((e) => e.getBoundingClientRect().right > e.parentElement.getBoundingClientRect().right + 1)
        .map(name),
      inputs: Object.fromEntries(
        row
          .filter((e) => e.tagName === 'INPUT' && e.type !== 'checkbox' && e.inputMode !== 'numeric' && !/计量单位/.test(e.getAttribute('aria-label')))
          .map((e) => [e.getAttribute('aria-label'), Math.round(e.getBoundingClientRect().width)]),
      ),
      hidden: row
        .filter((e) => {
          const box = e.getBoundingClientRect();
          return document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) !== e;
        })
        .map((e) => e.getAttribute('aria-label')),
    };
  })()`);
}

describe('the steward console', JOURNEY, () => {
  const STEWARD = 'hz-gaj.steward';

  async function checkPage(page: Page, name: string): Promise<void> {
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, `console-steward-${name}`);
  }

  async function statusOf(code: string): Promise<string> {
    const { rows } = await h.db.pool.query<{ status: string }>(
      'SELECT status::text AS status FROM resources WHERE code = $1',
      [code],
    );
    return rows[0]!.status;
  }

  /** Sets a cell of a sheet by its header in row 1, as a person finds a column in Excel. */
  function setCell(
    sheet: ExcelJS.Worksheet,
    row: number,
    header: string,
    value: ExcelJS.CellValue,
  ) {
    let column = 0;
    sheet.getRow(1).eachCell((cell, col) => {
      if (String(cell.value).replace('*', '').trim() === header) column = col;
    });
    if (!column) throw new Error(`no column ${header} in ${sheet.name}`);
    sheet.getRow(row).getCell(column).value = value;
  }

  /** The template the console offered, filled with one resource and two items. */
  async function fillWorkbook(template: Buffer, name: string, maxLength: ExcelJS.CellValue) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template as unknown as ArrayBuffer);
    const resources = workbook.getWorksheet('信息资源')!;
    const items = workbook.getWorksheet('信息项')!;
    const resource: Record<string, ExcelJS.CellValue> = {
      资源序号: 1,
      信息资源名称: name,
      信息资源摘要: '本市机动车驾驶人交通违法记分情况，按季度更新。',
      主题分类: '人口基础信息库',
      信息资源格式: '数据库',
      共享类型: '有条件共享',
      共享条件: '仅限交通管理部门履职使用',
      共享方式: '接口',
      开放属性: '不予开放',
      更新周期: '每季度',
    };
    for (const [header, value] of Object.entries(resource)) setCell(resources, 2, header, value);
    const rows: Record<string, ExcelJS.CellValue>[] = [
      {
        资源序号: 1,
        字段名: 'licence_no',
        中文名称: '驾驶证号',
        数据类型: '字符串',
        最大长度: 18,
        主键: '是',
      },
      {
        资源序号: 1,
        字段名: 'points',
        中文名称: '累计记分',
        数据类型: '字符串',
        最大长度: maxLength,
      },
    ];
    rows.forEach((values, i) => {
      for (const [header, value] of Object.entries(values)) setCell(items, i + 2, header, value);
    });
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  async function upload(page: Page, file: Buffer): Promise<void> {
    await page.goto(`${portal.base}/console/import`);
    await page.getByLabel(/工作簿文件/).setInputFiles({
      name: '交通违法记分.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: file,
    });
    await page.getByRole('button', { name: '上传并导入' }).click();
    await page.waitForURL(/\/console\/import\/[0-9a-f-]{36}$/);
    // the progress bar polls until the job ends, then the page shows the outcome
    await page.locator('.notice-done, .notice-error').first().waitFor();
  }

  async function statusByName(name: string): Promise<string | undefined> {
    const { rows } = await h.db.pool.query<{ status: string }>(
      'SELECT status::text AS status FROM resources WHERE name = $1',
      [name],
    );
    return rows[0]?.status;
  }

  it('lists my resources and creates one in the editor with live validation and a history diff', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, STEWARD);
    await page
      .getByRole('navigation', { name: '工作台导航' })
      .getByRole('link', { name: '我的资源' })
      .click();
    await page.waitForURL(`${portal.base}/console/resources`);
    const expected = await call(
      h.catalog.base,
      'GET',
      '/v1/resources?department=hz-gaj&pageSize=100',
      {
        token: await h.token(STEWARD),
      },
    );
    expect(await page.locator('main tbody tr').count()).toBe(expected.body.items.length);
    await checkPage(page, 'resources');

    await page.getByRole('link', { name: '新建资源' }).click();
    await page.waitForURL(`${portal.base}/console/resources/new`);
    // on a 1280 or 1366 px screen (the console's column is the same 53rem) the 信息项 table
    // scrolls in its region rather than squeeze 字段名, 中文名称 and 说明 to a few characters
    // each; beside the row buttons, which stay in view, all shows up to 个人信息
    for (const [width, height] of [
      [1280, 800],
      [1366, 768],
    ] as const) {
      await page.setViewportSize({ width, height });
      const layout = await editorLayout(page);
      expect(layout.page, `${width} px`).toEqual([]);
      expect(layout.cells, `${width} px`).toEqual([]);
      expect(Object.keys(layout.inputs), `${width} px`).toEqual([
        '第 1 项 字段名',
        '第 1 项 中文名称',
        '第 1 项 说明',
      ]);
      for (const [input, px] of Object.entries(layout.inputs))
        expect(px, `${input} at ${width} px`).toBeGreaterThanOrEqual(120);
      expect(layout.hidden, `${width} px`).toEqual(['第 1 项 说明']);
    }
    await page.getByLabel('资源名称').fill('测');
    await page.getByLabel('资源名称').blur();
    // live: the rule of the input schema, in Chinese, before anything is sent
    expect(await page.locator('#e-name').innerText()).toBe('至少 2 个字');
    await page.getByLabel('资源名称').fill('重点车辆通行证信息');
    expect(await page.locator('#e-name').count()).toBe(0);
    await page.getByLabel('资源摘要').fill('本市核发的重点车辆（危险品运输车等）通行证。');
    await page.getByLabel('主题分类').selectOption({ label: '人口基础信息库' });
    await page.getByLabel('第 1 项 字段名').fill('Permit-No');
    await page.getByLabel('第 1 项 字段名').blur();
    expect(await page.locator('#e-item-0-name').innerText()).toContain('小写字母开头');
    // a problem under a cell wraps inside it
    expect((await editorLayout(page)).cells).toEqual([]);
    await page.getByLabel('第 1 项 字段名').fill('permit_no');
    await page.getByLabel('第 1 项 中文名称').fill('通行证编号');
    await page.getByLabel('第 1 项 主键').check();
    await page.getByRole('button', { name: '添加信息项' }).click();
    await page.getByLabel('第 2 项 字段名').fill('plate_no');
    await page.getByLabel('第 2 项 中文名称').fill('号牌号码');
    await page.getByLabel('第 2 项 个人信息').check();
    // reorder: the plate first
    await page.getByRole('button', { name: '第 2 项 上移' }).click();
    expect(await page.getByLabel('第 1 项 字段名').inputValue()).toBe('plate_no');
    // 有条件共享 (the default) needs its conditions: the catalog's rule, checked while typing
    expect(await page.locator('.steward-problems').innerText()).toBe('还有 1 处需要修改');
    await page.getByLabel('共享条件').fill('仅限交通管理和应急管理部门履职使用。');
    expect(await page.locator('.steward-ok').innerText()).toBe('填写内容已通过检查。');
    await checkPage(page, 'new');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/\/console\/resources\/[1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}\?flash=/);
    const code = new URL(page.url()).pathname.split('/').pop()!;
    expect(await page.getByRole('status').first().innerText()).toContain('资源已创建为草稿');
    expect(await page.locator('.steward-head .badge').innerText()).toBe('草稿');
    expect(await statusOf(code)).toBe('draft');
    const saved = await call(h.catalog.base, 'GET', `/v1/resources/${code}`, {
      token: await h.token(STEWARD),
    });
    expect(saved.body.items.map((i: { name: string }) => i.name)).toEqual([
      'plate_no',
      'permit_no',
    ]);
    expect(await page.locator('#schema-title + p + p').innerText()).toContain('首个版本');

    // a change to a label shows in the history as 字段 / 原值 / 新值
    await page.getByLabel('第 2 项 中文名称').fill('通行证号');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/flash=/);
    expect(await page.getByRole('status').first().innerText()).toContain('草稿已保存');
    const diff = page.locator('.steward-diff').first();
    expect(await diff.innerText()).toContain('信息项「permit_no」 · 中文名称');
    expect(await diff.locator('.steward-before').first().innerText()).toBe('通行证编号');
    expect(await diff.locator('.steward-after').first().innerText()).toBe('通行证号');
    // the creation reads as its fields, coded values by name: the provider, the theme
    const created = page.locator('.steward-history > li').last();
    const after = (field: string) =>
      created.locator('tr', { hasText: field }).locator('.steward-after').innerText();
    expect(await after('提供方')).toBe(saved.body.provider.name);
    expect(await after('主题分类')).toBe('人口基础信息库');
    // the 资源分类 by its 类项's theme and the numbers of 目 and 细目, not six bare digits
    expect(await after('资源分类')).toBe('人口基础信息库 · 目 001 · 细目 001');
    await checkPage(page, 'resource');

    // two tabs on the same draft: the one that saves second is told, and keeps what it typed
    const other = await context.newPage();
    await other.goto(`${portal.base}/console/resources/${code}`);
    await page.getByLabel('第 2 项 中文名称').fill('通行证编码');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/flash=/);
    const abstract = '本市核发的重点车辆通行证，含危险品运输车和渣土车。';
    await other.getByLabel('资源摘要').fill(abstract);
    await other.getByRole('button', { name: '保存草稿' }).click();
    await other.waitForURL(/draft=/);
    expect(await other.locator('.notice-error').innerText()).toContain(
      '保存前，资源已被他人修改。下面保留了您填写的内容',
    );
    expect(await other.getByLabel('资源摘要').inputValue()).toBe(abstract);
    await other.getByRole('button', { name: '保存草稿' }).click();
    await other.waitForURL(/flash=/);
    expect(await other.getByRole('status').first().innerText()).toContain('草稿已保存');
    const kept = await call(h.catalog.base, 'GET', `/v1/resources/${code}`, {
      token: await h.token(STEWARD),
    });
    expect(kept.body.abstract).toBe(abstract);
    await other.close();

    // without JavaScript the editor is a plain form: the catalog's refusal is shown in Chinese
    // and what was typed comes back
    const plain = await browser.newContext({ javaScriptEnabled: false });
    await plain.addCookies(await context.cookies());
    const form = await plain.newPage();
    await form.goto(`${portal.base}/console/resources/new`);
    await form.getByLabel('资源名称').fill('驾驶人考试预约信息');
    await form.getByLabel('资源摘要').fill('驾驶人考试的预约场次和人数。');
    await form.getByLabel('主题分类').selectOption({ label: '人口基础信息库' });
    await form.getByLabel('第 1 项 字段名').fill('booking_no');
    await form.getByLabel('第 1 项 中文名称').fill('预约编号');
    await form.getByRole('button', { name: '保存草稿' }).click();
    await form.waitForURL(/\/console\/resources\/new\?.*draft=/);
    expect(await form.locator('.notice-error').innerText()).toContain(
      '有条件共享的资源必须说明共享条件',
    );
    expect(await form.getByLabel('资源名称').inputValue()).toBe('驾驶人考试预约信息');
    expect(await form.getByLabel('第 1 项 字段名').inputValue()).toBe('booking_no');
    await plain.close();
    await context.close();
  });

  it('imports a workbook with a bad cell, shows it against the sheet, then imports the fix and submits', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, STEWARD);
    await page.goto(`${portal.base}/console/import`);
    await checkPage(page, 'import');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '下载编目模板（.xlsx）' }).click();
    const template = await readFile((await (await download).path())!);

    const name = '机动车驾驶人交通违法记分信息';
    await upload(page, await fillWorkbook(template, name, '十八位'));
    expect(await page.locator('.notice-error').innerText()).toContain('没有导入任何内容');
    // one table per sheet, laid out like it: row number, column letter and header, the problem
    expect(await page.locator('.steward-sheet-name').allInnerTexts()).toEqual(['信息项']);
    const sheet = page.getByRole('region', { name: '信息项' });
    const row = sheet.locator('tbody tr').first();
    expect(await row.getByRole('rowheader').innerText()).toBe('3');
    expect(await row.innerText()).toContain('最大长度');
    expect(await row.locator('.steward-bad').innerText()).toBe('十八位');
    expect(await sheet.locator('tbody tr').count()).toBe(1);
    expect(await statusByName(name)).toBeUndefined();
    await checkPage(page, 'import-errors');

    // fixed in "Excel", uploaded again
    await upload(page, await fillWorkbook(template, name, 4));
    expect(await page.locator('.notice-done').innerText()).toContain('导入成功：新建草稿 1 个');
    expect(await page.locator('progress').getAttribute('value')).toBe('100');
    await checkPage(page, 'import-done');
    await page.getByRole('link', { name }).click();
    await page.waitForURL(/\/console\/resources\/[1-3]/);
    const code = new URL(page.url()).pathname.split('/').pop()!;
    expect(await page.locator('.steward-head .badge').innerText()).toBe('草稿');
    await page.getByLabel('给审核人的说明（可不填）').fill('按季度更新，请审核。');
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.waitForURL(/flash=/);
    expect(await page.getByRole('status').first().innerText()).toContain('已提交审核');
    expect(await page.locator('.steward-head .badge').innerText()).toBe('审核中');
    expect(await statusOf(code)).toBe('in_review');

    // the department's export, uploaded again as it is: the entry in review is left as it is
    await page.goto(`${portal.base}/console/import`);
    expect(await page.locator('main').innerText()).toContain('导入时跳过');
    const exportDownload = page.waitForEvent('download');
    await page.getByRole('link', { name: '导出本部门资源（.xlsx）' }).click();
    const exported = await readFile((await (await exportDownload).path())!);
    await upload(page, exported);
    expect(await page.locator('.notice-done').innerText()).toMatch(
      /导入成功：.*\d+ 个非草稿资源未变化、保持原样/,
    );
    const importedRow = page.getByRole('row').filter({ hasText: name });
    expect(await importedRow.innerText()).toContain('未变化（保持原样）');
    expect(await statusOf(code)).toBe('in_review');
    await context.close();
  });

  /** An entry of 公安局 created, submitted and approved through the catalog API: published. */
  const publishedEntry = (name: string) =>
    publishEntry(
      gajEntry(
        name,
        '本市公安机关登记的相关信息，按月更新。',
        { name: 'record_no', label: '登记编号' },
        'monthly',
      ),
    );

  it('retires (下线) a published resource after confirming, with a reason; a stale page is refused', async () => {
    const code = await publishedEntry('废旧机动车回收登记信息');
    const { context, page } = await signInToConsole(browser, h, portal, STEWARD);
    await page.goto(`${portal.base}/console/resources/${code}`);
    const retire = page.locator('.console-confirm summary', { hasText: '下线' });
    expect(await retire.count()).toBe(1);
    // the first button only asks
    await retire.click();
    // the steward learns that grants are not stopped by retiring the entry
    expect(await page.locator('.console-confirm[open]').innerText()).toContain(
      '已批准的共享授权不受影响，照常提供数据；要停止，请在授权中暂停或撤销。',
    );
    await page.getByLabel('下线原因（可不填）').fill('该业务已并入报废汽车回收管理系统。');
    await checkPage(page, 'retire-confirm');
    await page.getByRole('button', { name: /^确认下线/ }).click();
    await arrive(page, portal, /flash=/);
    expect(await flashText(page)).toContain('资源已下线');
    expect(await statusOf(code)).toBe('retired');
    const history = await catalog('GET', `/v1/resources/${code}/history`, {
      token: await h.token(STEWARD),
    });
    expect(history.body.items.at(-1)).toMatchObject({
      action: 'retire',
      comment: '该业务已并入报废汽车回收管理系统。',
    });
    // retired: neither 修订's read-only hint for published nor 下线 again
    expect(await page.locator('.console-confirm summary', { hasText: '下线' }).count()).toBe(0);
    expect(await page.locator('.console-confirm summary', { hasText: '修订' }).count()).toBe(0);

    // a page opened before someone else retired the entry: the catalog's refusal is the flash
    const other = await publishedEntry('机动车临时号牌核发信息');
    await page.goto(`${portal.base}/console/resources/${other}`);
    await catalog('POST', `/v1/resources/${other}/retire`, { token: await h.token(STEWARD) });
    await page.locator('.console-confirm summary', { hasText: '下线' }).click();
    await page.getByRole('button', { name: /^确认下线/ }).click();
    await arrive(page, portal, /flash=/);
    expect(await page.locator('.console-flash.notice-error').innerText()).toMatch(/不能执行此操作/);

    // a draft offers no 下线
    const draft = await catalog('POST', `/v1/resources/${other}/revise`, {
      token: await h.token(STEWARD),
    });
    expect(draft.body.status).toBe('draft');
    await page.goto(`${portal.base}/console/resources/${other}`);
    expect(await page.locator('.console-confirm summary', { hasText: '下线' }).count()).toBe(0);
    await context.close();
  });

  it('shows the rejection reason on the returned draft, and only as the previous opinion once resubmitted', async () => {
    // another entry this one refers to (关联资源代码): the catalog keeps codes as given
    const RELATED = '330100001-000000000-000001';
    const steward = await h.token(STEWARD);
    const created = await catalog('POST', '/v1/resources', {
      token: steward,
      body: {
        ...gajEntry('非机动车登记备案信息', '电动自行车登记备案的车辆与所有人信息。', {
          name: 'plate_no',
          label: '号牌号码',
        }),
        serviceCategory: '社会管理',
        relatedResourceCodes: [RELATED],
      },
    });
    const code = created.body.code as string;
    await catalog('POST', `/v1/resources/${code}/submit`, { token: steward });
    const rejected = await catalog('POST', `/v1/resources/${code}/reject`, {
      token: await h.token('hz-dsj.approver'),
      body: { comment: '请补充号牌号码的数据分级。' },
    });
    expect(rejected.body.status).toBe('draft');

    const { context, page } = await signInToConsole(browser, h, portal, STEWARD);
    await page.goto(`${portal.base}/console/resources/${code}`);
    expect(await page.locator('.steward-review-comment').innerText()).toBe(
      '审核意见：请补充号牌号码的数据分级。',
    );
    expect(await page.locator('.steward-head .badge').innerText()).toBe('已退回');
    await page.getByLabel('给审核人的说明（可不填）').fill('已补充数据分级。');
    await page.getByRole('button', { name: '提交审核' }).click();
    await arrive(page, portal, /flash=/);
    expect(await statusOf(code)).toBe('in_review');
    // under review again: the old reason is no longer the current 审核意见
    expect(await page.locator('.steward-review-comment').innerText()).toBe(
      '上一轮审核意见：请补充号牌号码的数据分级。',
    );
    await checkPage(page, 'resubmitted');

    // published with the approver's words, then reopened by 修订: those words approved the last
    // version, they ask nothing of the new draft
    await catalog('POST', `/v1/resources/${code}/approve`, {
      token: await h.token('hz-dsj.approver'),
      body: { comment: '同意发布。' },
    });
    await page.goto(`${portal.base}/console/resources/${code}`);
    expect(await page.locator('.steward-review-comment').innerText()).toBe('审核意见：同意发布。');
    // who published the version, and who took each step, by name with the account beside it
    const version = page.getByRole('row').filter({ hasText: /^v1/ });
    expect(await version.locator('td').last().innerText()).toBe('黄审核（hz-dsj.approver）');
    expect(await page.locator('.steward-history-head').first().innerText()).toMatch(
      /^审核通过 · 黄审核（hz-dsj\.approver） · /,
    );
    // 修订 takes the entry off the directory: the first button only asks, and says what stops
    // until it is published again and what goes on
    await page.locator('.console-confirm summary', { hasText: '修订' }).click();
    expect(await page.locator('.console-confirm[open] form p').innerText()).toBe(
      '修订后，此资源重新成为草稿并从目录中撤下，直到再次提交审核并由数据主管部门发布：' +
        '在此期间门户和开放数据接口不再提供它，也不能对它提出新的共享申请。' +
        '已批准的共享授权照常可用，连接器照常交付数据。确定修订吗？',
    );
    expect(await statusOf(code)).toBe('published');
    await checkPage(page, 'revise-confirm');
    await page.getByRole('button', { name: /^确认修订/ }).click();
    await arrive(page, portal, /flash=/);
    expect(await flashText(page)).toContain('资源已重新打开为草稿');
    expect(await statusOf(code)).toBe('draft');
    expect(await page.locator('.steward-review-comment').innerText()).toBe(
      '上一轮审核意见：同意发布。',
    );
    // nobody sent it back: a draft, here and in 我的资源, not 已退回
    expect(await page.locator('.steward-head .badge').innerText()).toBe('草稿');
    await page.goto(
      `${portal.base}/console/resources?q=${encodeURIComponent('非机动车登记备案信息')}`,
    );
    expect(
      await page
        .getByRole('row', { name: /非机动车登记备案信息/ })
        .locator('.badge')
        .innerText(),
    ).toBe('草稿');

    // the editor sends the whole entry: what it has no input for would be erased. The revised
    // draft keeps its 服务分类, its 发布日期 (set by the catalog on first publication) and its
    // 关联资源 when the steward changes something else
    const published = (await catalog('GET', `/v1/resources/${code}`, { token: steward })).body;
    expect(published.publishDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.goto(`${portal.base}/console/resources/${code}`);
    await page.getByLabel('资源摘要').fill('电动自行车登记备案的车辆、所有人与号牌信息。');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await arrive(page, portal, /flash=/);
    expect(await flashText(page)).toContain('草稿已保存');
    const edited = (await catalog('GET', `/v1/resources/${code}`, { token: steward })).body;
    expect(edited).toMatchObject({
      abstract: '电动自行车登记备案的车辆、所有人与号牌信息。',
      serviceCategory: '社会管理',
      publishDate: published.publishDate,
      relatedResourceCodes: [RELATED],
    });
    const lastChange = page.locator('.steward-history > li').first();
    expect(await lastChange.locator('tbody th').allInnerTexts()).toEqual(['资源摘要']);
    // and 服务分类 is the steward's to see and change, from the directory's categories; the
    // 发布日期 shows, as the catalog's to set
    await page.goto(`${portal.base}/console/resources/${code}`);
    expect(await page.getByLabel('服务分类').inputValue()).toBe('社会管理');
    expect(await page.locator('.steward-fact').innerText()).toContain(published.publishDate);
    await page.getByLabel('服务分类').selectOption({ label: '公共服务' });
    await page.getByRole('button', { name: '保存草稿' }).click();
    await arrive(page, portal, /flash=/);
    expect((await catalog('GET', `/v1/resources/${code}`, { token: steward })).body).toMatchObject({
      serviceCategory: '公共服务',
      publishDate: published.publishDate,
    });
    expect(await page.locator('.steward-history > li').first().innerText()).toMatch(
      /服务分类\s+社会管理\s+公共服务/,
    );
    await context.close();
  });

  it('answers an objection and a data request; the answers are visible through the public API', async () => {
    // a published open dataset of the demo city and a steward of its provider
    const { rows } = await h.db.pool.query<{ code: string; department: string; steward: string }>(
      `SELECT r.code, d.code AS department, u.username AS steward
         FROM resources r
         JOIN departments d ON d.id = r.provider_id
         JOIN users u ON u.department_id = d.id AND 'steward' = ANY (u.roles)
        WHERE r.open_type = 'open' AND r.status = 'published'
        ORDER BY r.code LIMIT 1`,
    );
    const dataset = rows[0]!;
    const developer = await h.token('developer');
    const raised = await call(h.exchange.base, 'POST', '/v1/objections', {
      token: developer,
      body: { resourceCode: dataset.code, description: '部分记录的地址与实际不符，请核实。' },
    });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    const asked = await call(h.catalog.base, 'POST', '/v1/data-requests', {
      token: developer,
      body: {
        title: '希望开放驾驶人考试场地信息',
        description: '考试场地的位置、开放时间和预约方式。',
        wantedDepartment: dataset.department,
        contact: 'driver@example.cn',
      },
    });
    expect(asked.status).toBe(201);

    const { context, page } = await signInToConsole(browser, h, portal, dataset.steward);
    await page.goto(`${portal.base}/console/objections`);
    const card = page.locator('.steward-cards > li', { hasText: raised.body.number });
    expect(await card.innerText()).toContain('部分记录的地址与实际不符');
    await checkPage(page, 'objections');
    await card.getByRole('radio', { name: '不予接受' }).check();
    await card.getByRole('button', { name: '提交答复' }).click();
    await page.waitForURL(/flash=/);
    // refused by the console before the API: a rejection needs its reason
    expect(await page.locator('.notice-error').innerText()).toContain('不予接受时请写明理由');
    const again = page.locator('.steward-cards > li', { hasText: raised.body.number });
    await again.getByRole('radio', { name: '不予接受' }).check();
    await again.getByLabel(/答复说明/).fill('经核实，地址为登记时的地址，数据无误。');
    await again.getByRole('button', { name: '提交答复' }).click();
    await page.waitForURL(/flash=/);
    expect(await page.getByRole('status').first().innerText()).toContain('答复已提交');
    const objection = await call(h.exchange.base, 'GET', `/v1/objections/${raised.body.number}`, {
      token: developer,
    });
    expect(objection.body.state).toBe('rejected');
    expect(objection.body.answer.reply).toBe('经核实，地址为登记时的地址，数据无误。');

    await page.goto(`${portal.base}/console/requests`);
    const request = page.locator('.steward-cards > li', { hasText: '希望开放驾驶人考试场地信息' });
    expect(await request.innerText()).toContain('driver@example.cn');
    await checkPage(page, 'requests');
    await request.getByRole('radio', { name: '已开放' }).check();
    await request.getByLabel(/答复内容/).fill('考试场地信息已开放，欢迎使用。');
    await request.getByLabel(/已开放的资源代码/).fill(dataset.code);
    await request.getByRole('button', { name: '发布答复' }).click();
    await page.waitForURL(/flash=/);
    expect(await page.getByRole('status').first().innerText()).toContain('答复已发布');
    const published = await call(h.catalog.base, 'GET', `/v1/data-requests/${asked.body.id}`);
    expect(published.body.status).toBe('opened');
    expect(published.body.answer.text).toBe('考试场地信息已开放，欢迎使用。');
    expect(published.body.answer.datasetCode).toBe(dataset.code);
    await context.close();
  });

  it('shows my connectors with status, throughput and dead letters, and pauses and resumes one', async () => {
    const token = await h.token(STEWARD);
    const { rows } = await h.db.pool.query<{ code: string; name: string }>(
      `SELECT r.code, r.name FROM resources r JOIN departments d ON d.id = r.provider_id
        WHERE d.code = 'hz-gaj' AND r.status = 'published' ORDER BY r.code LIMIT 1`,
    );
    const created = await call(h.connectors.base, 'POST', '/v1/connectors', {
      token,
      body: {
        name: 'gaj-permits-drop',
        config: {
          type: 'file-drop',
          department: 'hz-gaj',
          resource: rows[0]!.code,
          options: { directory: '/var/lib/gx/drop/gaj-permits' },
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const listed = await call(h.connectors.base, 'GET', '/v1/connectors', { token });

    const { context, page } = await signInToConsole(browser, h, portal, STEWARD);
    await page.goto(`${portal.base}/console/connectors`);
    expect(await page.locator('.steward-cards > li').count()).toBe(listed.body.items.length);
    const card = page.locator('.steward-cards > li', { hasText: 'gaj-permits-drop' });
    expect(await card.innerText()).toContain('数据源 · file-drop');
    // the resource by its name, its code beside it
    expect(await card.innerText()).toContain(`${rows[0]!.name} ${rows[0]!.code}`);
    expect(await card.innerText()).toContain('死信');
    // a source reads records in; it never writes any out, so it shows no 写出记录
    expect(await card.locator('.steward-figures').innerText()).toContain('读入记录');
    expect(await card.locator('.steward-figures').innerText()).not.toContain('写出记录');
    await checkPage(page, 'connectors');

    // the badge says what the status API says, whatever was asked of the connector: a worker
    // (a row, as a live one writes it) whose task failed on the missing drop directory
    const worker = await h.db.pool.query<{ id: string }>(
      `INSERT INTO connect_workers (id, client, expires_at)
       VALUES (gen_random_uuid(), 'test-host:4242', now() + interval '1 minute') RETURNING id::text`,
    );
    const workerId = worker.rows[0]!.id;
    await h.db.pool.query(
      `INSERT INTO connector_tasks (task, worker_id, connector, state, last_error, last_error_at)
       VALUES ('source:gaj-permits-drop', $1, 'gaj-permits-drop', 'failed', $2, now())`,
      [workerId, '无法读取投递目录 /var/lib/gx/drop/gaj-permits: ENOENT'],
    );
    await page.reload();
    const badge = card.locator('.badge');
    expect(await badge.innerText()).toBe('失败');
    expect(await badge.getAttribute('class')).toContain('steward-state-FAILED');
    expect(await card.innerText()).toContain(
      '无法读取投递目录 /var/lib/gx/drop/gaj-permits: ENOENT',
    );
    // the task works again: running, its last error still shown
    await h.db.pool.query(`UPDATE connector_tasks SET state = 'running' WHERE worker_id = $1`, [
      workerId,
    ]);
    await page.reload();
    expect(await badge.innerText()).toBe('运行中');
    await h.db.pool.query('DELETE FROM connect_workers WHERE id = $1', [workerId]);
    await page.reload();
    expect(await badge.innerText()).toBe('等待分配');

    await card.getByRole('button', { name: '暂停' }).click();
    await page.waitForURL(/flash=/);
    expect(await page.getByRole('status').first().innerText()).toContain('连接器已暂停');
    const status = await call(h.connectors.base, 'GET', '/v1/connectors/gaj-permits-drop/status', {
      token,
    });
    expect(status.body.state).toBe('PAUSED');
    const paused = page.locator('.steward-cards > li', { hasText: 'gaj-permits-drop' });
    expect(await paused.locator('.badge').innerText()).toBe('已暂停');
    await paused.getByRole('button', { name: '恢复' }).click();
    await page.waitForURL(/flash=/);
    expect(await page.getByRole('status').first().innerText()).toContain('连接器已恢复运行');
    await context.close();
  });

  it('loads a sink’s stored records again once the steward confirms (重新同步存量)', async () => {
    // 人社局 holds a grant on 公安局's people (3 records) and a sink on it; no worker runs here,
    // so the queued records wait in the exchange's outbox, where they can be counted
    const granted = await grantedPeopleResource(h, {}, 3);
    const NAME = 'rsj-people-resync';
    const created = await call(h.connectors.base, 'POST', '/v1/connectors', {
      token: await h.token('hz-rsj.steward'),
      body: {
        name: NAME,
        config: {
          type: 'webhook',
          department: 'hz-rsj',
          grant: granted.grantId,
          options: {
            url: 'https://rsj.example.cn/people',
            signingKey: { secret: { env: 'RSJ_WEBHOOK_KEY' } },
          },
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const queued = async () =>
      Number(
        (
          await h.db.pool.query(
            'SELECT count(*) AS n FROM record_outbox WHERE initial_load_grant = $1',
            [granted.grantId],
          )
        ).rows[0].n,
      );
    expect(await queued()).toBe(0);

    const { context, page } = await signInToConsole(browser, h, portal, 'hz-rsj.steward');
    await page.goto(`${portal.base}/console/connectors`);
    const card = page.locator('.steward-cards > li', { hasText: NAME });
    await card.locator('summary', { hasText: '重新同步存量' }).click();
    expect(await card.innerText()).toContain('同一授权的其他目标连接器也会再收到一遍');
    await card.getByRole('button', { name: /确认同步/ }).click();
    await page.waitForURL(/flash=/);
    expect(await page.getByRole('status').first().innerText()).toContain(
      `已为 ${NAME} 排入 3 条存量数据`,
    );
    expect(await queued()).toBe(3);
    await context.close();
  });

  it('creates a connector through the form (problems first, the JSON kept), stops it, resets its offsets, restarts, edits and deletes it', async () => {
    const token = await h.token(STEWARD);
    const api = (method: string, path: string, body?: unknown) =>
      call(h.connectors.base, method, path, { token, ...(body ? { body } : {}) });
    const { rows } = await h.db.pool.query<{ code: string }>(
      `SELECT r.code FROM resources r JOIN departments d ON d.id = r.provider_id
        WHERE d.code = 'hz-gaj' AND r.status = 'published' ORDER BY r.code LIMIT 1`,
    );
    const resource = rows[0]!.code;
    const NAME = 'gaj-console-drop';
    const card = (page: Page) => page.locator('.steward-cards > li', { hasText: NAME });
    /** clicks, and waits for the form's answer: a new page with a flash message */
    const submit = async (page: Page, button: Locator) => {
      const before = page.url();
      await button.click();
      await page.waitForURL((url) => url.href !== before && url.searchParams.has('flash'));
    };
    const done = async (page: Page, button: Locator) => {
      await submit(page, button);
      return page.getByRole('status').first().innerText();
    };

    const { context, page } = await signInToConsole(browser, h, portal, STEWARD);
    await page.goto(`${portal.base}/console/connectors`);
    await page.getByRole('link', { name: '新建连接器' }).click();
    await arrive(page, portal, /\/console\/connectors\/new$/);
    await page.getByLabel(/文件投递目录（数据源 · file-drop）/).check();
    await page.getByRole('button', { name: '下一步' }).click();
    await arrive(page, portal, /\/console\/connectors\/new\?type=file-drop$/);
    // the skeleton for the chosen plugin, for my department
    const textarea = page.getByLabel('配置（JSON）');
    expect(JSON.parse(await textarea.inputValue())).toEqual({
      type: 'file-drop',
      department: 'hz-gaj',
      resource: '',
      options: { directory: '' },
    });
    await checkPage(page, 'connector-new');

    // broken JSON: where, never what (a secret typed where a reference belongs stays sealed)
    const broken = `{\n  "department": "hz-gaj",\n  "options": { "directory": "postgres://gx:s3cret@db" }\n  "resource": "${resource}"\n}`;
    await page.getByLabel('连接器名称').fill(NAME);
    await textarea.fill(broken);
    await submit(page, page.getByRole('button', { name: '校验' }));
    const syntax = await page.getByRole('alert').first().innerText();
    expect(syntax).toContain('配置不是有效的 JSON：第 4 行第 3 列附近有误。');
    expect(syntax).not.toContain('s3cret');
    expect(page.url()).not.toContain('s3cret');
    expect(await page.getByLabel('配置（JSON）').inputValue()).toBe(broken);
    expect(await page.getByLabel('连接器名称').inputValue()).toBe(NAME);

    // a configuration the API refuses: every problem by its field's title from the plugin's
    // schema (its JSON path beside it), what was typed kept
    const refused = JSON.stringify(
      { department: 'hz-gaj', resource, options: { format: 'xml' } },
      null,
      2,
    );
    await page.getByLabel('配置（JSON）').fill(refused);
    await submit(page, page.getByRole('button', { name: '创建' }));
    expect(await page.getByRole('alert').first().innerText()).toContain('配置有 2 处问题');
    const problems = page.locator('#config-problems li');
    expect(await problems.allInnerTexts()).toEqual(
      expect.arrayContaining([
        '投递目录：必填 /options/directory',
        expect.stringMatching(/^文件格式：取值应为 .+ \/options\/format$/),
      ]),
    );
    expect(await problems.count()).toBe(2);
    const config = page.getByLabel('配置（JSON）');
    expect(await config.inputValue()).toBe(refused);
    expect(await config.getAttribute('aria-invalid')).toBe('true');
    expect(await config.getAttribute('aria-describedby')).toContain('connector-error');
    expect(await page.getByLabel('连接器名称').inputValue()).toBe(NAME);
    expect((await api('GET', `/v1/connectors/${NAME}`)).status).toBe(404);
    await checkPage(page, 'connector-problems');

    // fixed: 校验 passes, 创建 lists it
    const fixed = JSON.stringify({
      department: 'hz-gaj',
      resource,
      options: { directory: '/var/lib/gx/drop/gaj-console' },
    });
    await page.getByLabel('配置（JSON）').fill(fixed);
    expect(await done(page, page.getByRole('button', { name: '校验' }))).toContain('配置校验通过');
    expect(await page.locator('#config-problems').count()).toBe(0);
    expect(await page.getByLabel('配置（JSON）').inputValue()).toBe(fixed);
    expect(await done(page, page.getByRole('button', { name: '创建' }))).toContain(
      `连接器 ${NAME} 已创建并开始运行。`,
    );
    expect(await card(page).innerText()).toContain('数据源 · file-drop');
    const created = await api('GET', `/v1/connectors/${NAME}`);
    expect(created.body).toMatchObject({ state: 'running', resource, department: 'hz-gaj' });

    // no 重置位点 while it runs; 停止, then it is offered
    expect(await card(page).locator('summary', { hasText: '重置位点' }).count()).toBe(0);
    expect(await done(page, card(page).getByRole('button', { name: '停止' }))).toContain(
      '连接器已停止',
    );
    expect(await card(page).locator('.badge').innerText()).toBe('已停止');
    expect((await api('GET', `/v1/connectors/${NAME}`)).body.state).toBe('stopped');
    const moved = await api('PATCH', `/v1/connectors/${NAME}/offsets`, {
      position: { file: 'permits-01.csv', line: 12 },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await page.goto(`${portal.base}/console/connectors`);
    // the position in words, the stored JSON kept for operators under 原始位点
    expect(await card(page).innerText()).toContain('文件 permits-01.csv，已读到第 12 行');
    const raw = card(page).locator('details', { hasText: '原始位点（JSON）' });
    await raw.locator('summary').click();
    expect(await raw.locator('code').innerText()).toBe('{"file":"permits-01.csv","line":12}');
    await card(page).locator('summary', { hasText: '重置位点' }).click();
    expect(await done(page, card(page).getByRole('button', { name: /确认重置/ }))).toContain(
      `${NAME} 的位点已重置`,
    );
    expect(await card(page).innerText()).toContain('无（从头读取）');
    expect((await api('GET', `/v1/connectors/${NAME}/offsets`)).body).toEqual({
      kind: 'source',
      position: null,
    });

    // running again, then 重启 rebuilds its tasks (generation up)
    expect(await done(page, card(page).getByRole('button', { name: '恢复' }))).toContain(
      '连接器已恢复运行',
    );
    const before = (await api('GET', `/v1/connectors/${NAME}`)).body.generation as number;
    expect(await done(page, card(page).getByRole('button', { name: '重启' }))).toContain(
      '连接器已重启',
    );
    const restarted = await api('GET', `/v1/connectors/${NAME}`);
    expect(restarted.body).toMatchObject({ state: 'running', generation: before + 1 });

    // 修改配置: the current configuration in the form, saved with a change
    await card(page)
      .getByRole('link', { name: /修改配置/ })
      .click();
    await arrive(page, portal, new RegExp(`/console/connectors/${NAME}/config$`));
    const current = JSON.parse(await page.getByLabel('配置（JSON）').inputValue()) as {
      options: object;
    };
    expect(current).toMatchObject({ type: 'file-drop', resource, department: 'hz-gaj' });
    // a refused save names the envelope's fields and the nested options' too
    await page.getByLabel('配置（JSON）').fill(
      JSON.stringify(
        {
          ...current,
          batchSize: 0,
          options: { ...current.options, deleteMarker: { field: '' } },
        },
        null,
        2,
      ),
    );
    await submit(page, page.getByRole('button', { name: '保存配置' }));
    expect(await page.getByRole('alert').first().innerText()).toContain('配置有 3 处问题');
    expect((await page.locator('#config-problems li').allInnerTexts()).sort()).toEqual([
      '删除标记 › 标记字段：长度至少为 1 /options/deleteMarker/field',
      '删除标记 › 表示删除的值：必填 /options/deleteMarker/values',
      '每批最多记录数：不能小于 1 /batchSize',
    ]);
    expect((await api('GET', `/v1/connectors/${NAME}/config`)).body.batchSize).not.toBe(0);
    await page
      .getByLabel('配置（JSON）')
      .fill(JSON.stringify({ ...current, batchSize: 50 }, null, 2));
    expect(await done(page, page.getByRole('button', { name: '保存配置' }))).toContain(
      `${NAME} 的配置已保存`,
    );
    expect((await api('GET', `/v1/connectors/${NAME}/config`)).body.batchSize).toBe(50);

    // 删除, after confirming
    await card(page).locator('summary', { hasText: '删除' }).click();
    expect(await card(page).innerText()).toContain(`删除 ${NAME} 后不能恢复`);
    expect(await done(page, card(page).getByRole('button', { name: /确认删除/ }))).toContain(
      `连接器 ${NAME} 已删除。`,
    );
    expect(await card(page).count()).toBe(0);
    expect((await api('GET', `/v1/connectors/${NAME}`)).status).toBe(404);
    await context.close();
  });
});

describe('the approver console', JOURNEY, () => {
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

  it("shows the reviewer the steward's note and the earlier rejection with its reason", async () => {
    const steward = await h.token('hz-gaj.steward');
    const approver = await h.token('hz-dsj.approver');
    const name = '审核台测试户籍迁移登记信息';
    const created = await catalog('POST', '/v1/resources', {
      token: steward,
      body: gajEntry(name, '户籍迁入、迁出登记的办理记录', {
        name: 'record_no',
        label: '登记编号',
      }),
    });
    const code = created.body.code as string;
    const step = (action: string, token: string, comment: string) =>
      catalog('POST', `/v1/resources/${code}/${action}`, { token, body: { comment } });
    expect((await step('submit', steward, '首次提交，请审核。')).status).toBe(200);
    expect((await step('reject', approver, '请补充信息项的数据分级。')).status).toBe(200);
    expect((await step('submit', steward, '已按意见补充数据分级。')).status).toBe(200);

    const { context, page } = await signInToConsole(browser, h, portal, 'hz-dsj.approver');
    await page.goto(`${portal.base}/console/reviews/${code}`);
    const trail = page.getByRole('region', { name: '提交说明与审核记录' });
    expect(await trail.locator('.approver-note blockquote').innerText()).toBe(
      '已按意见补充数据分级。',
    );
    // people by name, their account beside it
    expect(await trail.locator('.approver-note .hint').innerText()).toMatch(
      /^李静（hz-gaj\.steward） 于 .+ 提交$/,
    );
    const earlier = trail.locator('.approver-earlier > li');
    expect(await earlier.count()).toBe(2);
    expect(await earlier.first().innerText()).toContain('退回修改 · 黄审核（hz-dsj.approver） ·');
    expect(await earlier.first().innerText()).toContain('意见：请补充信息项的数据分级。');
    expect(await earlier.nth(1).innerText()).toContain('首次提交，请审核。');
    await expectAccessible(page);
    await context.close();
  });

  it('shows the approver what approving a revision changes: schema compatibility and each edited field', async () => {
    const steward = await h.token('hz-gaj.steward');
    const name = '审核台测试犬只免疫登记信息';
    const entry = {
      ...gajEntry(name, '犬只狂犬病免疫登记的记录。', { name: 'tag_no', label: '犬牌号' }),
      items: [
        { name: 'tag_no', label: '犬牌号', dataType: 'string', maxLength: 20, isKey: true },
        { name: 'owner_name', label: '犬主姓名', dataType: 'string' },
      ],
    };
    const code = await publishEntry(entry);
    const revised = await catalog('POST', `/v1/resources/${code}/revise`, { token: steward });
    // the steward shortens the key, drops a field, adds a required one and rewords the abstract
    // (a PUT replaces the entry: the 发布日期 goes with it, as the editor sends it)
    const edited = await catalog('PUT', `/v1/resources/${code}`, {
      token: steward,
      body: {
        ...entry,
        publishDate: revised.body.publishDate,
        abstract: '犬只狂犬病免疫登记的记录，含免疫日期。',
        items: [
          { name: 'tag_no', label: '犬牌号', dataType: 'string', maxLength: 12, isKey: true },
          { name: 'vaccinated_on', label: '免疫日期', dataType: 'date', isRequired: true },
        ],
      },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    await catalog('POST', `/v1/resources/${code}/submit`, { token: steward });

    const { context, page } = await signInToConsole(browser, h, portal, 'hz-dsj.approver');
    await page.goto(`${portal.base}/console/reviews/${code}`);
    const changes = page.getByRole('region', { name: '审核通过后的变化' });
    // the record schema against the last published version, in the steward's page's words
    expect(await changes.locator('.steward-schema-summary').innerText()).toBe(
      '将发布为第 2 版（上一版为第 1 版） 与上一版不兼容',
    );
    expect(await changes.locator('.notice-error').innerText()).toContain(
      '不兼容的修改会影响正在使用该资源的部门和系统',
    );
    const schemaRows = await changes.locator('.steward-schema-changes tbody tr').allInnerTexts();
    expect(schemaRows.join('\n')).toMatch(/owner_name\s+删除字段\s+删除了字段 owner_name\s+不兼容/);
    expect(schemaRows.join('\n')).toMatch(
      /vaccinated_on\s+新增字段\s+新增必填字段 vaccinated_on\s+不兼容/,
    );
    expect(schemaRows.join('\n')).toMatch(/tag_no\s+类型或长度变化/);
    // and every field edited since the publication, from its published value to the new one
    const cells = await changes
      .locator('.steward-diff tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          [...tr.children].map((c) => (c as unknown as { innerText: string }).innerText),
        ),
      );
    expect(Object.fromEntries(cells.map(([field, ...values]) => [field, values]))).toEqual({
      资源摘要: ['犬只狂犬病免疫登记的记录。', '犬只狂犬病免疫登记的记录，含免疫日期。'],
      '信息项「tag_no」 · 最大长度': ['20', '12'],
      '信息项「owner_name」': ['犬主姓名（owner_name）', '—'],
      '信息项「vaccinated_on」': ['—', '免疫日期（vaccinated_on）'],
    });
    await expectAccessible(page);
    await shoot(page, 'console-approver-review-revision');
    await context.close();
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
    // the purpose by its name in the page's language: 社会保障 here, Social security in English
    expect(facts).toContain('社会保障（SOCIAL_SECURITY）');
    await context.addCookies([{ name: 'gx_lang', value: 'en', url: portal.base }]);
    await page.reload();
    // (the requesting department, 人力资源和社会保障局, keeps its Chinese name)
    const purposesEn = page
      .locator('.approver-facts > div', { has: page.locator('dt', { hasText: 'Purpose codes' }) })
      .locator('dd');
    expect(await purposesEn.innerText()).toBe('Social security (SOCIAL_SECURITY)');
    await context.addCookies([{ name: 'gx_lang', value: 'zh-CN', url: portal.base }]);
    await page.reload();

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
          purposeCode: 'RESEARCH',
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
    // the 用途类别 the applicant chose, by name, beside the purpose text
    const fact = (term: string) =>
      card
        .locator('dl > div')
        .filter({ has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) })
        .locator('dd');
    expect(await fact('用途').innerText()).toBe('开发公共自行车找车小程序');
    expect(await fact('用途类别').innerText()).toBe('科学研究');
    await expectAccessible(page);
    await shoot(page, 'console-approver-open-applications');

    // rejecting needs a reason: the browser asks for it before anything is sent
    const reject = card.getByRole('form', { name: '驳回：陈开发' });
    expect(await reject.getByLabel('驳回理由').getAttribute('required')).not.toBeNull();

    // a quota that is no whole number and a validity in the past: both said, nothing decided
    let approve = card.getByRole('form', { name: '批准：陈开发' });
    await approve.evaluate((form) => form.setAttribute('novalidate', ''));
    await approve.getByLabel(/每日调用上限/).fill('-1');
    await approve.getByLabel(/有效期至/).fill('2020-01-01');
    await approve.getByRole('button', { name: '批准' }).click();
    await arrive(page, portal, `${portal.base}/console/open-applications?**`);
    const refusal = await flashText(page);
    expect(refusal).toContain('每日调用上限应为 1–1000000 的整数。');
    expect(refusal).toContain('有效期至应晚于今天。');
    expect(
      (
        await exchange('GET', `/v1/open-applications/${approvedId}`, {
          token: await h.token('developer'),
        })
      ).body.status,
    ).toBe('submitted');

    approve = card.getByRole('form', { name: '批准：陈开发' });
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

describe('the steward asks other departments for data', JOURNEY, () => {
  const PREFIX = '申请台测试';
  const CONDITIONAL = `${PREFIX}居民联系方式`;
  const UNCONDITIONAL = `${PREFIX}公共停车场`;
  const NOT_SHARED = `${PREFIX}在押人员信息`;
  const NOT_SHARED_BASIS = '《看守所条例》第七条：在押人员信息不对外提供';
  const OPEN = `${PREFIX}充电站点`;
  const OWN_DRAFT = `${PREFIX}本部门草稿`;

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
    conditionalCode = await publishEntry(
      entry(CONDITIONAL, {
        sharingType: 'conditional',
        sharingConditions: '仅限依法履职所需',
        items: personItems,
      }),
    );
    await publishEntry(
      entry(UNCONDITIONAL, {
        sharingType: 'unconditional',
        items: [
          { name: 'lot_id', label: '停车场编号', dataType: 'string', isKey: true },
          { name: 'spaces', label: '泊位数', dataType: 'integer' },
        ],
      }),
    );
    notSharedCode = await publishEntry(
      entry(NOT_SHARED, {
        sharingType: 'none',
        sharingMethods: [],
        sharingLegalBasis: NOT_SHARED_BASIS,
        items: personItems,
      }),
    );
    // the asking steward's own department's draft matches too, and is not for asking
    const own = await catalog('POST', '/v1/resources', {
      token: await h.token('hz-rsj.steward'),
      body: entry(OWN_DRAFT, {
        sharingType: 'unconditional',
        items: [{ name: 'lot_id', label: '编号', dataType: 'string', isKey: true }],
      }),
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
  }, 300_000);

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
    // the count is of what can be asked for: other departments' published entries, as listed
    const counted = Number(/找到 (\d+) 条资源/.exec(await results.innerText())![1]);
    const listed = await results.getByRole('listitem').count();
    expect(counted).toBe(listed);
    expect(await results.innerText()).not.toContain(OWN_DRAFT);
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
    expect(await flashText(page)).toContain('请至少勾选一个申请字段');
    // the refused field group says so and points at the message; what was fine does not
    const problemId = await page.locator('.console-flash').getAttribute('id');
    expect(problemId).toBeTruthy();
    const itemBox = page.getByLabel(/^公民身份号码/);
    expect(await itemBox.getAttribute('aria-invalid')).toBe('true');
    expect(await itemBox.getAttribute('aria-describedby')).toBe(problemId);
    expect(await page.getByLabel('用途说明').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel('用途说明').getAttribute('aria-describedby')).toBe('purpose-hint');
    expect(await page.getByLabel('核验').getAttribute('aria-invalid')).toBeNull();
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
    // in English the purposes read in English, on the form and on the request: no 社会保障
    await context.addCookies([{ name: 'gx_lang', value: 'en', url: portal.base }]);
    await page.goto(`${portal.base}/console/my-requests/new?resource=${conditionalCode}`);
    const purposesEn = page.locator('fieldset', { has: page.locator('[name="purposeCodes"]') });
    expect(await purposesEn.innerText()).not.toMatch(/社会保障|行政审批/);
    expect(await purposesEn.getByLabel('Social security (SOCIAL_SECURITY)').count()).toBe(1);
    await page.goto(`${portal.base}/console/my-requests/${requestId}`);
    const factsEn = await factsText(page);
    expect(factsEn).toContain('Social security (SOCIAL_SECURITY)');
    expect(factsEn).not.toContain('社会保障');
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
      // the person, by name, beside the account
      requestedByName: '赵丽',
      decidedByName: null,
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
    expect(approved.body).toMatchObject({ requestedByName: '赵丽', decidedByName: '王建国' });
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
    // people by name, their accounts beside
    const body = await page.locator('main').innerText();
    expect(body).toContain('赵丽（hz-rsj.steward）');
    expect(body).toMatch(/审批人\s+王建国（hz-gaj\.approver）/);
    expect(body).toMatch(/批准人\s+王建国（hz-gaj\.approver）/);
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
    // the exchange's refusal is about no field of the form: none is marked
    expect(await page.getByLabel('异议说明').getAttribute('aria-invalid')).toBeNull();
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'console-objection-form');

    // a description of only spaces passes the browser's check, a link that is not one too: the
    // message names both, and those two fields (only they) point at it
    await page.getByLabel('异议说明').fill('   ');
    const linksField = page.getByLabel('证明材料链接（每行一个，可不填）');
    await linksField.fill('照片见附件');
    await page.getByRole('button', { name: '提交异议' }).click();
    await arrive(page, portal, `${portal.base}/console/objections/new?**form=**`);
    expect(await flashText(page)).toContain('请填写异议说明');
    expect(await flashText(page)).toContain('证明材料链接应为 http(s) 地址');
    const problemId = await page.locator('.console-flash').getAttribute('id');
    expect(problemId).toBeTruthy();
    const descriptionField = page.getByLabel('异议说明');
    expect(await descriptionField.getAttribute('aria-invalid')).toBe('true');
    expect((await descriptionField.getAttribute('aria-describedby'))?.split(' ')).toEqual([
      problemId,
      'description-hint',
    ]);
    expect(await linksField.getAttribute('aria-invalid')).toBe('true');
    expect(await linksField.getAttribute('aria-describedby')).toBe(problemId);
    expect(await page.getByLabel('停车场编号的正确值').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel('记录主键（可不填）').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel('停车场编号的正确值').inputValue()).toBe('P-0405');
    await descriptionField.fill('停车场编号与现场标牌不一致');
    await linksField.fill('https://example.gov.cn/photo-0405.jpg');

    await page.getByLabel('记录主键（可不填）').fill('');
    await page.getByRole('button', { name: '提交异议' }).click();
    await arrive(page, portal, `${portal.base}/console/objections?side=raised&flash=**`);
    const submitted = /已提出数据异议 (YY\d+)，等待提供部门答复/.exec(await flashText(page));
    expect(submitted).not.toBeNull();
    const number = submitted![1]!;
    const card = () => page.locator(`[data-objection-number="${number}"]`);
    expect(await card().innerText()).toContain('待处理');
    expect(await card().innerText()).toContain('杭州市公安局');
    // the field by its label, its name beside
    expect(await card().innerText()).toContain('停车场编号（lot_id）：P-0405');
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
    // the field by its label, not by its name alone
    const facts = await received.locator('dd').allInnerTexts();
    expect(facts).toContain('停车场编号（lot_id）');
    expect(facts).toContain('停车场编号（lot_id）：P-0405');
    expect(facts.some((f) => f.startsWith('lot_id'))).toBe(false);
    expect(
      await received.getByRole('link', { name: 'https://example.gov.cn/photo-0405.jpg' }).count(),
    ).toBe(1);
    // declined without a reason (spaces pass the browser): refused, and the card comes back
    // as it was answered, 不予接受 still chosen
    await received.getByRole('radio', { name: '不予接受' }).check();
    await received.getByLabel('答复说明（不予接受时必填）').fill('   ');
    await received.getByRole('button', { name: '提交答复' }).click();
    await arrive(provider.page, portal, `${portal.base}/console/objections?**form=**`);
    expect(await flashText(provider.page)).toContain('不予接受时请写明理由');
    expect(await received.getByRole('radio', { name: '不予接受' }).isChecked()).toBe(true);
    expect(await received.getByLabel('答复说明（不予接受时必填）').inputValue()).toBe('   ');
    await received.getByLabel('答复说明（不予接受时必填）').fill('经现场核对，编号无误');
    await received.getByRole('button', { name: '提交答复' }).click();
    await arrive(provider.page, portal, `${portal.base}/console/objections?flash=**`);
    expect(await flashText(provider.page)).toContain('答复已提交');

    // the raiser reads the answer and reopens it with a reason
    await page.goto(`${portal.base}/console/objections?side=raised`);
    expect(await card().innerText()).toContain('已驳回');
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
    // a developer applies for 公安局's 有条件开放 data, and calls it without the key it yields
    const openCode = await publishEntry(
      entry(OPEN, {
        sharingType: 'unconditional',
        openType: 'conditional',
        openConditions: '须说明用途',
        items: [{ name: 'site_id', label: '站点编号', dataType: 'string', isKey: true }],
      }),
    );
    const developer = await h.token('developer');
    const applied = await exchange('POST', '/v1/open-applications', {
      token: developer,
      body: {
        resourceCode: openCode,
        purpose: '开发充电桩找桩小程序',
        purposeCode: 'PUBLIC_WELFARE',
        realName: '陈开发',
        organisation: '杭州某科技有限公司',
        contact: 'dev@example.cn',
        intendedUse: '在小程序地图上展示附近充电站',
        actions: ['read'],
      },
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    expect(
      (await exchange('GET', `/v1/open/resources/${openCode}/records`, { token: developer }))
        .status,
    ).toBe(403);
    // 公安局's approver suspends 人社局's grant, with a reason, and resumes it
    const approver = await h.token('hz-gaj.approver');
    for (const [change, body] of [
      ['suspend', { reason: '核查异常调用' }],
      ['resume', {}],
    ] as const)
      expect(
        (await exchange('POST', `/v1/grants/${grant.id}/${change}`, { token: approver, body }))
          .status,
      ).toBe(200);
    // what the connectors' enforcement records (enforceBatch): a batch 公安局's source connector
    // brought, and its delivery to the grant's subscription stream
    const connectorsLog = new EvidenceLog({ pool: h.db.pool });
    const connectorEntry = {
      actorKind: 'connector',
      resourceCode: conditionalCode,
      recordCount: 3,
      requestHash: 'a'.repeat(64),
      deliveredDigest: 'b'.repeat(64),
    };
    await connectorsLog.append({
      ...connectorEntry,
      actor: 'connector:gaj-residents-in',
      department: 'hz-gaj',
      operation: 'ingest',
      details: { schemaVersion: 1, rejected: 0, connectors: { 'gaj-residents-in': 3 } },
    });
    await connectorsLog.append({
      ...connectorEntry,
      actor: 'connector-enforcement',
      department: 'hz-rsj',
      grantId: grant.id,
      purpose: 'SOCIAL_SECURITY',
      operation: 'subscription-delivery',
      details: {},
    });
    await connectorsLog.close();

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
    // each row's cells by column: 时间, 操作, 操作方, 资源, 用途, 记录数, 结果
    const cells = await rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
    );
    const RESOURCE = 3;
    const PURPOSE = 4;
    const named = (name: string, code: string) => `${name} ${code}`;
    // the actor by kind and account, the acting department by its name beside it
    const byRsj = texts.filter((r) => r.includes('系统 hz-rsj-system'));
    // the acting department by its name
    expect(byRsj.length).toBeGreaterThan(0);
    expect(byRsj.every((r) => r.includes('市人力社保局'))).toBe(true);
    // the purpose by its name, never its code
    expect(
      cells.some(
        (c) =>
          c[2]!.includes('系统 hz-rsj-system') &&
          c[1] === '查询' &&
          c[RESOURCE] === named(CONDITIONAL, conditionalCode) &&
          c[PURPOSE] === '社会保障',
      ),
      texts.join('\n'),
    ).toBe(true);
    expect(texts.some((r) => r.includes('SOCIAL_SECURITY'))).toBe(false);
    expect(
      // a refused call names the grant, not the resource: named all the same, from the grant
      cells.some(
        (c) =>
          c[2]!.includes('系统 hz-rsj-system') &&
          c[1] === '拒绝' &&
          c[RESOURCE] === named(CONDITIONAL, conditionalCode) &&
          c[PURPOSE] === '信用监管',
      ),
      texts.join('\n'),
    ).toBe(true);
    // the developer's open application (开放申请, not a department's 共享申请) and refused
    // open-data call: the resource by its name
    const byDeveloper = cells.filter((c) => c[2]!.startsWith('开发者'));
    expect(
      byDeveloper.some(
        (c) =>
          c[1] === '开放申请' && c[RESOURCE] === named(OPEN, openCode) && c[PURPOSE] === '公益服务',
      ),
      texts.join('\n'),
    ).toBe(true);
    expect(
      byDeveloper.some(
        (c) => c[1] === '拒绝' && c[RESOURCE] === named(OPEN, openCode) && c[PURPOSE] === '—',
      ),
      texts.join('\n'),
    ).toBe(true);
    // every row on 公安局's data names one of 公安局's resources, by name beside its code
    expect(
      cells.filter((c) => !/^\S.* [1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}$/.test(c[RESOURCE]!)),
      texts.join('\n'),
    ).toEqual([]);
    // and says why it was refused
    expect(
      texts.some((r) => r.includes('用途 CREDIT 不在授权范围内')),
      texts.join('\n'),
    ).toBe(true);
    expect(texts.some((r) => r.includes('system:'))).toBe(false);
    // a connector by its name; a delivery by the exchange, which names no connector
    expect(
      cells.some(
        (c) =>
          c[1] === '数据写入' &&
          c[2] === '连接器 gaj-residents-in 市公安局' &&
          c[RESOURCE] === named(CONDITIONAL, conditionalCode),
      ),
      texts.join('\n'),
    ).toBe(true);
    expect(
      cells.some(
        (c) =>
          c[1] === '订阅交付' &&
          c[2] === '交换平台（按授权交付） 市人力社保局' &&
          c[PURPOSE] === '社会保障',
      ),
      texts.join('\n'),
    ).toBe(true);
    expect(texts.some((r) => r.includes('connector'))).toBe(false);
    // each 授权变更 says which: the approval, the automatic grant of an unconditional resource,
    // the suspension with its reason, the resumption
    const changes = cells.filter((c) => c[1]!.startsWith('授权变更')).map((c) => c[1]);
    expect(changes).toEqual(
      expect.arrayContaining([
        '授权变更：批准',
        '授权变更：自动批准（无条件共享）',
        '授权变更：暂停 理由：核查异常调用',
        '授权变更：恢复',
      ]),
    );
    expect(
      changes.filter((c) => c === '授权变更'),
      texts.join('\n'),
    ).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'console-evidence-provided');
    // only the refusals
    await page.getByLabel('操作类型').selectOption('refusal');
    await page.getByRole('button', { name: '筛选' }).click();
    await arrive(page, portal, `${portal.base}/console/evidence?side=provided&operation=refusal`);
    const refusals = await table.locator('tbody tr').allInnerTexts();
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((r) => r.includes('拒绝'))).toBe(true);
    // in English the purposes read in English (the sharing and the open-data ones), no Chinese
    await context.addCookies([{ name: 'gx_lang', value: 'en', url: portal.base }]);
    await page.goto(`${portal.base}/console/evidence`);
    const purposesEn = await page
      .locator('table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[4]?.textContent?.trim()));
    expect(purposesEn).toContain('Social security');
    expect(purposesEn).toContain('Credit supervision');
    expect(purposesEn).toContain('Public-interest service');
    expect(purposesEn.filter((p) => /[\u4e00-\u9fff]/.test(p ?? ''))).toEqual([]);
    await context.close();

    // 人社局's steward: what 人社局 did (its system's calls, its requests), none of 公安局's own acts
    const rsj = await signInToConsole(browser, h, portal, 'hz-rsj.steward');
    await rsj.page.goto(`${portal.base}/console/evidence?side=acted`);
    const acted = await rsj.page
      .getByRole('table', { name: '交换记录：本部门的操作' })
      .locator('tbody tr')
      .allInnerTexts();
    expect(
      acted.some(
        (r) =>
          r.includes('系统 hz-rsj-system') &&
          r.includes('查询') &&
          r.includes(named(CONDITIONAL, conditionalCode)) &&
          r.includes('社会保障'),
      ),
      acted.join('\n'),
    ).toBe(true);
    expect(acted.some((r) => r.includes('共享申请'))).toBe(true);
    // every row acted for 人社局: its people and systems, and the deliveries to its grant
    expect(
      acted.every((r) => r.includes('市人力社保局')),
      acted.join('\n'),
    ).toBe(true);
    expect(await seriousViolations(rsj.page)).toEqual([]);
    await rsj.context.close();

    // the auditor: every department's records first, then any one department's, from the data
    // authority's group of links — never worded as 本部门, which is not the auditor's
    const auditor = await signInToConsole(browser, h, portal, 'auditor');
    // the start page speaks to the auditor's work, not to managing a directory
    await auditor.page.goto(`${portal.base}/console`);
    expect(await auditor.page.locator('.lead').innerText()).not.toContain('管理本部门');
    expect(await auditor.page.getByRole('heading', { name: '审计' }).count()).toBe(1);
    await auditor.page
      .getByRole('navigation', { name: '工作台导航' })
      .getByRole('link', { name: '交换记录' })
      .click();
    await arrive(auditor.page, portal, `${portal.base}/console/evidence`);
    const departmentChoice = auditor.page.getByRole('combobox', { name: /^部门/ });
    expect(await departmentChoice.locator('option:checked').innerText()).toBe('全部部门');
    const everything = await auditor.page
      .getByRole('table', { name: '交换记录：全部部门' })
      .locator('tbody tr')
      .allInnerTexts();
    // 公安局's data used by 人社局's system, and 人社局's own requests: both departments' sides
    expect(
      everything.some((r) => r.includes('系统 hz-rsj-system') && r.includes('查询')),
      everything.join('\n'),
    ).toBe(true);
    expect(everything.some((r) => r.includes('共享申请'))).toBe(true);
    expect(await auditor.page.locator('main').innerText()).not.toContain('本部门');
    await departmentChoice.selectOption({ label: '杭州市公安局' });
    await auditor.page.getByRole('button', { name: '筛选' }).click();
    // the whole log has no sides: the department's page opens on the use of its data
    await arrive(auditor.page, portal, `${portal.base}/console/evidence?department=hz-gaj&**`);
    const audited = await auditor.page
      .getByRole('table', { name: '交换记录：该部门数据的使用' })
      .locator('tbody tr')
      .allInnerTexts();
    expect(audited.some((r) => r.includes('系统 hz-rsj-system') && r.includes('查询'))).toBe(true);
    expect(await auditor.page.locator('main').innerText()).not.toContain('本部门');
    // the tabs keep the department chosen
    await auditor.page.getByRole('link', { name: '该部门的操作' }).click();
    await arrive(
      auditor.page,
      portal,
      `${portal.base}/console/evidence?department=hz-gaj&side=acted`,
    );
    expect(await departmentChoice.locator('option:checked').innerText()).toBe('杭州市公安局');
    // and 全部部门 goes back to the whole log
    await departmentChoice.selectOption({ label: '全部部门' });
    await auditor.page.getByRole('button', { name: '筛选' }).click();
    await arrive(auditor.page, portal, /\/console\/evidence\?(?:.*&)?department=(?:&|$)/);
    expect(
      await auditor.page
        .getByRole('table', { name: '交换记录：全部部门' })
        .locator('tbody tr')
        .count(),
    ).toBeGreaterThan(0);
    expect(await seriousViolations(auditor.page)).toEqual([]);
    await auditor.context.close();
  });
});

describe('the data authority console', JOURNEY, () => {
  /** the Asia/Shanghai calendar day of an instant, as YYYY-MM-DD */
  const shanghaiDay = (at: Date) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);

  /**
   * The dashboard's directory and request figures, counted here from the tables: resources by
   * status, shareable and openable among published ones, overdue by the update-cycle ages the
   * directory promises (实时 1 天, 每日 2 天, 每周 8 天, 每月 32 天, 每季度 95 天, 每年 370 天)
   * from the day after the due date (Asia/Shanghai),
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
            count(*) FILTER (WHERE r.status = 'published' AND ((coalesce(r.data_updated_at, r.published_at)
              + CASE r.update_cycle::text WHEN 'realtime' THEN interval '1 day'
                  WHEN 'daily' THEN interval '2 days' WHEN 'weekly' THEN interval '8 days'
                  WHEN 'monthly' THEN interval '32 days' WHEN 'quarterly' THEN interval '95 days'
                  WHEN 'yearly' THEN interval '370 days' END) AT TIME ZONE 'Asia/Shanghai')::date
              < (now() AT TIME ZONE 'Asia/Shanghai')::date)::int AS overdue
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

  /**
   * 职责与资源缺口 as the database has it: statutory functions that no entry other than a retired
   * one cites (as department/code), and published entries citing no function (by code).
   */
  async function gapsFromDatabase(department: string | null) {
    const functions = await h.db.pool.query<{ key: string }>(
      `SELECT d.code || '/' || f.code AS key FROM statutory_functions f
         JOIN departments d ON d.id = f.department_id
        WHERE ($1::text IS NULL OR d.code = $1)
          AND NOT EXISTS (SELECT 1 FROM resources r
                           WHERE r.function_id = f.id AND r.status <> 'retired')`,
      [department],
    );
    const resources = await h.db.pool.query<{ code: string }>(
      `SELECT r.code FROM resources r JOIN departments d ON d.id = r.provider_id
        WHERE r.status = 'published' AND r.function_id IS NULL
          AND ($1::text IS NULL OR d.code = $1)`,
      [department],
    );
    return {
      functions: functions.rows.map((r) => r.key).sort(),
      resources: resources.rows.map((r) => r.code).sort(),
    };
  }

  /** the keys of a table's rows (`data-<attribute>`), sorted */
  async function rowKeys(page: Page, table: string, attribute: string): Promise<string[]> {
    const keys = await page
      .locator(`[data-table="${table}"] tbody tr`)
      .evaluateAll((rows, a) => rows.map((r) => r.getAttribute(`data-${a}`) ?? ''), attribute);
    return keys.sort();
  }

  /** a figure card's number as the page shows it (digits only: 1,234 → 1234) */
  async function figure(page: Page, key: string): Promise<number> {
    const text = await page.locator(`[data-figure="${key}"] dd`).first().innerText();
    return Number(text.replace(/[^0-9]/g, ''));
  }

  /** 公安局's gaps, made here beside the demo directory's: a function nothing cites, an entry citing none */
  let gapFunction: string;
  let gapResource: { code: string; name: string };

  beforeAll(async () => {
    const steward = await h.token('hz-gaj.steward');
    const fn = await catalog('POST', '/v1/departments/hz-gaj/functions', {
      token: steward,
      body: { code: 'GAP-01', name: '负责道路交通安全宣传教育' },
    });
    expect(fn.status, JSON.stringify(fn.body)).toBe(201);
    gapFunction = 'hz-gaj/GAP-01';
    const name = '交通安全宣传活动记录';
    gapResource = {
      code: await publishEntry(
        gajEntry(name, '各类交通安全宣传活动的时间、地点和参与人数', {
          name: 'activity_id',
          label: '活动编号',
        }),
      ),
      name,
    };
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
    // 职责与资源缺口: the catalog's gaps report of the city, row for row as the database has it
    const gaps = await gapsFromDatabase(null);
    expect(gaps.functions).toContain(gapFunction);
    expect(gaps.resources).toContain(gapResource.code);
    const gapSection = page.getByRole('region', { name: '职责与资源缺口' });
    expect(
      await gapSection
        .getByRole('heading', { name: `尚无资源的职责（${gaps.functions.length} 项）` })
        .count(),
    ).toBe(1);
    expect(
      await gapSection
        .getByRole('heading', {
          name: `未写明所依据职责的已发布资源（${gaps.resources.length} 个）`,
        })
        .count(),
    ).toBe(1);
    expect(await rowKeys(page, 'gap-functions', 'function')).toEqual(gaps.functions);
    expect(await rowKeys(page, 'gap-resources', 'resource')).toEqual(gaps.resources);
    const functionRow = page.locator(`tr[data-function="${gapFunction}"]`);
    expect(await functionRow.innerText()).toMatch(
      /^负责道路交通安全宣传教育\s+GAP-01\s+杭州市公安局$/,
    );
    // the department leads to its own dashboard; the entry is its steward's to revise, not the admin's
    expect(await functionRow.getByRole('link', { name: '杭州市公安局' }).getAttribute('href')).toBe(
      '/console/dashboard?department=hz-gaj',
    );
    const resourceRow = page.locator(
      `[data-table="gap-resources"] tr[data-resource="${gapResource.code}"]`,
    );
    expect(await resourceRow.innerText()).toContain(gapResource.name);
    expect(await resourceRow.getByRole('link', { name: gapResource.name }).count()).toBe(0);
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
    // named in the page's words: 数据看板-全市-<day>.csv
    expect(decodeURIComponent(csv.headers()['content-disposition']!)).toMatch(
      /filename\*=UTF-8''数据看板-全市-\d{4}-\d{2}-\d{2}\.csv$/,
    );
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
    expect(lines).toContain(`职责与资源缺口,尚无资源的职责,,全市,${gaps.functions.length}`);
    expect(lines).toContain(`职责与资源缺口,未写明职责的已发布资源,,全市,${gaps.resources.length}`);
    expect(lines).toContain(`数据交换量,${db.today} 交付记录数,,全市,${db.volumeToday}`);
    expect(lines).toContain(`目录资源,已发布,hz-gaj,杭州市公安局,${gaj.published}`);
    // a department that does not exist gets no file named after the city, but the page's refusal
    const unknown = await page.request.get(
      `${portal.base}/console/dashboard/export?department=nope`,
    );
    expect(unknown.headers()['content-type']).toContain('text/html');
    expect(unknown.url()).toBe(`${portal.base}/console/dashboard?department=nope`);

    // one department through the scope form: the figures become that department's
    await page.getByLabel('查看范围').selectOption('hz-gaj');
    await page.getByRole('button', { name: '查看' }).click();
    await page.waitForURL(/department=hz-gaj/);
    expect(await figure(page, 'published')).toBe(gaj.published);
    expect(await figure(page, 'pending')).toBe(gaj.pending);
    expect(await figure(page, 'volume-today')).toBe(gaj.volumeToday);
    // the gaps narrow with it
    const gajGaps = await gapsFromDatabase('hz-gaj');
    expect(await rowKeys(page, 'gap-functions', 'function')).toEqual(gajGaps.functions);
    expect(await rowKeys(page, 'gap-resources', 'resource')).toEqual(gajGaps.resources);
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
    // the gaps of 公安局 only (the catalog's report scope), each entry a link to revise it
    const gaps = await gapsFromDatabase('hz-gaj');
    expect(await rowKeys(page, 'gap-functions', 'function')).toEqual(gaps.functions);
    expect(await rowKeys(page, 'gap-resources', 'resource')).toEqual(gaps.resources);
    expect(gaps.resources).toContain(gapResource.code);
    const entry = page
      .locator(`[data-table="gap-resources"] tr[data-resource="${gapResource.code}"]`)
      .getByRole('link', { name: gapResource.name });
    expect(await entry.getAttribute('href')).toBe(`/console/resources/${gapResource.code}`);
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
    // no file at all: the export sends them to the page that says why
    expect(csv.url()).toBe(`${portal.base}/console/dashboard?department=hz-rsj`);
    expect(csv.headers()['content-type']).toContain('text/html');

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
