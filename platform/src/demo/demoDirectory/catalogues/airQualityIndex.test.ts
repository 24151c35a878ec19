import { describe, expect, it } from 'vitest';
import { DEMO_DEPARTMENTS } from '../../demoOrganisation.ts';
import { generateDemoDirectory } from '../generateDemoDirectory.ts';
import {
  airQuality,
  aqiCategory,
  formatPrimaryPollutants,
  individualAqi,
  NO_PRIMARY_POLLUTANT,
  POLLUTANTS,
  type Pollutant,
} from './airQualityIndex.ts';

describe('HJ 633-2012 individual air quality index', () => {
  it('is the table’s IAQI at each breakpoint', () => {
    expect(individualAqi('PM2.5', 0, 'daily')).toBe(0);
    expect(individualAqi('PM2.5', 35, 'daily')).toBe(50);
    expect(individualAqi('PM2.5', 75, 'daily')).toBe(100);
    expect(individualAqi('PM2.5', 115, 'daily')).toBe(150);
    expect(individualAqi('PM2.5', 150, 'daily')).toBe(200);
    expect(individualAqi('PM2.5', 500, 'daily')).toBe(500);
    expect(individualAqi('PM10', 150, 'daily')).toBe(100);
    expect(individualAqi('O3', 160, 'daily')).toBe(100); // maximum 8-hour average
    expect(individualAqi('O3', 200, 'hourly')).toBe(100); // 1-hour average
    expect(individualAqi('NO2', 80, 'daily')).toBe(100);
    expect(individualAqi('NO2', 200, 'hourly')).toBe(100);
    expect(individualAqi('SO2', 150, 'daily')).toBe(100);
    expect(individualAqi('SO2', 150, 'hourly')).toBe(50);
    expect(individualAqi('CO', 4, 'daily')).toBe(100);
    expect(individualAqi('CO', 10, 'hourly')).toBe(100);
  });

  it('interpolates linearly between breakpoints and rounds up', () => {
    expect(individualAqi('PM2.5', 55, 'daily')).toBe(75); // 50 + 50 × 20/40
    expect(individualAqi('PM2.5', 36, 'daily')).toBe(52); // 51.25
    expect(individualAqi('PM2.5', 10, 'daily')).toBe(15); // 14.29
    expect(individualAqi('PM10', 100, 'daily')).toBe(75);
    expect(individualAqi('O3', 180, 'hourly')).toBe(75);
    expect(individualAqi('CO', 0.7, 'daily')).toBe(18); // 17.5
    expect(individualAqi('CO', 0.7, 'hourly')).toBe(7);
  });

  it('computes no IAQI beyond the table (SO2 1-hour above 800, O3 8-hour above 800)', () => {
    expect(() => individualAqi('SO2', 801, 'hourly')).toThrow(RangeError);
    expect(() => individualAqi('O3', 801, 'daily')).toThrow(RangeError);
    expect(() => individualAqi('PM2.5', -1, 'daily')).toThrow(RangeError);
    expect(individualAqi('O3', 801, 'hourly')).toBe(301);
  });
});

describe('HJ 633-2012 air quality index', () => {
  it('is the largest IAQI; the primary pollutant is the one at it when the AQI is above 50', () => {
    const q = airQuality({ 'PM2.5': 55, PM10: 80, O3: 120, NO2: 30, SO2: 8, CO: 0.7 }, 'daily');
    expect(q.iaqi).toEqual({ 'PM2.5': 75, PM10: 65, O3: 67, NO2: 38, SO2: 8, CO: 18 });
    expect(q).toMatchObject({ aqi: 75, primary: ['PM2.5'], category: '良' });
    expect(formatPrimaryPollutants(q.primary)).toBe('PM2.5');
  });

  it('has no primary pollutant when the AQI is 50 or less', () => {
    const q = airQuality({ 'PM2.5': 35, PM10: 40, O3: 60 }, 'daily');
    expect(q).toMatchObject({ aqi: 50, primary: [], category: '优' });
    expect(formatPrimaryPollutants(q.primary)).toBe(NO_PRIMARY_POLLUTANT);
  });

  it('lists tied pollutants together', () => {
    const q = airQuality({ 'PM2.5': 75, PM10: 150, O3: 100 }, 'daily');
    expect(q).toMatchObject({ aqi: 100, primary: ['PM2.5', 'PM10'] });
    expect(formatPrimaryPollutants(q.primary)).toBe('PM2.5,PM10');
  });

  it('names the categories by the AQI bands', () => {
    expect([0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500].map(aqiCategory)).toEqual([
      '优',
      '优',
      '良',
      '良',
      '轻度污染',
      '轻度污染',
      '中度污染',
      '中度污染',
      '重度污染',
      '重度污染',
      '严重污染',
      '严重污染',
    ]);
  });
});

describe('the demo’s air quality records', () => {
  const environment = DEMO_DEPARTMENTS.filter((d) => d.code === 'hz-sthj');
  const primaryOf = (value: unknown) =>
    value === NO_PRIMARY_POLLUTANT ? [] : String(value).split(',');

  // winter (particles) and summer (ozone) readings
  for (const asOf of ['2026-11-21T08:00:00Z', '2026-07-15T04:00:00Z']) {
    const directory = generateDemoDirectory({ asOf: new Date(asOf), departments: environment });
    const records = (name: string) => {
      const resource = directory.resources.find((r) => r.input.name === name);
      expect(resource?.records.length, name).toBeGreaterThan(0);
      return resource!.records.map((r) => r.data);
    };

    it(`agree with their concentrations by the 1-hour table (as of ${asOf})`, () => {
      const hourly = records('空气质量小时监测数据');
      expect(hourly).toHaveLength(1680);
      for (const r of hourly) {
        const label = String(r.reading_id);
        const concentrations: Record<Pollutant, number> = {
          'PM2.5': r.pm25 as number,
          PM10: r.pm10 as number,
          O3: r.o3 as number,
          NO2: r.no2 as number,
          SO2: r.so2 as number,
          CO: r.co as number,
        };
        for (const field of ['pm25', 'pm10', 'o3', 'no2', 'so2']) {
          expect(Number.isInteger(r[field]), `${label} ${field}`).toBe(true);
        }
        expect(r.pm10 as number, `${label}: PM10 includes PM2.5`).toBeGreaterThanOrEqual(
          r.pm25 as number,
        );
        const q = airQuality(concentrations, 'hourly');
        expect(r.aqi, label).toBe(Math.max(...POLLUTANTS.map((p) => q.iaqi[p]!)));
        expect(primaryOf(r.primary_pollutant), label).toEqual(q.primary);
        expect(r.quality_level, label).toBe(aqiCategory(r.aqi as number));
        expect(String(r.primary_pollutant).length, label).toBeLessThanOrEqual(14);
      }
      // not every hour is clean, not every hour polluted
      expect(hourly.some((r) => r.primary_pollutant === NO_PRIMARY_POLLUTANT)).toBe(true);
      expect(hourly.some((r) => (r.aqi as number) > 100)).toBe(true);
    });

    it(`report a level and primary pollutant that match the daily index (as of ${asOf})`, () => {
      const daily = records('空气质量日报');
      expect(daily).toHaveLength(900);
      for (const r of daily) {
        const label = String(r.report_id);
        const aqi = r.aqi as number;
        expect(Number.isInteger(aqi), label).toBe(true);
        expect(r.level, label).toBe(aqiCategory(aqi));
        const primary = primaryOf(r.primary_pollutant);
        expect(primary.length > 0, label).toBe(aqi > 50);
        for (const p of primary) expect(POLLUTANTS, label).toContain(p);
        expect(String(r.primary_pollutant).length, label).toBeLessThanOrEqual(14);
      }
    });
  }
});
