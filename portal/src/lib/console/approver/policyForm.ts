/**
 * The approval form ↔ the grant's terms, in one pure module used by both sides: the policy
 * editor (a client component) shows the expression and asks for a preview with it, and the
 * form's route handler sends exactly the same terms to the exchange. So what the approver saw
 * is what is granted, with or without JavaScript.
 */

export type ItemType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime';

export interface EditorItem {
  name: string;
  label: string;
  dataType: ItemType;
  isPersonal: boolean;
}

export type MaskChoice =
  | ''
  | 'keep_first_last'
  | 'hmac_pseudonym'
  | 'generalise_year'
  | 'generalise_month'
  | 'generalise_district'
  | 'redact';

export const MASK_CHOICES: readonly MaskChoice[] = [
  '',
  'keep_first_last',
  'hmac_pseudonym',
  'generalise_year',
  'generalise_month',
  'generalise_district',
  'redact',
];

/**
 * The masks offered for an item of each type: those the exchange grants on it (a year of a
 * 性别 would deliver the field empty, so the exchange refuses it; exchange-api's maskMisfit).
 * A choice carried back from a refused form stays offered, so the person sees what was refused.
 */
export function maskChoicesFor(type: ItemType, chosen?: string): readonly MaskChoice[] {
  return MASK_CHOICES.filter((c) => {
    if (c === chosen) return true;
    if (c === 'keep_first_last')
      return type === 'string' || type === 'integer' || type === 'number';
    if (c === 'generalise_year' || c === 'generalise_month')
      return type === 'date' || type === 'datetime';
    if (c === 'generalise_district') return type === 'string';
    return true;
  });
}

export const FILTER_OPS = ['=', '!=', '<', '<=', '>', '>=', 'prefix', 'in', 'is_null'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** at most this many row-filter conditions (the policy schema allows 50 per and/or) */
export const MAX_FILTER_ROWS = 20;

export type Scalar = string | number | boolean;
export type Mask =
  | { kind: 'keep_first_last'; first: number; last: number }
  | { kind: 'hmac_pseudonym' }
  | { kind: 'generalise'; to: 'year' | 'month' | 'district' }
  | { kind: 'redact' };
export type RowFilter =
  | { and: RowFilter[] }
  | { or: RowFilter[] }
  | { field: string; op: Exclude<FilterOp, 'in' | 'is_null'>; value: Scalar }
  | { field: string; op: 'in'; values: Scalar[] }
  | { field: string; op: 'is_null' };

export interface ApprovalTerms {
  fields: string[];
  masks?: Record<string, Mask>;
  rowFilter?: RowFilter;
  quotas?: { recordsPerDay?: number; requestsPerSecond?: number };
  validFrom?: string;
  validUntil?: string;
  comment?: string;
}

/** A problem with the form, by kind, for the caller to phrase in the visitor's language. */
export type FormProblem =
  | { kind: 'noFields' }
  | { kind: 'filterField' | 'filterValue' | 'filterNumber' | 'filterBoolean'; row: number }
  | { kind: 'quota' }
  | { kind: 'validity' }
  | { kind: 'keep'; label: string };

/** What the form holds, by input name (the same names the editor renders). */
export type FormLookup = {
  get(name: string): string;
  getAll(name: string): string[];
};

export const maskName = (field: string): string => `mask_${field}`;
export const keepFirstName = (field: string): string => `mask_${field}_first`;
export const keepLastName = (field: string): string => `mask_${field}_last`;
export const filterNames = (row: number) => ({
  field: `filter_field_${row}`,
  op: `filter_op_${row}`,
  value: `filter_value_${row}`,
});

/**
 * What 部分遮盖 keeps of an item when the approver leaves the numbers blank, by what the item's
 * label or name says it holds: a phone number its first 3 and last 4 digits (138****8000), a
 * person's name its first character (张**), an account or card number its last 4; else 1 and 1.
 * The editor shows these as the inputs' placeholders.
 */
export function keepDefaults(item: Pick<EditorItem, 'name' | 'label'>): {
  first: number;
  last: number;
} {
  const label = item.label;
  const name = item.name.toLowerCase();
  if (/手机|电话|联系方式/.test(label) || /mobile|phone|(^|_)tel($|_)/.test(name))
    return { first: 3, last: 4 };
  if (/姓名|联系人/.test(label)) return { first: 1, last: 0 };
  if (/银行卡|账号|卡号/.test(label) || /account|card_?no/.test(name)) return { first: 0, last: 4 };
  return { first: 1, last: 1 };
}

function maskOf(
  choice: string,
  first: string,
  last: string,
  defaults: { first: number; last: number },
): Mask | 'bad' | undefined {
  switch (choice) {
    case 'keep_first_last': {
      const f = first === '' ? defaults.first : Number(first);
      const l = last === '' ? defaults.last : Number(last);
      const ok = (n: number) => Number.isInteger(n) && n >= 0 && n <= 20;
      return ok(f) && ok(l) ? { kind: 'keep_first_last', first: f, last: l } : 'bad';
    }
    case 'hmac_pseudonym':
      return { kind: 'hmac_pseudonym' };
    case 'generalise_year':
      return { kind: 'generalise', to: 'year' };
    case 'generalise_month':
      return { kind: 'generalise', to: 'month' };
    case 'generalise_district':
      return { kind: 'generalise', to: 'district' };
    case 'redact':
      return { kind: 'redact' };
    default:
      return undefined;
  }
}

function typed(raw: string, type: ItemType | undefined): Scalar | 'number' | 'boolean' {
  if (type === 'integer' || type === 'number') {
    const n = Number(raw);
    return raw !== '' && Number.isFinite(n) && (type === 'number' || Number.isInteger(n))
      ? n
      : 'number';
  }
  if (type === 'boolean') {
    if (['true', '是', '1'].includes(raw)) return true;
    if (['false', '否', '0'].includes(raw)) return false;
    return 'boolean';
  }
  return raw;
}

function condition(
  form: FormLookup,
  row: number,
  types: Record<string, ItemType>,
): RowFilter | FormProblem | undefined {
  const names = filterNames(row);
  const field = form.get(names.field).trim();
  const op = form.get(names.op) as FilterOp;
  const raw = form.get(names.value).trim();
  // a row left entirely blank is no condition
  if (!field && !raw) return undefined;
  if (!field || !types[field]) return { kind: 'filterField', row: row + 1 };
  const safeOp: FilterOp = (FILTER_OPS as readonly string[]).includes(op) ? op : '=';
  if (safeOp === 'is_null') return { field, op: 'is_null' };
  if (!raw) return { kind: 'filterValue', row: row + 1 };
  const type = types[field];
  if (safeOp === 'in') {
    const values = raw
      .split(/[,，、]/)
      .map((v) => v.trim())
      .filter(Boolean)
      .map((v) => typed(v, type));
    const bad = values.find((v) => v === 'number' || v === 'boolean');
    if (bad) return { kind: bad === 'number' ? 'filterNumber' : 'filterBoolean', row: row + 1 };
    return { field, op: 'in', values: values as Scalar[] };
  }
  const value = typed(raw, safeOp === 'prefix' ? 'string' : type);
  if (value === 'number') return { kind: 'filterNumber', row: row + 1 };
  if (value === 'boolean') return { kind: 'filterBoolean', row: row + 1 };
  return { field, op: safeOp, value };
}

const isProblem = (x: object): x is FormProblem => 'kind' in x;

// a calendar day in the portal's users' time zone, as the instant the policy needs
const startOfDay = (day: string) => `${day}T00:00:00+08:00`;
const endOfDay = (day: string) => `${day}T23:59:59+08:00`;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The grant's terms from the approval form, or the problems that keep it from being one. The
 * exchange validates the terms again against the resource (types, fields, masks).
 */
export function termsFromForm(
  form: FormLookup,
  items: readonly EditorItem[],
): { terms: ApprovalTerms; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const types = Object.fromEntries(items.map((i) => [i.name, i.dataType]));
  const chosen = new Set(form.getAll('fields'));
  const fields = items.map((i) => i.name).filter((n) => chosen.has(n));
  if (fields.length === 0) problems.push({ kind: 'noFields' });
  const masks: Record<string, Mask> = {};
  for (const item of items) {
    if (!chosen.has(item.name)) continue;
    const mask = maskOf(
      form.get(maskName(item.name)),
      form.get(keepFirstName(item.name)).trim(),
      form.get(keepLastName(item.name)).trim(),
      keepDefaults(item),
    );
    if (mask === 'bad') problems.push({ kind: 'keep', label: item.label });
    else if (mask) masks[item.name] = mask;
  }
  const conditions: RowFilter[] = [];
  for (let row = 0; row < MAX_FILTER_ROWS; row += 1) {
    const c = condition(form, row, types);
    if (!c) continue;
    if (isProblem(c)) problems.push(c);
    else conditions.push(c);
  }
  const join = form.get('filter_join') === 'or' ? 'or' : 'and';
  const rowFilter: RowFilter | undefined =
    conditions.length === 0
      ? undefined
      : conditions.length === 1
        ? conditions[0]
        : join === 'or'
          ? { or: conditions }
          : { and: conditions };
  const quotas: NonNullable<ApprovalTerms['quotas']> = {};
  for (const key of ['recordsPerDay', 'requestsPerSecond'] as const) {
    const raw = form.get(key).trim();
    if (!raw) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || (key === 'requestsPerSecond' && n > 10_000))
      problems.push({ kind: 'quota' });
    else quotas[key] = n;
  }
  const from = form.get('validFrom').trim();
  const until = form.get('validUntil').trim();
  if ((from && !DAY.test(from)) || (until && !DAY.test(until)) || (from && until && until < from))
    problems.push({ kind: 'validity' });
  const comment = form.get('comment').trim();
  return {
    terms: {
      fields,
      ...(Object.keys(masks).length ? { masks } : {}),
      ...(rowFilter ? { rowFilter } : {}),
      ...(Object.keys(quotas).length ? { quotas } : {}),
      ...(from && DAY.test(from) ? { validFrom: startOfDay(from) } : {}),
      ...(until && DAY.test(until) ? { validUntil: endOfDay(until) } : {}),
      ...(comment ? { comment: comment.slice(0, 4000) } : {}),
    },
    problems,
  };
}

/** A FormData as a FormLookup (absent fields are ''). */
export function lookupFormData(form: FormData): FormLookup {
  return {
    get: (name) => {
      const v = form.get(name);
      return typeof v === 'string' ? v : '';
    },
    getAll: (name) => form.getAll(name).filter((v): v is string => typeof v === 'string'),
  };
}

/** The sentence for one form problem, from the editor's problem texts. */
export function formProblemText(
  problem: FormProblem,
  t: {
    noFields: string;
    filterField: (i: number) => string;
    filterValue: (i: number) => string;
    filterNumber: (i: number) => string;
    filterBoolean: (i: number) => string;
    quota: string;
    validity: string;
    keep: (label: string) => string;
  },
): string {
  switch (problem.kind) {
    case 'noFields':
      return t.noFields;
    case 'quota':
      return t.quota;
    case 'validity':
      return t.validity;
    case 'keep':
      return t.keep(problem.label);
    default:
      return t[problem.kind](problem.row);
  }
}
