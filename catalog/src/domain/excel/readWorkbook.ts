import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { InputError } from '@gx/platform';
import { DEFAULT_ARCHIVE_LIMITS, inspectArchive, type ArchiveLimits } from './inspectArchive.ts';
import type { CellValue } from './parseCell.ts';
import { ITEM_SHEET, RESOURCE_SHEET } from './workbookLayout.ts';
import { WorkbookRejectedError, workbookProblem } from './workbookProblems.ts';

export interface SheetRow {
  /** row number as Excel shows it */
  row: number;
  /** index 1 = column A */
  cells: CellValue[];
}

export interface SheetData {
  name: string;
  /** header text by 1-based column number */
  headers: Map<number, string>;
  rows: SheetRow[];
}

export interface ReadWorkbookOptions {
  /** called every few hundred rows with the number of rows read so far */
  onRows?: (rowsRead: number) => void;
  maxRowsPerSheet?: number;
  archiveLimits?: ArchiveLimits;
}

export const MAX_ROWS_PER_SHEET = 100_000;
/** columns beyond this are not read: the layout has 25 */
const MAX_COLUMNS = 100;
const PROGRESS_EVERY = 500;

type ExcelValue = ExcelJS.CellValue | undefined;

/** One cell in plain terms: rich text joined, hyperlinks as their text, formulas as results. */
export function plainCellValue(value: ExcelValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('error' in value) return { error: String(value.error) };
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: ExcelValue }).result;
    if (result === undefined) return { error: '（公式没有计算结果）' };
    return plainCellValue(result as ExcelValue);
  }
  if ('text' in value) return plainCellValue(value.text as ExcelValue);
  return null;
}

/** Chunks of UTF-8 bytes as text, never splitting a character between two chunks. */
async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

type StreamParser = (entry: AsyncIterable<Buffer | string>, ...rest: unknown[]) => unknown;

/**
 * exceljs 4.4's streaming reader decodes every chunk of a ZIP entry to text on its own, so a
 * Chinese character (3 bytes in UTF-8) that straddles two 16–64 KB chunks comes out as
 * replacement characters: any sheet of more than a few hundred Chinese rows is corrupted. The
 * reader's parse steps are given text decoded across chunk boundaries instead. These are
 * internals of exceljs 4.x; the test "reads long Chinese text without corruption" guards them.
 */
function utf8SafeWorkbookReader(
  input: Readable,
  options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>,
): ExcelJS.stream.xlsx.WorkbookReader {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, options);
  const internals = reader as unknown as Record<string, StreamParser>;
  for (const name of ['_parseRels', '_parseWorkbook', '_parseSharedStrings', '_parseStyles']) {
    const parse = internals[name]!.bind(reader);
    internals[name] = (entry) => parse(Readable.from(utf8Text(entry)));
  }
  const parseWorksheet = internals._parseWorksheet!.bind(reader);
  internals._parseWorksheet = (iterator, sheetNo) => parseWorksheet(utf8Text(iterator), sheetNo);
  return reader;
}

/**
 * exceljs's streaming reader parses a worksheet at once when shared strings and relationships
 * are already known, and then needs the workbook part (sheet names) too — if `xl/workbook.xml`
 * comes later in the archive it fails ("reading 'sheets'"). Archive order is up to the writer
 * (exceljs's own streaming writer varies it), so rewrite the archive with the workbook-level
 * parts first. The file is at most the import size limit and already in memory.
 */
async function workbookPartsFirst(file: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(file);
  const rank = (name: string) =>
    name === 'xl/workbook.xml'
      ? 0
      : name === 'xl/_rels/workbook.xml.rels'
        ? 1
        : name.startsWith('xl/worksheets/')
          ? 3
          : 2;
  const names = Object.keys(zip.files).sort((a, b) => rank(a) - rank(b));
  const ordered = new JSZip();
  for (const name of names) {
    const entry = zip.files[name]!;
    if (!entry.dir) ordered.file(name, await entry.async('uint8array'));
  }
  return ordered.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 1 },
  });
}

/**
 * Read the two data sheets of a directory workbook with the streaming reader: rows are kept as
 * small arrays of plain values, never as the library's cell objects, so that a 10 000-row file
 * costs a few megabytes. Other sheets (填写说明, a steward's own notes) are skipped.
 */
export async function readWorkbook(
  file: Buffer,
  options: ReadWorkbookOptions = {},
): Promise<{ resources: SheetData; items: SheetData }> {
  await inspectArchive(file, options.archiveLimits ?? DEFAULT_ARCHIVE_LIMITS);
  const maxRows = options.maxRowsPerSheet ?? MAX_ROWS_PER_SHEET;
  const sheets = new Map<string, SheetData>();
  let rowsRead = 0;
  const reader = utf8SafeWorkbookReader(Readable.from(await workbookPartsFirst(file)), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  try {
    for await (const worksheet of reader) {
      const name = String((worksheet as unknown as { name?: string }).name ?? '').trim();
      if ((name !== RESOURCE_SHEET && name !== ITEM_SHEET) || sheets.has(name)) continue;
      const sheet: SheetData = { name, headers: new Map(), rows: [] };
      sheets.set(name, sheet);
      for await (const row of worksheet) {
        const values = (row.values ?? []) as ExcelValue[];
        const cells: CellValue[] = [];
        let empty = true;
        for (let c = 1; c < Math.min(values.length, MAX_COLUMNS + 1); c += 1) {
          const cell = plainCellValue(values[c]);
          if (typeof cell === 'string' ? cell.trim().length > 0 : cell !== null) empty = false;
          cells[c] = cell;
        }
        if (row.number === 1) {
          cells.forEach((cell, c) => {
            const text = typeof cell === 'string' ? cell.trim() : cell === null ? '' : String(cell);
            if (text) sheet.headers.set(c, text);
          });
          continue;
        }
        if (empty) continue;
        if (sheet.rows.length >= maxRows) {
          throw new WorkbookRejectedError([
            workbookProblem(
              name,
              row.number,
              null,
              null,
              `行数超过上限 ${maxRows}，请拆分成几个文件分别导入`,
            ),
          ]);
        }
        sheet.rows.push({ row: row.number, cells });
        rowsRead += 1;
        if (rowsRead % PROGRESS_EVERY === 0) options.onRows?.(rowsRead);
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    // the reader's own message may name temporary files: it is not passed on
    throw new InputError(
      '无法读取工作簿：文件已损坏或不是 Excel 工作簿（.xlsx），请在 Excel 或 WPS 中另存为 .xlsx 后再导入',
      [{ path: '/body', message: '工作簿内容无法解析' }],
      { cause: error },
    );
  }
  options.onRows?.(rowsRead);

  const missing = [RESOURCE_SHEET, ITEM_SHEET].filter((s) => !sheets.has(s));
  if (missing.length > 0) {
    throw new WorkbookRejectedError(
      missing.map((s) =>
        workbookProblem(s, null, null, null, `缺少工作表「${s}」，请使用「下载模板」得到的工作簿`),
      ),
    );
  }
  return { resources: sheets.get(RESOURCE_SHEET)!, items: sheets.get(ITEM_SHEET)! };
}
