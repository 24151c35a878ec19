import type { StewardText } from './i18n/console/steward.ts';

/**
 * History diffs address fields by JSON pointer (`/name`, `/items/id_number/label`). A reader —
 * the steward in the console's history table, anyone on a public dataset's 变更记录 — reads
 * 字段 / 原值 / 新值 in words: pointers become labels, coded values their names.
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

/** The names of an entry's coded values by diff path (`/themeCode` → theme code → its name). */
export type HistoryNames = Record<string, ReadonlyMap<string, string>>;

/**
 * What an entry's history names its coded values by: the directory's themes, the provider's
 * statutory functions (三定职责), the provider, and the 资源分类 of the entry's code (its 类项 is
 * the theme's at coding). All of it is public (`GET /v1/themes`, `GET /v1/functions`, the entry
 * itself), so the public dataset page names them as the steward's console does.
 */
export function historyNames(
  {
    code,
    provider,
    themes,
    functions,
  }: {
    code: string;
    provider: { code: string; name: string };
    themes: readonly { code: string; name: string; classCode: string }[];
    functions: readonly { code: string; name: string }[];
  },
  t: StewardText,
): HistoryNames {
  const subClass = code.slice(3, 9);
  const classTheme = themes.find((th) => th.classCode === code.slice(0, 3));
  return {
    '/themeCode': new Map(themes.map((th) => [th.code, th.name])),
    '/functionCode': new Map(functions.map((f) => [f.code, `${f.name}（${f.code}）`])),
    '/providerCode': new Map([[provider.code, provider.name]]),
    '/subClassCode': new Map([[subClass, subClassText(subClass, t, classTheme?.name)]]),
  };
}

/** One changed field as a person reads it: the field's name, its old and its new value. */
export interface ReadableDiffRow {
  path: string;
  field: string;
  before: string;
  after: string;
}

/**
 * A change's diff as rows of words (diffRows, readablePath, readableValue), coded values by the
 * names given: what the console's history table and the public 变更记录 both show.
 */
export function readableDiff(
  diff: readonly DiffRow[],
  names: HistoryNames,
  t: StewardText,
): ReadableDiffRow[] {
  const value = (path: string, v: unknown) =>
    typeof v === 'string' && names[path]?.has(v) ? names[path].get(v)! : readableValue(path, v, t);
  return diffRows(diff).map((d) => ({
    path: d.path,
    field: readablePath(d.path, t),
    before: value(d.path, d.before),
    after: value(d.path, d.after),
  }));
}
