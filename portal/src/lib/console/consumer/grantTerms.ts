import type { ApproverText } from '../../i18n/console/approver.ts';
import type { ConsumerText } from '../../i18n/console/consumer.ts';

/** A grant's policy as the exchange stores it (schemas/json/exchange/policy.schema.json). */
interface GrantPolicy {
  fields?: string[];
  masks?: Record<string, { kind?: string; first?: number; last?: number; to?: string }>;
  rowFilter?: unknown;
  quotas?: { recordsPerDay?: number; requestsPerSecond?: number };
}

export interface GrantTermsText {
  fields: string;
  masks: string[];
  filter: string;
  quotas: string;
}

type Words = { a: ApproverText; t: ConsumerText; labels: ReadonlyMap<string, string> };

const fieldName = (field: string, labels: ReadonlyMap<string, string>) =>
  labels.get(field) ?? field;

function maskText(mask: NonNullable<GrantPolicy['masks']>[string], { a, t }: Words): string {
  if (mask.kind === 'keep_first_last') return t.keep(mask.first ?? 0, mask.last ?? 0);
  if (mask.kind === 'generalise') return a.editor.masks[`generalise_${mask.to}`] ?? 'generalise';
  return a.editor.masks[mask.kind ?? ''] ?? String(mask.kind);
}

const value = (v: unknown) => (typeof v === 'string' ? `“${v}”` : String(v));

/**
 * A row filter in words (`所属区县 等于 “西湖区”`), in the expression language of the policy
 * schema: and / or / not over one field compared with constants. Anything else is shown as JSON.
 */
export function filterText(expression: unknown, words: Words): string {
  const e = expression as Record<string, unknown>;
  const { a, t } = words;
  const joined = (parts: unknown[], word: string) =>
    parts.map((p) => `（${filterText(p, words)}）`).join(` ${word} `);
  if (Array.isArray(e?.and)) return joined(e.and, t.and);
  if (Array.isArray(e?.or)) return joined(e.or, t.or);
  if (e && 'not' in e) return `${t.not}（${filterText(e.not, words)}）`;
  if (typeof e?.field === 'string' && typeof e.op === 'string') {
    const field = fieldName(e.field, words.labels);
    if (e.op === 'in' && Array.isArray(e.values))
      return `${field} ${t.in} ${e.values.map(value).join('、')}`;
    const op = a.editor.ops[e.op] ?? e.op;
    return e.op === 'is_null' ? `${field} ${op}` : `${field} ${op} ${value(e.value)}`;
  }
  return JSON.stringify(expression);
}

/** What a grant lets its holder have, in the reader's words. */
export function grantTermsText(policy: unknown, words: Words): GrantTermsText {
  const p = (policy ?? {}) as GrantPolicy;
  const { t } = words;
  const masks = Object.entries(p.masks ?? {}).map(
    ([field, mask]) => `${fieldName(field, words.labels)}：${maskText(mask, words)}`,
  );
  const quotas = [
    p.quotas?.recordsPerDay ? t.perDay(p.quotas.recordsPerDay) : '',
    p.quotas?.requestsPerSecond ? t.perSecond(p.quotas.requestsPerSecond) : '',
  ].filter(Boolean);
  return {
    fields: (p.fields ?? []).map((f) => `${fieldName(f, words.labels)}（${f}）`).join('、'),
    masks: masks.length ? masks : [t.noMasks],
    filter: p.rowFilter ? filterText(p.rowFilter, words) : t.noFilter,
    quotas: quotas.length ? quotas.join('，') : t.noQuotas,
  };
}
