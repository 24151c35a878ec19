import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { toResourceInput } from '../resources/resourceView.ts';
import { GRADE_LABELS, NO, YES } from './labels.ts';
import {
  columnLetter,
  GUIDE_SHEET,
  headerText,
  ITEM_COLUMNS,
  ITEM_SHEET,
  RESOURCE_COLUMNS,
  RESOURCE_SHEET,
  type ColumnSpec,
} from './workbookLayout.ts';

/** One resource as exported: its editable fields and its code. */
export type ExportedResource = ReturnType<typeof toResourceInput> & { code: string };

export interface WriteWorkbookOptions {
  out: Writable;
  themes: readonly { code: string; name: string; kind: string }[];
  /** the steward's department's statutory functions, offered as a drop-down */
  functions: readonly { code: string; name: string }[];
  /**
   * The resources in batches, in the order they are written. Called twice: once for the
   * resource sheet, once for the item sheet, so that only one batch is in memory at a time.
   */
  resources: () => AsyncIterable<readonly ExportedResource[]>;
}

/** Drop-downs and prompts reach this many rows below the last written one. */
const EDITABLE_ROWS = 1000;
const HEADER_FILL: ExcelJS.Fill = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFDDEBF7' },
};
const TEXT_KINDS = new Set([
  'text',
  'textList',
  'resourceCode',
  'subClass',
  'sequence',
  'department',
  'function',
]);

type Validations = { add(address: string, validation: ExcelJS.DataValidation): void };

function utcDate(date: string | null | undefined): Date | null {
  return date ? new Date(`${date}T00:00:00Z`) : null;
}

function cellOf(
  spec: ColumnSpec,
  value: unknown,
  themeNames: Map<string, string>,
): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  switch (spec.kind.type) {
    case 'enum':
      return spec.kind.labels[value as string] ?? String(value);
    case 'enumList':
      return (value as string[])
        .map((v) => (spec.kind as { labels: Record<string, string> }).labels[v] ?? v)
        .join('、');
    case 'textList':
      return (value as string[]).join('、');
    case 'date':
      return utcDate(value as string);
    case 'boolean':
      return value ? YES : NO;
    case 'theme':
      return themeNames.get(value as string) ?? (value as string);
    case 'integer':
      return value as number;
    default:
      return String(value);
  }
}

function prepareSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  specs: readonly ColumnSpec[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
  });
  sheet.columns = specs.map((spec) => ({
    key: spec.key,
    width: spec.width,
    style: TEXT_KINDS.has(spec.kind.type)
      ? { numFmt: '@' }
      : spec.kind.type === 'date'
        ? { numFmt: 'yyyy-mm-dd' }
        : {},
  }));
  const header = sheet.addRow(specs.map(headerText));
  header.height = 20;
  header.eachCell((cell, col) => {
    const spec = specs[col - 1]!;
    cell.font = { bold: true, color: spec.required ? { argb: 'FFC00000' } : undefined };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle' };
  });
  header.commit();
  return sheet;
}

function addValidations(
  sheet: ExcelJS.Worksheet,
  specs: readonly ColumnSpec[],
  lastRow: number,
  lists: { themes: string | null; functions: string | null },
) {
  const validations = (sheet as unknown as { dataValidations: Validations }).dataValidations;
  specs.forEach((spec, index) => {
    const letter = columnLetter(index + 1);
    const range = `${letter}2:${letter}${lastRow}`;
    const prompt = {
      showInputMessage: true,
      promptTitle: spec.header.slice(0, 32),
      prompt: spec.help.slice(0, 250),
    };
    const list = (formula: string, strict: boolean): ExcelJS.DataValidation => ({
      type: 'list',
      allowBlank: true,
      formulae: [formula],
      ...prompt,
      showErrorMessage: true,
      errorStyle: strict ? 'stop' : 'warning',
      errorTitle: spec.header.slice(0, 32),
      error: `请从下拉列表中选择${spec.header}`,
    });
    const kind = spec.kind;
    if (kind.type === 'enum') {
      validations.add(range, list(`"${Object.values(kind.labels).join(',')}"`, true));
    } else if (kind.type === 'boolean') {
      validations.add(range, list(`"${YES},${NO}"`, true));
    } else if (kind.type === 'theme' && lists.themes) {
      validations.add(range, list(lists.themes, false));
    } else if (kind.type === 'function' && lists.functions) {
      validations.add(range, list(lists.functions, false));
    } else if (kind.type === 'integer') {
      validations.add(range, {
        type: 'whole',
        operator: 'between',
        allowBlank: true,
        formulae: [1, 100000],
        ...prompt,
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: spec.header,
        error: '应为 1 到 100000 的整数',
      });
    } else if (spec.help) {
      // type "any": no restriction, only the input prompt (the typings omit this type)
      validations.add(range, {
        type: 'any',
        allowBlank: true,
        formulae: [],
        ...prompt,
      } as unknown as ExcelJS.DataValidation);
    }
  });
}

function writeGuide(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  themes: WriteWorkbookOptions['themes'],
  functions: WriteWorkbookOptions['functions'],
) {
  const sheet = workbook.addWorksheet(GUIDE_SHEET);
  sheet.columns = [
    { width: 10 },
    { width: 6 },
    { width: 16 },
    { width: 6 },
    { width: 60 },
    { width: 48 },
    { width: 3 },
    { width: 26 },
    { width: 16 },
    { width: 3 },
    { width: 16 },
    { width: 40 },
  ];
  const lines = [
    '政务信息资源目录 Excel 编目模板 — 填写说明',
    `1. 「${RESOURCE_SHEET}」表每行一个信息资源，「${ITEM_SHEET}」表每行一个信息项；第 1 行是列标题，不要修改，从第 2 行开始填写。标 * 的列必填。`,
    `2. 新编目的资源：资源代码留空，填写资源序号（如 1、2、3）；信息项用同一资源序号指向它。修改本部门的草稿：填写资源代码（导出的文件已填好）。`,
    '3. 导入时逐行逐格检查；只要有一处错误，整个文件都不会导入，并列出每处错误所在的工作表、行和列。',
    '4. 多个值（关键字、共享方式、关联资源代码）用「、」分隔。个人信息、必填、主键列填「是」或「否」，留空为「否」。日期如 2024-01-31。',
    '5. 只能导入本部门的信息资源；审核中、已发布和已下线的资源以及从其他目录采集的资源不能通过导入修改：导出文件中这些行保持原样即可（导入时跳过），要修改已发布或已下线的资源请先在管理控制台中「修订」，采集的资源请在来源目录修改。',
  ];
  const themeStart = 2;
  const rows: ExcelJS.CellValue[][] = lines.map((line) => [line]);
  rows.push([]);
  rows.push(['工作表', '列', '列标题', '必填', '填写要求', '可选值']);
  for (const [sheetName, specs] of [
    [RESOURCE_SHEET, RESOURCE_COLUMNS],
    [ITEM_SHEET, ITEM_COLUMNS],
  ] as const) {
    specs.forEach((spec, index) => {
      const kind = spec.kind;
      const choices =
        kind.type === 'enum' || kind.type === 'enumList'
          ? Object.values(kind.labels).join('、')
          : kind.type === 'boolean'
            ? `${YES}、${NO}`
            : kind.type === 'theme'
              ? '见右侧「主题分类」'
              : kind.type === 'function'
                ? functions.length > 0
                  ? '见右侧「三定职责」'
                  : ''
                : '';
      rows.push([
        sheetName,
        columnLetter(index + 1),
        spec.header,
        spec.required ? '是' : '',
        spec.help,
        choices,
      ]);
    });
  }
  const height = Math.max(rows.length, themeStart + themes.length, themeStart + functions.length);
  for (let r = 0; r < height; r += 1) {
    const values: ExcelJS.CellValue[] = [...(rows[r] ?? [])];
    while (values.length < 12) values.push(null);
    if (r === 0) {
      values[7] = '主题分类';
      values[8] = '主题代码';
      values[10] = '三定职责编码';
      values[11] = '三定职责名称';
    }
    const theme = themes[r - (themeStart - 1)];
    if (r >= themeStart - 1 && theme) {
      values[7] = theme.name;
      values[8] = theme.code;
    }
    const fn = functions[r - (themeStart - 1)];
    if (r >= themeStart - 1 && fn) {
      values[10] = fn.code;
      values[11] = fn.name;
    }
    const row = sheet.addRow(values);
    if (r === 0 || r === lines.length + 1) row.font = { bold: true };
    row.commit();
  }
  sheet.commit();
}

/**
 * Write the directory workbook: the template when there are no resources, the export
 * otherwise. Streams: rows are committed as they are written and the workbook goes to `out`
 * as a ZIP stream, so an export's memory does not grow with its size.
 */
export async function writeWorkbook(options: WriteWorkbookOptions): Promise<void> {
  const { out, themes, functions } = options;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = '政务数据共享交换与开放平台';
  workbook.created = new Date();
  const themeNames = new Map(themes.map((t) => [t.code, t.name]));
  // row 1 of the guide holds the headers of its side tables; their values start at row 2
  const lists = {
    themes: themes.length > 0 ? `'${GUIDE_SHEET}'!$H$2:$H$${themes.length + 1}` : null,
    functions: functions.length > 0 ? `'${GUIDE_SHEET}'!$K$2:$K$${functions.length + 1}` : null,
  };

  const resourceSheet = prepareSheet(workbook, RESOURCE_SHEET, RESOURCE_COLUMNS);
  const sequence = new Map<string, number>();
  let seq = 0;
  for await (const batch of options.resources()) {
    for (const resource of batch) {
      seq += 1;
      sequence.set(resource.code, seq);
      const values = RESOURCE_COLUMNS.map((spec) =>
        spec.key === 'seq'
          ? seq
          : cellOf(spec, (resource as Record<string, unknown>)[spec.key], themeNames),
      );
      resourceSheet.addRow(values).commit();
    }
  }
  addValidations(resourceSheet, RESOURCE_COLUMNS, seq + 1 + EDITABLE_ROWS, lists);
  resourceSheet.commit();

  const itemSheet = prepareSheet(workbook, ITEM_SHEET, ITEM_COLUMNS);
  let itemRows = 0;
  for await (const batch of options.resources()) {
    for (const resource of batch) {
      const owner = sequence.get(resource.code);
      // a resource that appeared after the first pass has no row in the resource sheet
      if (owner === undefined) continue;
      for (const item of resource.items) {
        const values = ITEM_COLUMNS.map((spec) =>
          spec.key === 'seq'
            ? owner
            : spec.key === 'code'
              ? resource.code
              : spec.key === 'dataGrade'
                ? GRADE_LABELS[item.dataGrade ?? 'general']
                : cellOf(spec, (item as unknown as Record<string, unknown>)[spec.key], themeNames),
        );
        itemSheet.addRow(values).commit();
        itemRows += 1;
      }
    }
  }
  addValidations(itemSheet, ITEM_COLUMNS, itemRows + 1 + EDITABLE_ROWS * 5, lists);
  itemSheet.commit();

  writeGuide(workbook, themes, functions);
  await workbook.commit();
}
