import type { StewardText } from '../../i18n/console/steward.ts';

/**
 * History diffs address fields by JSON pointer (`/name`, `/items/id_number/label`). A steward
 * reads 字段 / 原值 / 新值 in Chinese: pointers become labels, coded values their names.
 */
export function readablePath(path: string, t: StewardText): string {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return t.field.name ?? path;
  const [head, ...rest] = parts;
  if (head === 'items' && rest.length > 0) {
    const [name, key] = rest;
    return `${t.field.items}「${name}」${key ? ` · ${t.item[key] ?? key}` : ''}`;
  }
  const base = t.field[head!] ?? head!;
  return rest.length ? `${base} · ${rest.join(' · ')}` : base;
}

const CODED: Record<string, keyof StewardText> = {
  status: 'status',
  format: 'format',
  sharingType: 'sharingType',
  openType: 'openType',
  updateCycle: 'updateCycle',
  dataGrade: 'grade',
  dataType: 'dataType',
  sharingMethods: 'sharingMethod',
};

const SUB_CLASS = /^\d{6}$/;

/**
 * A 资源分类 as a steward reads it. The platform names no 目 or 细目 (the guide leaves them to
 * each catalogue, and the template takes only the six digits), so the class part (类项) is named
 * by its theme, which the entry's code starts with, and 目 and 细目 by their numbers.
 */
export function subClassText(code: string, t: StewardText, themeName?: string): string {
  return SUB_CLASS.test(code) ? t.subClass(code, themeName) : code;
}

/** A diff value as text: labels for coded values, 是/否, lists joined, '—' for nothing. */
export function readableValue(path: string, value: unknown, t: StewardText): string {
  if (value === null || value === undefined || value === '') return '—';
  const key = path.split('/').filter(Boolean).at(-1) ?? '';
  if (key === 'subClassCode' && typeof value === 'string') return subClassText(value, t);
  const labels = CODED[key] ? (t[CODED[key]] as Record<string, string>) : undefined;
  const one = (v: unknown): string => {
    if (typeof v === 'boolean') return v ? t.yes : t.no;
    if (typeof v === 'string') return labels?.[v] ?? v;
    if (typeof v === 'number') return String(v);
    if (v && typeof v === 'object' && 'label' in v && 'name' in v)
      return `${String((v as { label: unknown }).label)}（${String((v as { name: unknown }).name)}）`;
    return JSON.stringify(v);
  };
  return Array.isArray(value) ? (value.length ? value.map(one).join('、') : '—') : one(value);
}

export interface DiffRow {
  path: string;
  before?: unknown;
  after?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A change of the whole record (path `/`, as a creation or an import records it) becomes one row
 * per field that differs, so a new entry reads as its fields rather than as one JSON blob.
 */
export function diffRows(diff: readonly DiffRow[]): DiffRow[] {
  return diff.flatMap((d) => {
    if (d.path !== '/' || !isRecord(d.after) || (d.before !== null && !isRecord(d.before)))
      return [d];
    const before = isRecord(d.before) ? d.before : {};
    const after = d.after;
    return Object.keys(after)
      .filter((key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null))
      .filter((key) => !(before[key] == null && (after[key] == null || after[key] === '')))
      .filter(
        (key) =>
          !(
            Array.isArray(after[key]) &&
            (after[key] as unknown[]).length === 0 &&
            before[key] == null
          ),
      )
      .map((key) => ({ path: `/${key}`, before: before[key] ?? null, after: after[key] ?? null }));
  });
}
