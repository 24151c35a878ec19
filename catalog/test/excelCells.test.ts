import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parseCell, type CellContext } from '../src/domain/excel/parseCell.ts';
import { readWorkbook } from '../src/domain/excel/readWorkbook.ts';
import { ITEM_COLUMNS, RESOURCE_COLUMNS } from '../src/domain/excel/workbookLayout.ts';

const context: CellContext = {
  themes: [{ code: 'population', name: '人口基础信息库' }],
  department: { code: 'hz-gaj', name: '杭州市公安局', shortName: '市公安局' },
  functions: [{ code: 'GA-01', name: '户籍管理' }],
};
const kindOf = (header: string) =>
  [...RESOURCE_COLUMNS, ...ITEM_COLUMNS].find((c) => c.header === header)!.kind;

describe('cells in Chinese terms', () => {
  it('reads labels, codes, lists, booleans, dates and numbers as a steward types them', () => {
    const cases: [string, Parameters<typeof parseCell>[1], unknown][] = [
      ['共享类型', '有条件共享', 'conditional'],
      ['共享类型', ' conditional ', 'conditional'],
      ['共享方式', '接口，文件;订阅、接口', ['api', 'file', 'subscription']],
      ['关键字', '人口、 户籍\n户籍', ['人口', '户籍']],
      ['主键', '是', true],
      ['主键', false, false],
      ['发布日期', '2024年2月29日', '2024-02-29'],
      ['发布日期', 45351, '2024-02-29'],
      ['发布日期', new Date(Date.UTC(2024, 1, 29)), '2024-02-29'],
      ['最大长度', '18', 18],
      ['目细目分类', 1001, '001001'],
      ['联系电话', 13800001111, '13800001111'],
      ['主题分类', '人口基础信息库', 'population'],
      ['提供方部门', '市公安局', 'hz-gaj'],
      ['三定职责编码', '户籍管理', 'GA-01'],
      ['资源代码', '101001001-mb1234567-000001', '101001001-MB1234567-000001'],
      // the labels the template and the console share, and the words of earlier templates
      ['信息资源格式', '电子文档', 'document'],
      ['信息资源格式', '图形图像', 'image'],
      ['信息资源格式', '文档', 'document'],
      ['信息资源格式', '图像', 'image'],
      ['数据类型', '是/否', 'boolean'],
      ['数据类型', '布尔', 'boolean'],
      ['数据类型', '逻辑型', 'boolean'],
    ];
    for (const [header, raw, expected] of cases) {
      expect(parseCell(kindOf(header), raw, context), `${header} ${String(raw)}`).toEqual({
        value: expected,
      });
    }
  });

  it('says in Chinese what was expected and what was found', () => {
    const cases: [string, Parameters<typeof parseCell>[1], string][] = [
      ['最大长度', 'abc', '应为整数，实际是「abc」'],
      ['最大长度', 1.5, '应为整数，实际是 1.5'],
      [
        '数据类型',
        '文本',
        '「文本」不是有效的数据类型，可选：字符串、整数、数值、是/否、日期、日期时间',
      ],
      ['主键', '对', '应填「是」或「否」，实际是「对」'],
      ['发布日期', '2023-02-29', '应为日期（如 2024-01-31），实际是「2023-02-29」'],
      [
        '共享方式',
        '接口、邮寄',
        '「邮寄」不是有效的共享方式，可选：接口、文件、订阅（多个用「、」分隔）',
      ],
      ['最大长度', { error: '#N/A' }, '单元格是错误值 #N/A，请改正公式或填写数值'],
    ];
    for (const [header, raw, message] of cases) {
      expect(parseCell(kindOf(header), raw, context)).toEqual({ error: message });
    }
    expect(parseCell(kindOf('说明'), '', context)).toEqual({ blank: true });
  });
});

describe('reading workbooks as Excel writes them', () => {
  it('reads shared strings, rich text, formulas and date cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('信息资源');
    sheet.addRow(['资源序号', '信息资源名称', '发布日期', '最大长度']);
    sheet.addRow([
      1,
      { richText: [{ text: '人口' }, { text: '信息', font: { bold: true } }] },
      new Date(Date.UTC(2024, 0, 31)),
      { formula: '9*2', result: 18 },
    ]);
    sheet.getCell('C2').numFmt = 'yyyy-mm-dd';
    workbook.addWorksheet('信息项').addRow(['资源序号']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const { resources, items } = await readWorkbook(file);
    expect([...resources.headers.values()]).toEqual([
      '资源序号',
      '信息资源名称',
      '发布日期',
      '最大长度',
    ]);
    const cells = resources.rows[0]!.cells;
    expect(cells[2]).toBe('人口信息');
    expect(parseCell(kindOf('发布日期'), cells[3]!, context)).toEqual({ value: '2024-01-31' });
    expect(cells[4]).toBe(18);
    expect(items.rows).toEqual([]);
  });

  it('reads long Chinese text without corruption, inline or shared strings', async () => {
    // several hundred KB of 3-byte characters: chunk boundaries fall inside characters
    const texts = Array.from(
      { length: 3000 },
      (_, i) => `第${i}号资源：政务信息资源目录中的人口、法人和电子证照数据${'𠮷'.repeat(i % 3)}`,
    );
    for (const sharedStrings of [true, false]) {
      const chunks: Buffer[] = [];
      const { PassThrough } = await import('node:stream');
      const out = new PassThrough();
      out.on('data', (c: Buffer) => chunks.push(c));
      const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
        stream: out,
        useSharedStrings: sharedStrings,
      });
      const sheet = writer.addWorksheet('信息资源');
      sheet.addRow(['信息资源摘要']).commit();
      for (const text of texts) sheet.addRow([text]).commit();
      sheet.commit();
      writer.addWorksheet('信息项').addRow(['资源序号']).commit();
      await writer.commit();
      const { resources } = await readWorkbook(Buffer.concat(chunks));
      expect(
        resources.rows.map((r) => r.cells[1]),
        `shared strings: ${sharedStrings}`,
      ).toEqual(texts);
    }
  });
});
