// What the steward console needs of the catalog beyond what it had: an import job's problems
// say what each wrong cell held (`value`), so the console can show 单元格值 against the sheet.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startHarness, type Harness } from './harness.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  token = await h.token('hz-gaj.steward');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

function setCell(sheet: ExcelJS.Worksheet, row: number, header: string, value: ExcelJS.CellValue) {
  let column = 0;
  sheet.getRow(1).eachCell((cell, col) => {
    if (String(cell.value).replace('*', '').trim() === header) column = col;
  });
  if (!column) throw new Error(`no column ${header} in ${sheet.name}`);
  sheet.getRow(row).getCell(column).value = value;
}

async function template(): Promise<ArrayBuffer> {
  const res = await fetch(`${h.catalog.base}/v1/excel/template`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return res.arrayBuffer();
}

async function runJob(file: Buffer) {
  const res = await fetch(`${h.catalog.base}/v1/excel/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': XLSX },
    body: file,
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    const job = await call(h.catalog.base, 'GET', `/v1/excel/imports/${id}`, { token });
    expect(job.status).toBe(200);
    if (job.body.status === 'succeeded' || job.body.status === 'failed') return job.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('import job problems carry the cell value', () => {
  it('names what a wrong cell held, null for an empty required cell, and imports nothing', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await template());
    const resources = workbook.getWorksheet('信息资源')!;
    const items = workbook.getWorksheet('信息项')!;
    const resource: Record<string, ExcelJS.CellValue> = {
      资源序号: 1,
      信息资源名称: '单元格值测试资源',
      信息资源摘要: '用于检查导入错误中的单元格值',
      主题分类: '人口基础信息库',
      信息资源格式: '数据库',
      共享类型: '无条件共享',
      共享方式: '接口',
      开放属性: '不予开放',
      更新周期: '每日',
    };
    for (const [header, value] of Object.entries(resource)) setCell(resources, 2, header, value);
    const rows: Record<string, ExcelJS.CellValue>[] = [
      {
        资源序号: 1,
        字段名: 'record_id',
        中文名称: '记录编号',
        数据类型: '字符串',
        最大长度: '十八位',
      },
      { 资源序号: 1, 字段名: 'holder', 数据类型: '字符串' },
    ];
    rows.forEach((values, i) => {
      for (const [header, value] of Object.entries(values)) setCell(items, i + 2, header, value);
    });
    const before = await h.db.pool.query('SELECT count(*)::int AS n FROM resources');

    const job = await runJob(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(job.status).toBe('failed');
    const wrong = job.errors.find((e: { header: string }) => e.header === '最大长度');
    expect(wrong).toMatchObject({ sheet: '信息项', row: 2, value: '十八位' });
    const missing = job.errors.find((e: { header: string }) => e.header === '中文名称');
    expect(missing).toMatchObject({ sheet: '信息项', row: 3, value: null });
    const after = await h.db.pool.query('SELECT count(*)::int AS n FROM resources');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
