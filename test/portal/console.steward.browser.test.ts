// The steward console (数据管理员) in real Chromium: 我的资源 with the editor and its live
// validation, the history diff; Excel import of a workbook with one bad cell, the row error shown
// against the sheet, the fixed file imported and the new draft submitted for review (审核中 in the
// database); 数据异议 and 数据需求 answered in the console and visible through the public API;
// 连接器 with status and pause / resume.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Harness } from '../harness.ts';
import { signInToConsole } from './console.ts';
import { startPortalJourney } from './journey.ts';
import { seriousViolations, shoot } from './pageChecks.ts';
import type { RunningPortal } from './portalServer.ts';

const JOURNEY = { timeout: 180_000 };
const SESSION_SECRET = 'console-steward-test-secret-0123456789ab';
process.env.PORTAL_SESSION_SECRET = SESSION_SECRET;
const STEWARD = 'hz-gaj.steward';

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
function setCell(sheet: ExcelJS.Worksheet, row: number, header: string, value: ExcelJS.CellValue) {
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

describe('the steward console', JOURNEY, () => {
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
    await checkPage(page, 'resource');

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
    const { rows } = await h.db.pool.query<{ code: string }>(
      `SELECT r.code FROM resources r JOIN departments d ON d.id = r.provider_id
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
    expect(await card.innerText()).toContain('死信');
    await checkPage(page, 'connectors');
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
});

async function statusByName(name: string): Promise<string | undefined> {
  const { rows } = await h.db.pool.query<{ status: string }>(
    'SELECT status::text AS status FROM resources WHERE name = $1',
    [name],
  );
  return rows[0]?.status;
}
