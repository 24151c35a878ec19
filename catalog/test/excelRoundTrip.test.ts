import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@gx/migrations';
import { expectResponseMatchesSpec } from '@gx/platform/testing';
import { createResource } from '../src/domain/resources/createResource.ts';
import type { ResourceInput } from '../src/domain/resources/resourceInput.ts';
import {
  RESOURCE_INCLUDE,
  resourceView,
  toResourceInput,
} from '../src/domain/resources/resourceView.ts';
import { ITEM_SHEET, RESOURCE_SHEET } from '../src/domain/excel/workbookLayout.ts';
import {
  EXCEL_SPEC,
  editWorkbook,
  openDirectory,
  setByHeader,
  sheetRows,
  startExcelServer,
  steward,
  uploadInit,
  XLSX_MEDIA_TYPE,
  type Directory,
  type ExcelServer,
} from './fixtures/excelFixtures.ts';

const GAJ = steward('hz-gaj');

const baseItems: ResourceInput['items'] = [
  {
    name: 'id_number',
    label: '公民身份号码',
    dataType: 'string',
    maxLength: 18,
    dataGrade: 'core',
    isPersonal: true,
    isRequired: true,
    isKey: true,
    description: '18 位，末位可为 X',
  },
  {
    name: 'full_name',
    label: '姓名',
    dataType: 'string',
    dataGrade: 'important',
    isPersonal: true,
  },
  { name: 'birth_date', label: '出生日期', dataType: 'date', isPersonal: true },
  { name: 'household_size', label: '户内人数', dataType: 'integer', unit: '人' },
  {
    name: 'area',
    label: '住房面积',
    dataType: 'number',
    unit: 'm²',
    description: '第一行\n第二行',
  },
  { name: 'is_resident', label: '是否常住', dataType: 'boolean' },
  { name: 'registered_at', label: '登记时间', dataType: 'datetime' },
];

/** Drafts that together use every enumeration value, nulls, lists and multi-line text. */
function drafts(firstCode: string): ResourceInput[] {
  const formats: ResourceInput['format'][] = [
    'spreadsheet',
    'document',
    'image',
    'geo',
    'stream',
    'api',
    'other',
  ];
  const cycles: ResourceInput['updateCycle'][] = [
    'realtime',
    'monthly',
    'quarterly',
    'irregular',
    'weekly',
    'yearly',
    'daily',
  ];
  return [
    {
      name: '流动人口登记信息',
      abstract: '流动人口居住登记与居住证办理信息。\n按月汇总。',
      themeCode: 'population',
      subClassCode: '002003',
      serviceCategory: '社会治理',
      keywords: ['流动人口', '居住证', '登记'],
      format: 'database',
      sharingType: 'conditional',
      sharingConditions: '仅限用于社会治理和公共服务，需经市公安局审批',
      sharingMethods: ['subscription', 'api'],
      // its 公民身份号码 is 核心数据: never opened (the cataloguing rules)
      openType: 'none',
      updateCycle: 'weekly',
      publishDate: '2024-02-29',
      sourceSystem: '流动人口管理系统',
      relatedResourceCodes: [firstCode],
      functionCode: 'GA-02',
      dataGrade: 'important',
      contactName: '王敏',
      contactPhone: '0571-87280000',
      contactEmail: 'ldrk@gaj.hangzhou.gov.cn',
      items: baseItems.slice(0, 4),
    },
    {
      name: '在逃人员信息',
      abstract: '公安机关追逃工作中的在逃人员信息',
      themeCode: 'public-safety',
      format: 'database',
      sharingType: 'none',
      sharingLegalBasis: '《中华人民共和国刑事诉讼法》及公安机关办理刑事案件程序规定',
      sharingMethods: [],
      openType: 'none',
      updateCycle: 'realtime',
      items: [{ name: 'case_no', label: '案件编号', dataType: 'string', isKey: true }],
    },
    ...formats.map((format, i): ResourceInput => ({
      name: `公安业务统计表 ${i + 1}`,
      abstract: `按${format}格式提供的统计数据`,
      themeCode: i % 2 === 0 ? 'public-safety' : 'credit',
      format,
      sharingType: 'unconditional',
      sharingMethods: [(['api', 'file', 'subscription'] as const)[i % 3]!],
      openType: (['open', 'none', 'conditional'] as const)[i % 3]!,
      openConditions: i % 3 === 2 ? '注册开发者可申请' : null,
      updateCycle: cycles[i]!,
      keywords: i % 2 === 0 ? [`统计${i}`] : [],
      contactPhone: i === 0 ? '13800001111' : null,
      items: [
        { name: 'stat_month', label: '统计月份', dataType: 'date' },
        { name: 'total', label: '数量', dataType: 'integer', unit: '件', maxLength: null },
      ],
    })),
  ];
}

async function viewsOf(prisma: PrismaClient, codes: readonly string[]) {
  const rows = await prisma.resource.findMany({
    where: { code: { in: [...codes] } },
    include: RESOURCE_INCLUDE,
    orderBy: { code: 'asc' },
  });
  return rows.map((row) => ({ code: row.code, input: toResourceInput(resourceView(row)) }));
}

describe('Excel export then import reproduces the same directory', () => {
  let source: Directory;
  let server: ExcelServer;
  let codes: string[];
  let exported: Buffer;

  beforeAll(async () => {
    source = await openDirectory();
    server = await startExcelServer(source.prisma);
    server.actors.set('gaj', GAJ);
    const first = await createResource({
      prisma: source.prisma,
      actor: GAJ,
      input: {
        name: '常住人口基本信息',
        abstract: '全市常住人口的户籍登记基本信息',
        themeCode: 'population',
        keywords: ['人口', '户籍'],
        format: 'database',
        // 核心数据 (the 公民身份号码) is shared only under conditions
        sharingType: 'conditional',
        sharingConditions: '仅限依法履职所需',
        sharingMethods: ['api', 'file'],
        openType: 'none',
        updateCycle: 'daily',
        publishDate: '2024-01-31',
        sourceSystem: '人口信息管理系统',
        functionCode: 'GA-01',
        contactName: '李静',
        contactEmail: 'rk@gaj.hangzhou.gov.cn',
        items: baseItems,
      } satisfies ResourceInput,
    });
    codes = [first.code];
    for (const input of drafts(first.code)) {
      codes.push((await createResource({ prisma: source.prisma, actor: GAJ, input })).code);
    }
    codes.sort();
    // another department's published entry: visible to the steward, so it is exported too
    // when not filtered by department
    const other = await createResource({
      prisma: source.prisma,
      actor: steward('hz-scjg'),
      input: { ...drafts(first.code)[2]!, name: '市场主体登记信息', themeCode: 'legal-entity' },
    });
    await source.prisma.resource.update({
      where: { code: other.code },
      data: { status: 'published' },
    });
  });

  afterAll(async () => {
    await server?.close();
    await source?.close();
  });

  it('exports the selection as a workbook with 资源代码 filled', async () => {
    const res = await fetch(
      `${server.base}/v1/excel/export?department=hz-gaj&status=draft`,
      server.as('gaj'),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX_MEDIA_TYPE);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    await expectResponseMatchesSpec(EXCEL_SPEC, 'GET', '/v1/excel/export', res.clone());
    exported = Buffer.from(await res.arrayBuffer());

    const resources = await sheetRows(exported, RESOURCE_SHEET);
    expect(resources[0]).toContain('*信息资源名称');
    const codeColumn = resources[0]!.indexOf('资源代码');
    expect(resources.slice(1).map((r) => r[codeColumn])).toEqual(codes);
    // 发布日期 is an Excel date shown as a day, not ISO text
    const dayColumn = resources[0]!.indexOf('发布日期') + 1;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported as unknown as ArrayBuffer);
    const named = resources.findIndex((r) => r.includes('常住人口基本信息'));
    const firstRow = workbook.getWorksheet(RESOURCE_SHEET)!.getRow(named + 1);
    expect(firstRow.getCell(dayColumn).value).toEqual(new Date('2024-01-31T00:00:00Z'));
    expect(firstRow.getCell(dayColumn).numFmt).toBe('yyyy-mm-dd');
    const items = await sheetRows(exported, ITEM_SHEET);
    const expectedItems = (await viewsOf(source.prisma, codes)).reduce(
      (n, v) => n + v.input.items.length,
      0,
    );
    expect(items.length - 1).toBe(expectedItems);
    // the first resource's first item, in Chinese
    const header = items[0]!;
    const first = items[1]!;
    expect(first[header.indexOf('*数据类型')]).toBe('字符串');
    expect(first[header.indexOf('数据分级')]).toBe('核心');
    expect(first[header.indexOf('个人信息')]).toBe('是');
  });

  it('exports only what the caller may see, and a code list selects exactly those', async () => {
    const all = await fetch(`${server.base}/v1/excel/export`, server.as('gaj'));
    const allRows = await sheetRows(Buffer.from(await all.arrayBuffer()), RESOURCE_SHEET);
    // own drafts + the other department's published entry
    expect(allRows.length - 1).toBe(codes.length + 1);

    const anonymous = await fetch(`${server.base}/v1/excel/export`);
    expect(anonymous.status).toBe(200);
    const anonymousRows = await sheetRows(
      Buffer.from(await anonymous.arrayBuffer()),
      RESOURCE_SHEET,
    );
    // drafts are never public: only the other department's published, open entry
    expect(anonymousRows.length).toBe(2);
    expect(anonymousRows[1]).toContain('市场主体登记信息');

    const two = await fetch(
      `${server.base}/v1/excel/export?code=${codes[0]}&code=${codes[2]}`,
      server.as('gaj'),
    );
    const twoRows = await sheetRows(Buffer.from(await two.arrayBuffer()), RESOURCE_SHEET);
    const codeColumn = twoRows[0]!.indexOf('资源代码');
    expect(twoRows.slice(1).map((r) => r[codeColumn])).toEqual([codes[0], codes[2]]);
  });

  it('importing the export updates every draft and changes nothing', async () => {
    const before = await viewsOf(source.prisma, codes);
    const res = await fetch(
      `${server.base}/v1/excel/import`,
      server.as('gaj', uploadInit(exported)),
    );
    const body = (await expectResponseMatchesSpec(EXCEL_SPEC, 'POST', '/v1/excel/import', res)) as {
      created: number;
      updated: number;
      resources: { code: string; action: string }[];
    };
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ created: 0, updated: codes.length, dryRun: false });
    expect(body.resources.map((r) => r.code)).toEqual(codes);

    const after = await viewsOf(source.prisma, codes);
    expect(after).toEqual(before);
    // written through updateResource: one `import` history entry each, revision 2
    const history = await source.prisma.resourceChange.findMany({
      where: { action: 'import' },
      include: { resource: { select: { code: true, revision: true } } },
    });
    expect(history.map((h) => h.resource.code).sort()).toEqual(codes);
    expect(history.every((h) => h.resource.revision === 2)).toBe(true);
  });

  it('importing the export into a fresh directory creates the same entries', async () => {
    const target = await openDirectory();
    const targetServer = await startExcelServer(target.prisma);
    targetServer.actors.set('gaj', GAJ);
    try {
      // new entries: 资源代码 cleared (items keep pointing at their rows by 资源序号); the file
      // also goes through a full load and save, as when a steward opens and saves it in Excel
      const fresh = await editWorkbook(exported, (workbook) => {
        for (const name of [RESOURCE_SHEET, ITEM_SHEET]) {
          const sheet = workbook.getWorksheet(name)!;
          for (let row = 2; row <= sheet.rowCount; row += 1)
            setByHeader(sheet, row, '资源代码', null);
        }
      });
      const res = await fetch(
        `${targetServer.base}/v1/excel/import`,
        targetServer.as('gaj', uploadInit(fresh)),
      );
      const body = (await res.json()) as { created: number; resources: { code: string }[] };
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.created).toBe(codes.length);

      const original = await viewsOf(source.prisma, codes);
      const created = await viewsOf(
        target.prisma,
        body.resources.map((r) => r.code),
      );
      // rows were written in the exported (code) order; new codes are assigned in that order
      expect(created.map((c) => c.input)).toEqual(original.map((o) => o.input));
      expect(
        (await target.prisma.resourceChange.findMany()).every((c) => c.action === 'import'),
      ).toBe(true);
    } finally {
      await targetServer.close();
      await target.close();
    }
  });

  it('the template has the same layout, drop-downs and a guide sheet', async () => {
    const res = await fetch(`${server.base}/v1/excel/template`, server.as('gaj'));
    expect(res.status).toBe(200);
    await expectResponseMatchesSpec(EXCEL_SPEC, 'GET', '/v1/excel/template', res.clone());
    const template = Buffer.from(await res.arrayBuffer());
    const [templateHeader] = await sheetRows(template, RESOURCE_SHEET);
    const [exportHeader] = await sheetRows(exported, RESOURCE_SHEET);
    expect(templateHeader).toEqual(exportHeader);
    expect((await sheetRows(template, RESOURCE_SHEET)).length).toBe(1);
    const guide = await sheetRows(template, '填写说明');
    const text = JSON.stringify(guide);
    for (const label of [
      '无条件共享',
      '有条件开放',
      '每季度',
      '电子表格',
      '核心',
      '人口基础信息库',
    ]) {
      expect(text).toContain(label);
    }
    // the steward's own statutory functions are offered
    expect(text).toContain('GA-01');

    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet(RESOURCE_SHEET)!;
    const validations = (
      sheet as unknown as { dataValidations: { model: Record<string, { formulae: string[] }> } }
    ).dataValidations.model;
    const sharingColumn = (templateHeader as string[]).indexOf('*共享类型') + 1;
    const letter = String.fromCharCode(64 + sharingColumn);
    expect(validations[`${letter}2`]?.formulae[0]).toBe('"无条件共享,有条件共享,不予共享"');
  });
});

describe('An export of the department with entries that are not drafts can be imported again', () => {
  let dir: Directory;
  let server: ExcelServer;
  let codes: string[];
  let settled: Record<'published' | 'in_review' | 'retired', string>;
  let exported: Buffer;

  beforeAll(async () => {
    dir = await openDirectory();
    server = await startExcelServer(dir.prisma);
    server.actors.set('gaj', GAJ);
    const first = await createResource({
      prisma: dir.prisma,
      actor: GAJ,
      // with the 核心数据 of baseItems: neither opened nor shared without conditions
      input: {
        ...drafts('')[2]!,
        items: baseItems,
        sharingType: 'conditional',
        sharingConditions: '仅限依法履职所需',
        openType: 'none',
        openConditions: null,
      },
    });
    codes = [first.code];
    for (const input of drafts(first.code)) {
      codes.push((await createResource({ prisma: dir.prisma, actor: GAJ, input })).code);
    }
    codes.sort();
    // the richest entries leave draft: every field, nulls, lists and multi-line text
    settled = { published: codes[0]!, in_review: codes[1]!, retired: codes[2]! };
    for (const [status, code] of Object.entries(settled)) {
      await dir.prisma.resource.update({
        where: { code },
        data: { status: status as 'published' | 'in_review' | 'retired' },
      });
    }
    const res = await fetch(`${server.base}/v1/excel/export?department=hz-gaj`, server.as('gaj'));
    expect(res.status).toBe(200);
    exported = Buffer.from(await res.arrayBuffer());
  });

  afterAll(async () => {
    await server?.close();
    await dir?.close();
  });

  async function upload(file: Buffer) {
    return fetch(`${server.base}/v1/excel/import`, server.as('gaj', uploadInit(file)));
  }

  it('importing the unchanged export updates the drafts and leaves the others as they are', async () => {
    const before = await dir.prisma.resource.findMany({
      where: { code: { in: Object.values(settled) } },
      orderBy: { code: 'asc' },
    });
    const res = await upload(exported);
    const body = (await expectResponseMatchesSpec(EXCEL_SPEC, 'POST', '/v1/excel/import', res)) as {
      created: number;
      updated: number;
      unchanged: number;
      resources: { code: string; action: string }[];
    };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ created: 0, updated: codes.length - 3, unchanged: 3 });
    expect(body.resources.filter((r) => r.action === 'unchanged').map((r) => r.code)).toEqual(
      Object.values(settled).sort(),
    );
    // not written at all: same revision, same timestamps, no history entry
    expect(
      await dir.prisma.resource.findMany({
        where: { code: { in: Object.values(settled) } },
        orderBy: { code: 'asc' },
      }),
    ).toEqual(before);
    const history = await dir.prisma.resourceChange.findMany({
      where: { action: 'import' },
      include: { resource: { select: { code: true } } },
    });
    expect(history.map((h) => h.resource.code).sort()).toEqual(
      codes.filter((c) => !Object.values(settled).includes(c)),
    );
  });

  it('a changed row of an entry that is not a draft is refused, saying to revise it', async () => {
    const edited = await editWorkbook(exported, (workbook) => {
      const resources = workbook.getWorksheet(RESOURCE_SHEET)!;
      // rows follow the codes: row 2 is the published entry, row 3 the one in review
      setByHeader(resources, 2, '信息资源名称', '改过名字的已发布资源');
      const items = workbook.getWorksheet(ITEM_SHEET)!;
      const header = (items.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
      const codeCol = header.indexOf('资源代码');
      for (let row = 2; row <= items.rowCount; row += 1) {
        if (items.getRow(row).getCell(codeCol).value === settled.in_review) {
          setByHeader(items, row, '中文名称', '改过的信息项');
          break;
        }
      }
    });
    const res = await upload(edited);
    const problem = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(res.status).toBe(400);
    expect(problem.errors.map((e) => e.path)).toEqual([
      expect.stringMatching(/^信息资源![A-Z]+2$/),
      expect.stringMatching(/^信息资源![A-Z]+3$/),
    ]);
    expect(problem.errors[0]!.message).toContain(
      `资源 ${settled.published} 当前状态为「已发布」，此行与目录中的内容不同`,
    );
    expect(problem.errors[0]!.message).toContain('在管理控制台中对该资源「修订」');
    expect(problem.errors[1]!.message).toContain('「审核中」');
  });
});
