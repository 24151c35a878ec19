import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { expectResponseMatchesSpec } from '@gx/platform/testing';
import { importWorkbook } from '../src/domain/excel/importWorkbook.ts';
import {
  ITEM_COLUMNS,
  RESOURCE_COLUMNS,
  columnLetter,
} from '../src/domain/excel/workbookLayout.ts';
import { createResource } from '../src/domain/resources/createResource.ts';
import {
  APPROVER,
  EXCEL_SPEC,
  directoryCounts,
  fillTemplate,
  openDirectory,
  startExcelServer,
  steward,
  uploadInit,
  validItem,
  validRows,
  type Directory,
  type ExcelServer,
} from './fixtures/excelFixtures.ts';

const GAJ = steward('hz-gaj');

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: {
    path: string;
    sheet: string;
    row: number | null;
    column: string | null;
    header: string | null;
    message: string;
  }[];
}

/** Column letter of a header in the template (the layout writes columns in table order). */
const resourceCol = (header: string) =>
  columnLetter(RESOURCE_COLUMNS.findIndex((c) => c.header === header) + 1);
const itemCol = (header: string) =>
  columnLetter(ITEM_COLUMNS.findIndex((c) => c.header === header) + 1);

describe('Excel import refuses a wrong file with every problem at its cell, importing nothing', () => {
  let dir: Directory;
  let server: ExcelServer;
  let template: Buffer;
  let publishedCode: string;
  let draftCode: string;
  let inReviewCode: string;

  beforeAll(async () => {
    dir = await openDirectory();
    server = await startExcelServer(dir.prisma);
    server.actors.set('gaj', GAJ);
    server.actors.set('approver', APPROVER);
    template = Buffer.from(
      await (await fetch(`${server.base}/v1/excel/template`, server.as('gaj'))).arrayBuffer(),
    );
    const input = {
      name: '已有草稿',
      abstract: '导入前已经存在的草稿',
      themeCode: 'population',
      format: 'database',
      sharingType: 'unconditional',
      sharingMethods: ['api'],
      openType: 'none',
      updateCycle: 'daily',
      items: [{ name: 'id', label: '编号', dataType: 'string' }],
    };
    draftCode = (await createResource({ prisma: dir.prisma, actor: GAJ, input })).code;
    publishedCode = (await createResource({ prisma: dir.prisma, actor: GAJ, input })).code;
    await dir.prisma.resource.update({
      where: { code: publishedCode },
      data: { status: 'published' },
    });
    inReviewCode = (await createResource({ prisma: dir.prisma, actor: GAJ, input })).code;
    await dir.prisma.resource.update({
      where: { code: inReviewCode },
      data: { status: 'in_review' },
    });
  });

  afterAll(async () => {
    await server?.close();
    await dir?.close();
  });

  async function upload(file: Buffer, actor = 'gaj', query = '') {
    return fetch(`${server.base}/v1/excel/import${query}`, server.as(actor, uploadInit(file)));
  }

  it('reports wrong-typed, unknown, missing and rule-breaking cells with sheet, row and column', async () => {
    const file = await fillTemplate(
      template,
      [
        validRows(1),
        validRows(2, { 共享类型: '部分共享' }),
        validRows(3, { 信息资源名称: null }),
        validRows(4, { 共享类型: '不予共享', 共享方式: null }),
        validRows(5, { 提供方部门: 'hz-scjg' }),
        validRows(6, { 发布日期: '2024-02-30', 联系邮箱: 'not-an-email' }),
      ],
      [
        validItem(1),
        validItem(1, { 字段名: 'size', 最大长度: 'abc', 主键: null }),
        validItem(1, { 字段名: 'kind', 数据类型: '文本', 主键: null }),
        validItem(99, { 字段名: 'orphan' }),
        validItem(2),
        validItem(3),
        validItem(4),
        validItem(5),
        validItem(6, { 字段名: 'Bad-Name' }),
      ],
    );
    const before = await directoryCounts(dir.prisma);
    const res = await upload(file);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await expectResponseMatchesSpec(
      EXCEL_SPEC,
      'POST',
      '/v1/excel/import',
      res,
    )) as Problem;
    expect(problem.type).toBe('/problems/input');
    expect(problem.detail).toContain('未导入任何内容');
    const at = (path: string) => problem.errors!.find((e) => e.path === path);

    const sharing = at(`信息资源!${resourceCol('共享类型')}3`);
    expect(sharing).toMatchObject({ sheet: '信息资源', row: 3, header: '共享类型' });
    expect(sharing!.message).toContain('「部分共享」不是有效的共享类型');
    expect(sharing!.message).toContain('无条件共享、有条件共享、不予共享');

    expect(at(`信息资源!${resourceCol('信息资源名称')}4`)?.message).toBe('必填，不能为空');
    expect(at(`信息资源!${resourceCol('不予共享依据')}5`)?.message).toBe(
      '不予共享的资源必须注明法律、行政法规或政策依据',
    );
    expect(at(`信息资源!${resourceCol('提供方部门')}6`)?.message).toContain(
      '只能导入本部门（杭州市公安局）的信息资源',
    );
    expect(at(`信息资源!${resourceCol('发布日期')}7`)?.message).toContain('应为日期');
    expect(at(`信息资源!${resourceCol('联系邮箱')}7`)?.message).toBe('不是有效的电子邮箱地址');

    const maxLength = at(`信息项!${itemCol('最大长度')}3`);
    expect(maxLength).toMatchObject({
      sheet: '信息项',
      row: 3,
      column: itemCol('最大长度'),
      header: '最大长度',
      message: '应为整数，实际是「abc」',
    });
    expect(at(`信息项!${itemCol('数据类型')}4`)?.message).toContain('「文本」不是有效的数据类型');
    expect(at(`信息项!${itemCol('资源序号')}5`)?.message).toBe(
      '「信息资源」表中没有资源序号为「99」的行',
    );
    expect(at(`信息项!${itemCol('字段名')}10`)?.message).toContain('格式不正确');
    expect(problem.errors).toHaveLength(10);

    expect(await directoryCounts(dir.prisma)).toEqual(before);
  });

  it('reports rule problems of rows that also have wrong cells, in the same upload', async () => {
    const file = await fillTemplate(
      template,
      [
        // a wrong cell, and a rule broken by cells that are fine
        validRows(1, { 共享类型: '有条件共享', 共享条件: null, 发布日期: '2024-02-30' }),
        validRows(2),
        // a rule problem only, beside rows that have wrong cells
        validRows(3, { 开放属性: '有条件开放' }),
      ],
      [
        validItem(1),
        validItem(2, { 字段名: 'a_no', 主键: null }),
        validItem(2, { 字段名: 'kind', 数据类型: '文本', 主键: null }),
        validItem(2, { 字段名: 'a_no', 主键: null }),
        validItem(3),
      ],
    );
    const before = await directoryCounts(dir.prisma);
    const res = await upload(file);
    expect(res.status).toBe(400);
    const problem = (await res.json()) as Problem;
    expect(problem.errors!.map((e) => [e.path, e.message])).toEqual([
      [`信息资源!${resourceCol('共享条件')}2`, '有条件共享的资源必须说明共享条件'],
      [`信息资源!${resourceCol('发布日期')}2`, expect.stringContaining('应为日期')],
      [`信息资源!${resourceCol('开放条件')}4`, '有条件开放的资源必须说明开放条件'],
      [`信息项!${itemCol('数据类型')}4`, expect.stringContaining('「文本」不是有效的数据类型')],
      // the item is named by the row the steward sees, as other problems name cells
      [`信息项!${itemCol('字段名')}5`, '字段名 a_no 与第 3 行重复'],
    ]);
    expect(await directoryCounts(dir.prisma)).toEqual(before);
  });

  it('refuses rows naming another department’s, a published or an unknown resource', async () => {
    const file = await fillTemplate(
      template,
      [
        { ...validRows(1), 资源代码: publishedCode },
        { ...validRows(2), 资源代码: '101001001-ZZZZZZZZZ-000001' },
        { ...validRows(3), 资源代码: draftCode },
      ],
      [
        validItem(1),
        validItem(2),
        validItem(3),
        { ...validItem('', { 字段名: 'second' }), 资源代码: publishedCode },
      ],
    );
    const before = await directoryCounts(dir.prisma);
    const res = await upload(file);
    const problem = (await res.json()) as Problem;
    expect(res.status).toBe(400);
    const codeColumn = resourceCol('资源代码');
    expect(problem.errors).toEqual([
      expect.objectContaining({
        path: `信息资源!${codeColumn}2`,
        message: expect.stringContaining(
          '当前状态为「已发布」，此行与目录中的内容不同，不能通过导入修改',
        ),
      }),
      expect.objectContaining({
        path: `信息资源!${codeColumn}3`,
        message: expect.stringContaining('本部门没有资源代码为 101001001-ZZZZZZZZZ-000001'),
      }),
    ]);
    expect(await directoryCounts(dir.prisma)).toEqual(before);
  });

  it('refuses a new row named like an entry of the department, or like another new row', async () => {
    // the same file imported twice would catalogue its resources twice
    const file = await fillTemplate(
      template,
      [
        validRows(1, { 信息资源名称: '已有草稿' }),
        validRows(2, { 信息资源名称: '新编目的资源' }),
        validRows(3, { 信息资源名称: '新编目的资源' }),
      ],
      [validItem(1), validItem(2), validItem(3)],
    );
    const before = await directoryCounts(dir.prisma);
    const res = await upload(file);
    const problem = (await res.json()) as Problem;
    expect(res.status).toBe(400);
    const nameColumn = resourceCol('信息资源名称');
    const first = [draftCode, publishedCode, inReviewCode].sort()[0]!;
    expect(problem.errors).toEqual([
      expect.objectContaining({
        path: `信息资源!${nameColumn}2`,
        message: expect.stringContaining(
          `本部门已有同名信息资源 ${first}（草稿）；要修改它，请在此行填写资源代码 ${first}`,
        ),
      }),
      expect.objectContaining({
        path: `信息资源!${nameColumn}4`,
        message: '与第 3 行的新资源同名；同一资源只需一行，确属不同资源请换一个名称',
      }),
    ]);
    expect(await directoryCounts(dir.prisma)).toEqual(before);
  });

  it('names a resource under review 审核中, as the console does', async () => {
    const file = await fillTemplate(
      template,
      [{ ...validRows(1), 资源代码: inReviewCode }],
      [validItem(1)],
    );
    const res = await upload(file);
    const problem = (await res.json()) as Problem;
    expect(res.status).toBe(400);
    expect(problem.errors).toEqual([
      expect.objectContaining({
        path: `信息资源!${resourceCol('资源代码')}2`,
        message: expect.stringContaining('当前状态为「审核中」，此行与目录中的内容不同'),
      }),
    ]);
  });

  it('reports missing and unknown columns and missing sheets', async () => {
    const renamed = await fillTemplate(template, [validRows(1)], [validItem(1)]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(renamed as unknown as ArrayBuffer);
    workbook.getWorksheet('信息资源')!.getRow(1).getCell(3).value = '资源名字';
    workbook.removeWorksheet(workbook.getWorksheet('信息项')!.id);
    const res = await upload(Buffer.from(await workbook.xlsx.writeBuffer()));
    const problem = (await res.json()) as Problem;
    expect(res.status).toBe(400);
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: '信息项', message: expect.stringContaining('缺少工作表') }),
    ]);

    const workbook2 = new ExcelJS.Workbook();
    await workbook2.xlsx.load(renamed as unknown as ArrayBuffer);
    workbook2.getWorksheet('信息资源')!.getRow(1).getCell(3).value = '资源名字';
    const res2 = await upload(Buffer.from(await workbook2.xlsx.writeBuffer()));
    const problem2 = (await res2.json()) as Problem;
    expect(problem2.errors).toEqual([
      expect.objectContaining({
        path: '信息资源!第1行',
        row: 1,
        column: null,
        header: '信息资源名称',
        message: expect.stringContaining('缺少列「信息资源名称」'),
      }),
      expect.objectContaining({
        path: '信息资源!C1',
        message: expect.stringContaining('不认识的列标题「资源名字」'),
      }),
    ]);
  });

  it('accepts dates typed as text or as date cells, and a dry run writes nothing', async () => {
    const file = await fillTemplate(
      template,
      [
        validRows(1, { 发布日期: '2024/3/5' }),
        validRows(2, { 发布日期: new Date(Date.UTC(2024, 2, 6)) }),
      ],
      [validItem(1), validItem(2)],
    );
    const before = await directoryCounts(dir.prisma);
    const dry = await upload(file, 'gaj', '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({ dryRun: true, created: 2, updated: 0, items: 2 });
    expect(await directoryCounts(dir.prisma)).toEqual(before);

    const res = await upload(file);
    const body = (await res.json()) as { resources: { code: string }[] };
    expect(res.status).toBe(200);
    const created = await dir.prisma.resource.findMany({
      where: { code: { in: body.resources.map((r) => r.code) } },
      orderBy: { code: 'asc' },
    });
    expect(created.map((r) => r.publishDate?.toISOString().slice(0, 10))).toEqual([
      '2024-03-05',
      '2024-03-06',
    ]);
  });

  it('answers bodies that are not workbooks with 400/415 problem+json, never 5xx', async () => {
    const cases: [string, Buffer, string][] = [
      ['text', Buffer.from('信息资源名称,共享类型\n人口,无条件共享\n'), 'xlsx'],
      ['empty', Buffer.alloc(0), 'xlsx'],
      ['zip without a workbook', zipWithOneFile(), 'xlsx'],
      ['truncated workbook', template.subarray(0, Math.floor(template.length / 2)), 'xlsx'],
      ['legacy .xls (OLE)', Buffer.from('d0cf11e0a1b11ae1000000000000000000', 'hex'), 'octet'],
    ];
    for (const [name, body, type] of cases) {
      const res = await fetch(
        `${server.base}/v1/excel/import`,
        server.as(
          'gaj',
          uploadInit(
            body,
            type === 'xlsx'
              ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
              : 'application/octet-stream',
          ),
        ),
      );
      const problem = (await res.json()) as Problem;
      expect(res.status, name).toBe(400);
      expect(problem.type, name).toBe('/problems/input');
      expect(problem.detail, name).toMatch(/工作簿|文件为空/);
      expect(JSON.stringify(problem), name).not.toMatch(/\/tmp|at .*\.js/);
    }
    const csv = await fetch(
      `${server.base}/v1/excel/import`,
      server.as('gaj', uploadInit(Buffer.from('a,b'), 'text/csv')),
    );
    expect(csv.status).toBe(415);
    expect(csv.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a zip bomb before expanding it', async () => {
    const { deflateRawSync } = await import('node:zlib');
    const huge = deflateRawSync(Buffer.alloc(300 * 1024 * 1024));
    const res = await upload(zipWithOneFile('xl/workbook.xml', huge, 8));
    const problem = (await res.json()) as Problem;
    expect(res.status).toBe(400);
    expect(problem.detail).toContain('解压后过大');
  });

  it('answers a body over 20 MB with 413', async () => {
    const res = await upload(Buffer.alloc(21 * 1024 * 1024, 1));
    expect(res.status).toBe(413);
    const problem = (await expectResponseMatchesSpec(
      EXCEL_SPEC,
      'POST',
      '/v1/excel/import',
      res,
    )) as Problem;
    expect(problem.type).toBe('/problems/payload-too-large');
  });

  it('only a steward may import: anonymous 401, an approver 403', async () => {
    const file = await fillTemplate(template, [validRows(1)], [validItem(1)]);
    expect((await upload(file, '')).status).toBe(401);
    const res = await upload(file, 'approver');
    expect(res.status).toBe(403);
    expect(((await res.json()) as Problem).type).toBe('/problems/not-allowed');
  });

  it('a failure while writing rolls back every row already written', async () => {
    const file = await fillTemplate(
      template,
      [
        { ...validRows(1, { 信息资源名称: '改过的草稿' }), 资源代码: draftCode },
        validRows(2, { 信息资源名称: '写入后回滚的资源' }),
        validRows(3, { 信息资源名称: '写入时失败的资源' }),
      ],
      [validItem(1), validItem(2), validItem(3)],
    );
    // a database-level failure on the third row, after two rows were written in the transaction
    await dir.prisma.$executeRawUnsafe(`
      CREATE FUNCTION fail_excel_test() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'simulated database failure'; END $$`);
    await dir.prisma.$executeRawUnsafe(`
      CREATE TRIGGER fail_excel_test BEFORE INSERT ON resources FOR EACH ROW
      WHEN (NEW.name = '写入时失败的资源') EXECUTE FUNCTION fail_excel_test()`);
    try {
      const before = await directoryCounts(dir.prisma);
      const draftBefore = await dir.prisma.resource.findUniqueOrThrow({
        where: { code: draftCode },
      });
      const progress: number[] = [];
      await expect(
        importWorkbook({
          prisma: dir.prisma,
          actor: GAJ,
          file,
          onProgress: (p) => {
            if (p.phase === 'writing') progress.push(p.processedRows);
          },
        }),
      ).rejects.toThrow(/simulated database failure/);
      // two resources (and their items) had been written when the third failed
      expect(progress).toEqual([0, 2, 4]);
      expect(await directoryCounts(dir.prisma)).toEqual(before);
      expect(await dir.prisma.resource.findUniqueOrThrow({ where: { code: draftCode } })).toEqual(
        draftBefore,
      );
    } finally {
      await dir.prisma.$executeRawUnsafe('DROP TRIGGER fail_excel_test ON resources');
      await dir.prisma.$executeRawUnsafe('DROP FUNCTION fail_excel_test()');
    }
  });
});

/** A minimal ZIP archive holding one file (stored, or with pre-compressed deflate data). */
function zipWithOneFile(name = 'hello.txt', data = Buffer.from('hello'), method = 0): Buffer {
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(method === 0 ? data.length : 1000, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(method, 10);
  central.writeUInt32LE(data.length, 20);
  // a bomb lies about its size
  central.writeUInt32LE(method === 0 ? data.length : 1000, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(0, 42);
  const directoryOffset = local.length + nameBytes.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(directoryOffset, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
}
