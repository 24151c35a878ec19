/**
 * Which chart, if any, a dataset's records call for. The portal knows nothing about a dataset
 * beyond its columns' types and a sample of records, so it decides from those alone:
 *
 * - a date/time column and a numeric measure → a time series (one line per value of a
 *   low-cardinality category such as a monitoring station, when there is one);
 * - a category column and a numeric measure → bars of the measure's average per category;
 * - a category column alone → bars of record counts per category;
 * - otherwise no chart (a list of names does not become a picture).
 *
 * A measure is never a key field, nor a number that names or orders records (编号, 站序, 年份,
 * coordinates): an average of those draws a picture of nothing.
 */

export interface ChartColumn {
  name: string;
  label: string;
  dataType: string;
  unit?: string | null;
  /**
   * Part of the record's key (the item's 是否主键): it tells records apart and measures nothing,
   * even as a number — 站序 of (线路, 站序) averaged per route is meaningless.
   */
  isKey?: boolean;
}

export interface TimePoint {
  t: number;
  value: number;
}

export interface TimeSeriesChart {
  kind: 'time-series';
  time: ChartColumn;
  measure: ChartColumn;
  /** the category the lines are split by, when there is more than one line */
  seriesBy: ChartColumn | null;
  series: { name: string; points: TimePoint[] }[];
  /** the time column holds dates without times of day */
  dateOnly: boolean;
  sampleSize: number;
}

export interface CategoryBarsChart {
  kind: 'category-bars';
  category: ChartColumn;
  /** null: the bars count records */
  measure: ChartColumn | null;
  bars: { name: string; value: number; count: number }[];
  sampleSize: number;
}

export type ChartSpec = TimeSeriesChart | CategoryBarsChart;

const NUMERIC = new Set(['integer', 'number']);
const TEMPORAL = new Set(['date', 'datetime']);
/**
 * columns that are numbers but not measures: identifiers, codes, positions in a sequence or a
 * ranking, years, coordinates
 */
const IDENTIFIER =
  /(^|_)(id|code|no|seq|order|rank|number|year|zip|postcode|phone|lng|lon|lat|longitude|latitude|x|y)$/i;
const NOT_A_MEASURE = /编号|编码|代码|序号|序$|顺序|排名|名次|年份|经度|纬度|坐标|电话/;
const MAX_SERIES = 6;
const MAX_BARS = 12;
const MIN_POINTS = 3;

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function distinctStrings(records: Record<string, unknown>[], column: string): Set<string> {
  const values = new Set<string>();
  for (const record of records) {
    const value = record[column];
    if (typeof value === 'string' && value !== '' && value !== '—') values.add(value);
  }
  return values;
}

/** The first numeric column that measures something and has values in the sample. */
function findMeasure(columns: ChartColumn[], records: Record<string, unknown>[]) {
  return columns.find(
    (c) =>
      NUMERIC.has(c.dataType) &&
      !c.isKey &&
      !IDENTIFIER.test(c.name) &&
      !NOT_A_MEASURE.test(c.label) &&
      records.filter((r) => isNumber(r[c.name])).length >= MIN_POINTS,
  );
}

/**
 * A category column: text with a few distinct values, repeated across records. Names are
 * preferred to codes (监测点位名称 reads better than 监测点位编码).
 */
function findCategory(
  columns: ChartColumn[],
  records: Record<string, unknown>[],
  maxDistinct: number,
): ChartColumn | undefined {
  const candidates = columns.filter((c) => {
    if (c.dataType !== 'string' || IDENTIFIER.test(c.name)) return false;
    const n = distinctStrings(records, c.name).size;
    // some value repeats: a column of unique names is not a category
    return n >= 2 && n <= maxDistinct && n < records.length;
  });
  return (
    candidates.find((c) => /名称|名$|类型|类别|级别|区|name|type|level/i.test(c.label + c.name)) ??
    candidates[0]
  );
}

export function chooseChart(
  columns: ChartColumn[],
  records: Record<string, unknown>[],
): ChartSpec | null {
  if (records.length < MIN_POINTS) return null;
  const measure = findMeasure(columns, records);
  const time = columns.find(
    (c) =>
      TEMPORAL.has(c.dataType) &&
      records.filter((r) => timeOf(r[c.name]) !== undefined).length >= MIN_POINTS,
  );

  if (time && measure) {
    const seriesBy = findCategory(columns, records, MAX_SERIES) ?? null;
    const groups = new Map<string, TimePoint[]>();
    for (const record of records) {
      const t = timeOf(record[time.name]);
      const value = record[measure.name];
      if (t === undefined || !isNumber(value)) continue;
      const key = seriesBy ? String(record[seriesBy.name] ?? '') : measure.label;
      const points = groups.get(key) ?? [];
      points.push({ t, value });
      groups.set(key, points);
    }
    const all = [...groups]
      .map(([name, points]) => ({ name, points: points.sort((a, b) => a.t - b.t) }))
      .filter((s) => s.points.length >= 2);
    // a line the sample caught only the start of (records come in key order) would mislead
    const longest = Math.max(0, ...all.map((s) => s.points.length));
    const series = all.filter((s) => s.points.length * 2 >= longest);
    if (series.length > 0) {
      const dateOnly =
        time.dataType === 'date' ||
        records.every(
          (r) =>
            typeof r[time.name] !== 'string' || /^\d{4}-\d{2}-\d{2}$/.test(String(r[time.name])),
        );
      return {
        kind: 'time-series',
        time,
        measure,
        seriesBy: seriesBy && groups.size > 1 ? seriesBy : null,
        series,
        dateOnly,
        sampleSize: records.length,
      };
    }
  }

  const category = findCategory(columns, records, 30);
  if (!category) return null;
  const totals = new Map<string, { sum: number; count: number; measured: number }>();
  for (const record of records) {
    const name = record[category.name];
    if (typeof name !== 'string' || name === '') continue;
    const entry = totals.get(name) ?? { sum: 0, count: 0, measured: 0 };
    entry.count += 1;
    const value = measure ? record[measure.name] : undefined;
    if (isNumber(value)) {
      entry.sum += value;
      entry.measured += 1;
    }
    totals.set(name, entry);
  }
  const bars = [...totals]
    .map(([name, { sum, count, measured }]) => ({
      name,
      count,
      value: measure ? (measured ? sum / measured : 0) : count,
    }))
    .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name))
    .slice(0, MAX_BARS);
  return {
    kind: 'category-bars',
    category,
    measure: measure ?? null,
    bars,
    sampleSize: records.length,
  };
}

/** Round axis ticks ("nice numbers") covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0];
  if (min === max) {
    const pad = Math.abs(min) || 1;
    min -= pad;
    max += pad;
  }
  const span = max - min;
  const rough = span / Math.max(count - 1, 1);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => span / s <= count) ?? 10 * magnitude;
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= max + step * 1e-9 || ticks.length < 2; v += step) {
    ticks.push(Number(v.toFixed(10)));
    if (ticks.length > 20) break;
  }
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((start + ticks.length * step).toFixed(10)));
  return ticks;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Beijing time has no daylight saving: days start at 16:00 UTC */
const CST_OFFSET = 8 * HOUR;
const TIME_STEPS = [
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  91 * DAY,
  365 * DAY,
];

/**
 * Time-axis ticks on round hours or days of Beijing time, at most `max` of them, and their
 * spacing (which says how precise their labels must be).
 */
export function timeTicks(tMin: number, tMax: number, max = 8): { ticks: number[]; step: number } {
  const span = Math.max(tMax - tMin, HOUR);
  const step = TIME_STEPS.find((s) => span / s <= max - 1) ?? 365 * DAY;
  const first = Math.ceil((tMin + CST_OFFSET) / step) * step - CST_OFFSET;
  const ticks: number[] = [];
  for (let t = first; t <= tMax; t += step) ticks.push(t);
  return { ticks, step };
}
