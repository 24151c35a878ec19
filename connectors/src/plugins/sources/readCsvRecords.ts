import type { Line } from './readLines.ts';

export interface CsvRecord {
  /** cells; an empty unquoted cell is null, a quoted empty one `""` is '' (as COPY … CSV does) */
  cells: (string | null)[];
  /** first and last line of the record (a quoted cell may span lines) */
  start: number;
  end: number;
  /** the record's text as it was in the file, lines joined with their terminators */
  raw: string;
  /** why the record is malformed, in Chinese; its cells are then not to be used */
  error?: string;
}

const QUOTE = '"';

/**
 * RFC 4180 records from a file's lines: cells separated by `delimiter`, a cell in double
 * quotes may hold the delimiter, line breaks and doubled quotes (`""`). A quote inside an
 * unquoted cell is kept as a character (`5'6"`), as most writers produce it. Blank lines
 * outside quotes are not records. A quote left open at the end of the file makes the rest of
 * the file one malformed record: the writer's mistake cannot be repaired by guessing.
 */
export async function* readCsvRecords(
  lines: AsyncIterable<Line>,
  delimiter: string,
): AsyncGenerator<CsvRecord> {
  let cells: (string | null)[] = [];
  let field = '';
  let isQuoted = false;
  let inQuotes = false;
  let afterQuote = false;
  let error: string | undefined;
  let start = 0;
  let raw = '';
  let last = 0;

  for await (const line of lines) {
    const { text } = line;
    last = line.number;
    if (!inQuotes) {
      if (text === '') continue;
      start = line.number;
      raw = text;
      // fast path: no quotes, one line, one record
      if (!text.includes(QUOTE)) {
        yield {
          cells: text.split(delimiter).map((c) => (c === '' ? null : c)),
          start,
          end: line.number,
          raw,
        };
        continue;
      }
      cells = [];
      field = '';
      isQuoted = false;
      afterQuote = false;
      error = undefined;
    } else {
      raw += text;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (inQuotes) {
        if (c !== QUOTE) {
          field += c;
        } else if (text[i + 1] === QUOTE) {
          field += QUOTE;
          i++;
        } else {
          inQuotes = false;
          afterQuote = true;
        }
      } else if (c === delimiter) {
        cells.push(field === '' && !isQuoted ? null : field);
        field = '';
        isQuoted = false;
        afterQuote = false;
      } else if (afterQuote) {
        error ??= `第 ${line.number} 行：引号结束后、分隔符之前有多余字符`;
      } else if (c === QUOTE && field === '') {
        inQuotes = true;
        isQuoted = true;
      } else {
        field += c;
      }
    }
    if (inQuotes) {
      // the cell goes on on the next line, with the line break as written
      field += line.terminator;
      raw += line.terminator;
      continue;
    }
    cells.push(field === '' && !isQuoted ? null : field);
    yield error === undefined
      ? { cells, start, end: line.number, raw }
      : { cells, start, end: line.number, raw, error };
  }
  if (inQuotes) {
    yield { cells: [], start, end: last, raw, error: '引号未闭合，直到文件结尾' };
  }
}
