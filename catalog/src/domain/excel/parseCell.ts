import { codeOfLabel, LIST_SEPARATOR, NO, YES } from './labels.ts';
import type { CellKind } from './workbookLayout.ts';

/** A cell as read from the workbook: formulas are replaced by their cached result. */
export type CellValue = string | number | boolean | Date | { error: string } | null;

/** Reference data a cell is resolved against (themes by name, the importer's department). */
export interface CellContext {
  themes: readonly { code: string; name: string }[];
  department: { code: string; name: string; shortName: string | null };
  functions: readonly { code: string; name: string }[];
}

export type ParsedCell = { blank: true } | { value: unknown } | { error: string };

const RESOURCE_CODE = /^[1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}$/;
/** Excel's day 0 is 1899-12-30 (after its 1900 leap-year bug) */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

const quote = (text: string) => `「${text.length > 40 ? `${text.slice(0, 40)}…` : text}」`;

function isBlank(value: CellValue): boolean {
  return value === null || (typeof value === 'string' && value.length === 0);
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Text of a cell for text-like columns; numbers keep all their digits (phone numbers). */
function asText(value: Exclude<CellValue, null | { error: string }>): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? YES : NO;
  if (value instanceof Date) return isoDate(value);
  return Number.isInteger(value) ? value.toFixed(0) : String(value);
}

function parseDate(value: Exclude<CellValue, null | { error: string }>): ParsedCell {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { error: '不是有效的日期' };
    return { value: isoDate(value) };
  }
  if (typeof value === 'number') {
    // a date cell whose number format the reader did not resolve: Excel's serial day number
    if (value < 1 || value > 2_958_465)
      return { error: `应为日期（如 2024-01-31），实际是 ${value}` };
    return { value: isoDate(new Date(EXCEL_EPOCH_MS + Math.floor(value) * DAY_MS)) };
  }
  const text = asText(value).trim();
  const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/u.exec(text);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() === month - 1 && date.getUTCDate() === day)
      return { value: isoDate(date) };
  }
  return { error: `应为日期（如 2024-01-31），实际是${quote(text)}` };
}

function parseInteger(value: Exclude<CellValue, null | { error: string }>): ParsedCell {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { value } : { error: `应为整数，实际是 ${value}` };
  }
  const text = asText(value).trim();
  if (/^[+-]?\d{1,15}$/.test(text)) return { value: Number(text) };
  return { error: `应为整数，实际是${quote(text)}` };
}

function parseBoolean(value: Exclude<CellValue, null | { error: string }>): ParsedCell {
  if (typeof value === 'boolean') return { value };
  const text = asText(value).trim().toLowerCase();
  if ([YES, 'y', 'yes', 'true', '1', '√'].includes(text)) return { value: true };
  if ([NO, 'n', 'no', 'false', '0', '×'].includes(text)) return { value: false };
  return { error: `应填「${YES}」或「${NO}」，实际是${quote(asText(value))}` };
}

function splitList(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(LIST_SEPARATOR)) {
    const trimmed = part.trim();
    if (trimmed) seen.add(trimmed);
  }
  return [...seen];
}

/**
 * Read one cell as a value of the resource input, in Chinese terms: labels become codes,
 * 是/否 becomes a boolean, dates become `YYYY-MM-DD`. A wrong cell gives a Chinese message
 * saying what was expected and what was found. Lengths and patterns are left to the resource
 * input schema so that the rules live in one place.
 */
export function parseCell(kind: CellKind, raw: CellValue, context: CellContext): ParsedCell {
  if (raw !== null && typeof raw === 'object' && !(raw instanceof Date)) {
    return { error: `单元格是错误值 ${raw.error}，请改正公式或填写数值` };
  }
  if (isBlank(raw)) return { blank: true };
  const value = raw as Exclude<CellValue, null | { error: string }>;
  switch (kind.type) {
    case 'text':
      return { value: asText(value) };
    case 'sequence': {
      const text = asText(value).trim();
      return text ? { value: text } : { blank: true };
    }
    case 'resourceCode': {
      const text = asText(value).trim().toUpperCase();
      if (!text) return { blank: true };
      return RESOURCE_CODE.test(text)
        ? { value: text }
        : { error: `资源代码格式不正确${quote(text)}，应如 101001001-MB1234567-000001` };
    }
    case 'subClass': {
      const text =
        typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1e6
          ? String(value).padStart(6, '0')
          : asText(value).trim();
      return /^[0-9]{6}$/.test(text)
        ? { value: text }
        : { error: `应为 6 位数字（目 3 位 + 细目 3 位，如 001001），实际是${quote(text)}` };
    }
    case 'enum': {
      const text = asText(value).trim();
      const code = codeOfLabel(kind.labels, text);
      return code
        ? { value: code }
        : {
            error: `${quote(text)}不是有效的${kind.what}，可选：${Object.values(kind.labels).join('、')}`,
          };
    }
    case 'enumList': {
      const codes: string[] = [];
      for (const part of splitList(asText(value))) {
        const code = codeOfLabel(kind.labels, part);
        if (!code) {
          return {
            error: `${quote(part)}不是有效的${kind.what}，可选：${Object.values(kind.labels).join('、')}（多个用「、」分隔）`,
          };
        }
        if (!codes.includes(code)) codes.push(code);
      }
      return { value: codes };
    }
    case 'textList':
      return { value: splitList(asText(value)) };
    case 'date':
      return parseDate(value);
    case 'integer':
      return parseInteger(value);
    case 'boolean':
      return parseBoolean(value);
    case 'theme': {
      const text = asText(value).trim();
      const theme = context.themes.find((t) => t.name === text || t.code === text);
      return theme
        ? { value: theme.code }
        : { error: `没有名为${quote(text)}的主题分类，请从下拉列表选择（见「填写说明」）` };
    }
    case 'department': {
      const text = asText(value).trim();
      const own = context.department;
      return text === own.code || text === own.name || text === own.shortName
        ? { value: own.code }
        : { error: `只能导入本部门（${own.name}）的信息资源，此行的提供方是${quote(text)}` };
    }
    case 'function': {
      const text = asText(value).trim();
      const fn = context.functions.find((f) => f.code === text || f.name === text);
      return fn
        ? { value: fn.code }
        : { error: `本部门没有编码或名称为${quote(text)}的三定职责（见「填写说明」）` };
    }
  }
}
