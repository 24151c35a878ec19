import { InputError, type FieldProblem } from '@gx/platform';
import type { CellValue } from './parseCell.ts';
import type { SheetData } from './readWorkbook.ts';
import { ITEM_SHEET, RESOURCE_SHEET } from './workbookLayout.ts';

/** One wrong cell, row or sheet of an imported workbook, as the steward has to find it. */
export interface WorkbookProblem extends FieldProblem {
  sheet: string;
  /** 1-based row number as Excel shows it; null for a sheet-level problem */
  row: number | null;
  /** column letter as Excel shows it; null for a row- or sheet-level problem */
  column: string | null;
  /** the column's header (without the * mark) */
  header: string | null;
  /** what the cell held, as text (import jobs say it, so the steward sees the wrong value) */
  value?: string | null;
}

/** A response lists at most this many problems; a file wrong everywhere needs fixing anyway. */
export const MAX_REPORTED_PROBLEMS = 1000;

export function workbookProblem(
  sheet: string,
  row: number | null,
  column: string | null,
  header: string | null,
  message: string,
): WorkbookProblem {
  const path = row === null ? sheet : column ? `${sheet}!${column}${row}` : `${sheet}!第${row}行`;
  return { path, message, sheet, row, column, header };
}

const SHEET_ORDER = [RESOURCE_SHEET, ITEM_SHEET];

/** Sheet by sheet, row by row, column by column: the order a person fixes them in. */
export function sortProblems(problems: WorkbookProblem[]): WorkbookProblem[] {
  const sheetRank = (s: string) => {
    const i = SHEET_ORDER.indexOf(s);
    return i < 0 ? -1 : i;
  };
  const colRank = (c: string | null) =>
    c ? [...c].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) : 0;
  return [...problems].sort(
    (a, b) =>
      sheetRank(a.sheet) - sheetRank(b.sheet) ||
      (a.row ?? 0) - (b.row ?? 0) ||
      colRank(a.column) - colRank(b.column),
  );
}

/**
 * `input`: the workbook was refused and nothing was imported. `errors` lists every problem
 * (up to MAX_REPORTED_PROBLEMS) with sheet, row, column letter and header.
 */
export class WorkbookRejectedError extends InputError {
  readonly problems: WorkbookProblem[];
  constructor(problems: WorkbookProblem[], detail?: string) {
    const sorted = sortProblems(problems);
    const shown = sorted.slice(0, MAX_REPORTED_PROBLEMS);
    super(
      detail ??
        `工作簿中有 ${problems.length} 处错误，未导入任何内容。` +
          (problems.length > shown.length ? `以下列出前 ${shown.length} 处。` : '') +
          `第一处：${shown[0] ? `${shown[0].path} ${shown[0].message}` : '无'}`,
      shown,
    );
    this.problems = shown;
  }
}

/** A cell as the steward typed it: dates as 2026-01-31, errors as Excel shows them. */
function cellText(value: CellValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') return value.error;
  return String(value);
}

function columnNumber(letters: string): number {
  return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
}

/**
 * The problems with what each named cell held (`value`), looked up in the sheets as read; a
 * row- or sheet-level problem has none. Import jobs report problems this way so the console can
 * lay them out against the sheet.
 */
export function withCellValues(
  problems: readonly WorkbookProblem[],
  sheets: readonly SheetData[],
): WorkbookProblem[] {
  const byName = new Map(sheets.map((s) => [s.name, s]));
  return problems.map((problem) => {
    const sheet = byName.get(problem.sheet);
    if (!sheet || problem.row === null || !problem.column) return problem;
    const row = sheet.rows.find((r) => r.row === problem.row);
    const value =
      problem.row === 1
        ? (sheet.headers.get(columnNumber(problem.column)) ?? null)
        : cellText(row?.cells[columnNumber(problem.column)]);
    return { ...problem, value };
  });
}
