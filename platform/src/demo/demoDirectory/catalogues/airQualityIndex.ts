/**
 * The air quality index of HJ 633-2012 (环境空气质量指数（AQI）技术规定（试行）): each
 * pollutant's individual index (IAQI) by linear interpolation over the breakpoints of its
 * Table 1, the AQI as the largest IAQI, the primary pollutant(s) and the category. Pure: the
 * demo's air-quality records are made from it, and its tests check them against it.
 */

export type Pollutant = 'PM2.5' | 'PM10' | 'O3' | 'NO2' | 'SO2' | 'CO';

/**
 * `daily` (日报): 24-hour averages, O3 as the day's maximum 8-hour average; `hourly` (实时报):
 * 1-hour averages. PM2.5 and PM10 have 24-hour breakpoints only, which both use.
 */
export type Averaging = 'daily' | 'hourly';

/** The order in which tied primary pollutants are listed (the records' field order). */
export const POLLUTANTS: readonly Pollutant[] = ['PM2.5', 'PM10', 'O3', 'NO2', 'SO2', 'CO'];

/** IAQI at each breakpoint (Table 1, first row). */
export const IAQI_BREAKPOINTS = [0, 50, 100, 150, 200, 300, 400, 500] as const;

/**
 * Concentration breakpoints of HJ 633-2012 Table 1 (μg/m³; CO in mg/m³), one for each IAQI of
 * `IAQI_BREAKPOINTS`. Shorter rows stop where the standard stops: SO2 1-hour above 800 and
 * O3 8-hour above 800 are reported from the other average (notes 3 and 4 of the table).
 */
export const CONCENTRATION_BREAKPOINTS: Readonly<
  Record<Averaging, Readonly<Record<Pollutant, readonly number[]>>>
> = {
  daily: {
    SO2: [0, 50, 150, 475, 800, 1600, 2100, 2620],
    NO2: [0, 40, 80, 180, 280, 565, 750, 940],
    PM10: [0, 50, 150, 250, 350, 420, 500, 600],
    CO: [0, 2, 4, 14, 24, 36, 48, 60],
    O3: [0, 100, 160, 215, 265, 800],
    'PM2.5': [0, 35, 75, 115, 150, 250, 350, 500],
  },
  hourly: {
    SO2: [0, 150, 500, 650, 800],
    NO2: [0, 100, 200, 700, 1200, 2340, 3090, 3840],
    PM10: [0, 50, 150, 250, 350, 420, 500, 600],
    CO: [0, 5, 10, 35, 60, 90, 120, 150],
    O3: [0, 160, 200, 300, 400, 800, 1000, 1200],
    'PM2.5': [0, 35, 75, 115, 150, 250, 350, 500],
  },
};

/**
 * A pollutant's IAQI: IAQI_Lo + (IAQI_Hi − IAQI_Lo) / (BP_Hi − BP_Lo) × (C − BP_Lo) over the
 * breakpoints around C, rounded up to an integer. A concentration beyond the table's last
 * breakpoint (or negative) is a RangeError: the standard computes no IAQI for it.
 */
export function individualAqi(
  pollutant: Pollutant,
  concentration: number,
  averaging: Averaging,
): number {
  const bp = CONCENTRATION_BREAKPOINTS[averaging][pollutant];
  if (!Number.isFinite(concentration) || concentration < 0 || concentration > bp.at(-1)!) {
    throw new RangeError(`no ${averaging} IAQI for ${pollutant} at ${concentration}`);
  }
  let i = 1;
  while (concentration > bp[i]!) i += 1;
  const [cLo, cHi] = [bp[i - 1]!, bp[i]!];
  const [iLo, iHi] = [IAQI_BREAKPOINTS[i - 1]!, IAQI_BREAKPOINTS[i]!];
  const exact = iLo + ((iHi - iLo) * (concentration - cLo)) / (cHi - cLo);
  // rounding up, without letting floating-point noise (50.000000001) add one
  return Math.ceil(Number(exact.toFixed(6)));
}

/** 优 … 严重污染 (HJ 633-2012 Table 2). */
export function aqiCategory(aqi: number): string {
  if (aqi <= 50) return '优';
  if (aqi <= 100) return '良';
  if (aqi <= 150) return '轻度污染';
  if (aqi <= 200) return '中度污染';
  if (aqi <= 300) return '重度污染';
  return '严重污染';
}

export interface AirQuality {
  aqi: number;
  iaqi: Partial<Record<Pollutant, number>>;
  /** the pollutants with the largest IAQI when the AQI is above 50, else none */
  primary: Pollutant[];
  category: string;
}

/** AQI = max IAQI; the primary pollutant(s) are those at the max, and only when AQI > 50. */
export function airQuality(
  concentrations: Partial<Record<Pollutant, number>>,
  averaging: Averaging,
): AirQuality {
  const iaqi: Partial<Record<Pollutant, number>> = {};
  for (const p of POLLUTANTS) {
    const c = concentrations[p];
    if (c !== undefined) iaqi[p] = individualAqi(p, c, averaging);
  }
  const measured = POLLUTANTS.filter((p) => iaqi[p] !== undefined);
  if (measured.length === 0) throw new RangeError('no pollutant to index');
  const aqi = Math.max(...measured.map((p) => iaqi[p]!));
  const primary = aqi > 50 ? measured.filter((p) => iaqi[p] === aqi) : [];
  return { aqi, iaqi, primary, category: aqiCategory(aqi) };
}

/** How the demo records write 首要污染物: `—` for none, tied pollutants joined with `,`. */
export const NO_PRIMARY_POLLUTANT = '—';
export const formatPrimaryPollutants = (primary: readonly Pollutant[]) =>
  primary.length === 0 ? NO_PRIMARY_POLLUTANT : primary.join(',');
