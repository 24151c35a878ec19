/** What every benchmark prints last, on one line prefixed `BENCH_RESULT `. */
export interface BenchResult {
  name: string;
  /** the headline number (its meaning is in `unit`) */
  figure: number;
  /** the same measurement taken from the baseline in the same run */
  baseline: number;
  /** subject ÷ baseline, direction as documented by the benchmark */
  ratio: number;
  unit: string;
  details: Record<string, unknown>;
}

export const RESULT_PREFIX = 'BENCH_RESULT ';

export function reportResult(result: BenchResult): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** Parse a `BENCH_RESULT ` line; undefined when the line is not one or is malformed. */
export function parseResult(line: string): BenchResult | undefined {
  if (!line.startsWith(RESULT_PREFIX)) return undefined;
  try {
    const value = JSON.parse(line.slice(RESULT_PREFIX.length)) as Partial<BenchResult>;
    if (
      typeof value.name !== 'string' ||
      typeof value.figure !== 'number' ||
      typeof value.baseline !== 'number' ||
      typeof value.ratio !== 'number' ||
      typeof value.unit !== 'string'
    ) {
      return undefined;
    }
    return { details: {}, ...value } as BenchResult;
  } catch {
    return undefined;
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((h, i) =>
    Math.max(width(h), ...rows.map((row) => width(row[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - width(cell));
        return i === 0 ? cell + pad : pad + cell;
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n') + '\n';
}

/** Display width: CJK characters take two columns in a terminal. */
function width(text: string): number {
  let columns = 0;
  for (const ch of text)
    columns +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/u.test(ch)
        ? 2
        : 1;
  return columns;
}
