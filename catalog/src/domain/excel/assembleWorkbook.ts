import type { FieldProblem } from '@gx/platform';
import { resourceInputProblems, type ResourceInput } from '../resources/resourceInput.ts';
import { parseCell, type CellContext } from './parseCell.ts';
import type { SheetData, SheetRow } from './readWorkbook.ts';
import {
  columnLetter,
  columnOfHeader,
  ITEM_COLUMNS,
  ITEM_SHEET,
  RESOURCE_COLUMNS,
  RESOURCE_SHEET,
  type ColumnSpec,
} from './workbookLayout.ts';
import { workbookProblem, type WorkbookProblem } from './workbookProblems.ts';

/** A resource row with its item rows, checked against the resource-input schema and rules. */
export interface AssembledResource {
  /** row in 信息资源 */
  row: number;
  seq?: string;
  /** set: the row replaces this existing draft */
  code?: string;
  input: ResourceInput;
  /** rows in 信息项, in the order of `input.items` */
  itemRows: number[];
  /** where problems reported for this resource's input (JSON pointers) are in the workbook */
  locate(errors: readonly FieldProblem[], fallback: string): WorkbookProblem[];
  /** a problem at one of this resource row's cells (`code`, `name`, …) */
  problemAt(key: string, message: string): WorkbookProblem;
}

export interface AssembledWorkbook {
  resources: AssembledResource[];
  problems: WorkbookProblem[];
  /** every resource row that names an existing resource, valid or not */
  codedRows: {
    code: string;
    /** row in 信息资源, and the rows of its items in 信息项 */
    row: number;
    itemRows: number[];
    problemAt(key: string, message: string): WorkbookProblem;
    /** the row as input when every cell of it and its items parsed, rules or not */
    input?: ResourceInput;
    /** what the directory's rules (schema and the rules beyond it) found in that input */
    ruleProblems: readonly WorkbookProblem[];
  }[];
  /** data rows of both sheets */
  totalRows: number;
  /** where each column of each sheet is: input property → 1-based column number */
  columns: { resources: Map<string, number>; items: Map<string, number> };
}

/** Pattern failures get a hint saying what the pattern wants. */
const PATTERN_HINTS: Record<string, string> = {
  name: '小写字母开头，只含小写字母、数字和下划线，最长 64 个字符',
  relatedResourceCodes: '资源代码应如 101001001-MB1234567-000001',
  contactPhone: '只能包含数字、空格和 + ( ) -',
  subClassCode: '应为 6 位数字',
};

const MAX_LIST = 3;

interface ParsedRow {
  row: number;
  values: Record<string, unknown>;
  /** input properties whose cell already has a problem */
  wrong: Set<string>;
}

/** Map header cells to columns; report unknown, repeated and missing headers. */
function mapHeaders(
  sheet: SheetData,
  specs: readonly ColumnSpec[],
  problems: WorkbookProblem[],
): Map<string, number> {
  const positions = new Map<string, number>();
  for (const [col, text] of sheet.headers) {
    const spec = columnOfHeader(specs, text);
    const letter = columnLetter(col);
    if (!spec) {
      problems.push(
        workbookProblem(
          sheet.name,
          1,
          letter,
          text,
          `不认识的列标题「${text}」，请使用模板中的列标题（见「填写说明」）；不需要的列请删除`,
        ),
      );
    } else if (positions.has(spec.key)) {
      problems.push(
        workbookProblem(
          sheet.name,
          1,
          letter,
          spec.header,
          `列「${spec.header}」重复出现（已在 ${columnLetter(positions.get(spec.key)!)} 列）`,
        ),
      );
    } else positions.set(spec.key, col);
  }
  for (const spec of specs) {
    if (!positions.has(spec.key)) {
      problems.push(
        workbookProblem(
          sheet.name,
          1,
          null,
          spec.header,
          `缺少列「${spec.header}」，请使用模板中的全部列（内容可以留空）`,
        ),
      );
    }
  }
  return positions;
}

function parseRow(
  sheet: SheetData,
  row: SheetRow,
  specs: readonly ColumnSpec[],
  positions: Map<string, number>,
  context: CellContext,
  problems: WorkbookProblem[],
): ParsedRow {
  const values: Record<string, unknown> = {};
  const wrong = new Set<string>();
  for (const spec of specs) {
    const col = positions.get(spec.key)!;
    const parsed = parseCell(spec.kind, row.cells[col] ?? null, context);
    if ('error' in parsed) {
      wrong.add(spec.key);
      problems.push(
        workbookProblem(sheet.name, row.row, columnLetter(col), spec.header, parsed.error),
      );
    } else if ('value' in parsed) {
      values[spec.key] = parsed.value;
    } else if (spec.blank === 'null') {
      values[spec.key] = null;
    } else if (spec.blank === 'emptyList') {
      values[spec.key] = [];
    }
  }
  // a value in a column without a header would be silently lost
  row.cells.forEach((cell, col) => {
    if (sheet.headers.has(col) || cell === null || cell === undefined) return;
    if (typeof cell === 'string' && cell.trim() === '') return;
    problems.push(
      workbookProblem(
        sheet.name,
        row.row,
        columnLetter(col),
        null,
        '此列没有列标题，内容不会被导入；请删除这个单元格的内容',
      ),
    );
  });
  return { row: row.row, values, wrong };
}

/**
 * Turn the rows of both sheets into resource inputs, checking every cell and then every
 * assembled resource against the resource-input schema and cataloguing rules. Every problem is
 * collected, each at its cell, so that the steward fixes the file in one pass.
 */
export function assembleWorkbook(
  sheets: { resources: SheetData; items: SheetData },
  context: CellContext,
): AssembledWorkbook {
  const problems: WorkbookProblem[] = [];
  const resourceColumns = mapHeaders(sheets.resources, RESOURCE_COLUMNS, problems);
  const itemColumns = mapHeaders(sheets.items, ITEM_COLUMNS, problems);
  const totalRows = sheets.resources.rows.length + sheets.items.rows.length;
  const columns = { resources: resourceColumns, items: itemColumns };
  // rows cannot be read reliably without their headers
  if (problems.length > 0) return { resources: [], codedRows: [], problems, totalRows, columns };

  const cellAt = (sheet: string, row: number, key: string) => {
    const specs = sheet === RESOURCE_SHEET ? RESOURCE_COLUMNS : ITEM_COLUMNS;
    const positions = sheet === RESOURCE_SHEET ? resourceColumns : itemColumns;
    const spec = specs.find((s) => s.key === key);
    const col = positions.get(key);
    return {
      problem: (message: string) =>
        workbookProblem(sheet, row, col ? columnLetter(col) : null, spec?.header ?? null, message),
    };
  };

  interface Pending {
    parsed: ParsedRow;
    items: ParsedRow[];
  }
  const pending: Pending[] = [];
  const bySeq = new Map<string, Pending>();
  const byCode = new Map<string, Pending>();
  for (const row of sheets.resources.rows) {
    const parsed = parseRow(
      sheets.resources,
      row,
      RESOURCE_COLUMNS,
      resourceColumns,
      context,
      problems,
    );
    const entry: Pending = { parsed, items: [] };
    pending.push(entry);
    const seq = parsed.values.seq as string | undefined;
    const code = parsed.values.code as string | undefined;
    if (!seq && !code && !parsed.wrong.has('code') && !parsed.wrong.has('seq')) {
      problems.push(
        cellAt(RESOURCE_SHEET, row.row, 'seq').problem(
          '请填写资源序号（新编目的资源）或资源代码（修改已有草稿）',
        ),
      );
    }
    if (seq) {
      const first = bySeq.get(seq);
      if (first) {
        problems.push(
          cellAt(RESOURCE_SHEET, row.row, 'seq').problem(
            `资源序号「${seq}」与第 ${first.parsed.row} 行重复`,
          ),
        );
      } else bySeq.set(seq, entry);
    }
    if (code) {
      const first = byCode.get(code);
      if (first) {
        problems.push(
          cellAt(RESOURCE_SHEET, row.row, 'code').problem(
            `资源代码 ${code} 与第 ${first.parsed.row} 行重复`,
          ),
        );
      } else byCode.set(code, entry);
    }
  }

  for (const row of sheets.items.rows) {
    const parsed = parseRow(sheets.items, row, ITEM_COLUMNS, itemColumns, context, problems);
    const seq = parsed.values.seq as string | undefined;
    const code = parsed.values.code as string | undefined;
    const cell = (key: string) => cellAt(ITEM_SHEET, row.row, key);
    if (parsed.wrong.has('seq') || parsed.wrong.has('code')) continue;
    const owner = seq ? bySeq.get(seq) : code ? byCode.get(code) : undefined;
    if (!seq && !code) {
      problems.push(cell('seq').problem('请填写此信息项所属资源的资源序号或资源代码'));
    } else if (!owner) {
      problems.push(
        seq
          ? cell('seq').problem(`「${RESOURCE_SHEET}」表中没有资源序号为「${seq}」的行`)
          : cell('code').problem(`「${RESOURCE_SHEET}」表中没有资源代码为 ${code} 的行`),
      );
    } else if (seq && code && byCode.get(code) !== owner) {
      problems.push(
        cell('code').problem(
          `资源序号「${seq}」与资源代码 ${code} 指向「${RESOURCE_SHEET}」表中不同的行`,
        ),
      );
    } else owner.items.push(parsed);
  }

  const resources: AssembledResource[] = [];
  const codedRows: AssembledWorkbook['codedRows'] = [];
  for (const { parsed, items } of pending) {
    const { seq, code, ...fields } = parsed.values as Record<string, unknown> & {
      seq?: string;
      code?: string;
    };
    const input = {
      ...fields,
      items: items.map(({ values }) => {
        const { seq: _seq, code: _code, ...item } = values;
        return item;
      }),
    };
    const resourceRow = { parsed, items };
    const rowProblems = schemaProblems(input, resourceRow, cellAt);
    problems.push(...rowProblems);
    const parsedWhole = parsed.wrong.size === 0 && items.every((i) => i.wrong.size === 0);
    if (code) {
      codedRows.push({
        code,
        row: parsed.row,
        itemRows: items.map((i) => i.row),
        problemAt: (key, message) => cellAt(RESOURCE_SHEET, parsed.row, key).problem(message),
        ...(parsedWhole ? { input: input as unknown as ResourceInput } : {}),
        ruleProblems: rowProblems,
      });
    }
    if (rowProblems.length === 0 && parsedWhole) {
      resources.push({
        row: parsed.row,
        seq,
        code,
        input: input as unknown as ResourceInput,
        itemRows: items.map((i) => i.row),
        locate: (errors, fallback) => pointerProblems(errors, resourceRow, cellAt, fallback),
        problemAt: (key, message) => cellAt(RESOURCE_SHEET, parsed.row, key).problem(message),
      });
    }
  }
  return { resources, codedRows, problems, totalRows, columns };
}

type CellLocator = (
  sheet: string,
  row: number,
  key: string,
) => { problem(message: string): WorkbookProblem };

/**
 * The resource input schema and rules, their JSON pointers mapped back to cells. The rules run
 * on the cells the schema accepts even when others are wrong, so one upload reports them all;
 * an item is named by its row in 信息项.
 */
function schemaProblems(
  input: unknown,
  source: { parsed: ParsedRow; items: ParsedRow[] },
  cellAt: CellLocator,
): WorkbookProblem[] {
  const errors = resourceInputProblems(input, {
    itemLabel: (index) => `第 ${source.items[index]?.row ?? index + 1} 行`,
  });
  if (errors.length === 0) return [];
  return pointerProblems(errors, source, cellAt, '信息资源编目信息不完整或有误');
}

/**
 * Where a problem reported for one resource (a JSON pointer into its input) is in the
 * workbook. Cells that already have a problem of their own are not reported twice.
 */
function pointerProblems(
  errors: readonly FieldProblem[],
  source: { parsed: ParsedRow; items: ParsedRow[] },
  cellAt: CellLocator,
  fallback: string,
): WorkbookProblem[] {
  const out: WorkbookProblem[] = [];
  const resourceRow = source.parsed.row;
  if (errors.length === 0) {
    out.push(cellAt(RESOURCE_SHEET, resourceRow, '').problem(fallback));
    return out;
  }
  let itemsOverflow = 0;
  for (const { path, message } of errors) {
    const [first = '', second, third] = path.split('/').slice(1);
    if (first === 'items' && second !== undefined) {
      const item = source.items[Number(second)];
      if (!item) continue;
      const key = third ?? '';
      if (item.wrong.has(key)) continue;
      out.push(cellAt(ITEM_SHEET, item.row, key).problem(describe(key, message)));
    } else if (first === 'items') {
      const text =
        source.items.length === 0
          ? `至少要有一个信息项：请在「${ITEM_SHEET}」表中填写指向此行的信息项`
          : describe('items', message);
      if (itemsOverflow++ < MAX_LIST) {
        const key = source.parsed.values.seq ? 'seq' : 'code';
        out.push(cellAt(RESOURCE_SHEET, resourceRow, key).problem(text));
      }
    } else {
      if (source.parsed.wrong.has(first)) continue;
      out.push(cellAt(RESOURCE_SHEET, resourceRow, first).problem(describe(first, message)));
    }
  }
  return out;
}

function describe(key: string, message: string): string {
  // the schema's problems are in Chinese already (problemsFromAjv); a pattern gets its hint
  if (message === '必填') return '必填，不能为空';
  const hint = PATTERN_HINTS[key];
  return message === '格式不正确' && hint ? `格式不正确：${hint}` : message;
}
