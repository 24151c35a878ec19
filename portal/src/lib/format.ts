import type { Locale } from './i18n/locales.ts';

/** The platform's users read times in China Standard Time, whatever the server's zone. */
const TIME_ZONE = 'Asia/Shanghai';

function parts(value: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(value)) {
    out[part.type] = part.value;
  }
  return out;
}

function toDate(value: string | Date): Date | undefined {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** 2026-11-21 (a plain date stays as written: it has no time zone). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const date = toDate(value);
  if (!date) return value;
  const p = parts(date);
  return `${p.year}-${p.month}-${p.day}`;
}

/** 2026-11-21 19:54, Beijing time. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const date = toDate(value);
  if (!date) return String(value);
  const p = parts(date);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** 11-21 19:00 — compact, for chart axes */
export function formatShortDateTime(value: Date, withTime: boolean): string {
  const p = parts(value);
  return withTime ? `${p.month}-${p.day} ${p.hour}:${p.minute}` : `${p.year}-${p.month}-${p.day}`;
}

/** A time-axis label: as precise as the ticks' spacing needs, no more. */
export function formatAxisTime(value: Date, stepMs: number): string {
  const p = parts(value);
  if (stepMs < 24 * 3_600_000) return `${p.month}-${p.day} ${p.hour}:${p.minute}`;
  if (stepMs < 28 * 24 * 3_600_000) return `${p.month}-${p.day}`;
  return stepMs < 365 * 24 * 3_600_000 ? `${p.year}-${p.month}` : `${p.year}`;
}

export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-CN', {
    maximumFractionDigits: 2,
  }).format(value);
}

/** A cell of the preview table: dates in Beijing time, the rest as the API gave it. */
export function formatCell(value: unknown, dataType: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (dataType === 'datetime' && typeof value === 'string') return formatDateTime(value);
  // as given: a longitude keeps its six decimals, a year or an ID number no thousands comma
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
