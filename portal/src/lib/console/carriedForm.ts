import { seal, unseal } from '../auth/sessionCrypto.ts';
import type { ActionOutcome } from './consoleAction.ts';
import type { Flash } from './flash.ts';

const TTL_SECONDS = 300;
/**
 * The longest sealed form carried in a URL: two fields of 4 000 Chinese characters (12 KB of
 * UTF-8 each) fit once deflated, and the portal's server takes request heads up to 64 KiB
 * (server/main.ts); a proxy in front must allow as much (docs/operations.md). Beyond this the
 * form is filled in again on the page.
 */
const MAX_SEALED = 40_000;
/** the forms' own plumbing, not the person's choices */
const NOT_CARRIED = new Set(['op', 'id', 'reason']);

/** A form's choices by field name (a name may repeat, like `fields`). */
export type CarriedForm = Record<string, string[]>;

/**
 * The forms whose choices come back with a refusal, each sealed under its own purpose so one
 * form's sealed value never fills another: the console's, and the public portal's (数据需求,
 * a dataset's 申请使用, 评分 and 数据纠错, which are also sealed for the person who typed them).
 */
export type CarriedFormKind =
  | 'console-policy-form'
  | 'console-sharing-request-form'
  | 'console-objection-form'
  | 'console-objection-step'
  | 'console-connector-form'
  | 'portal-request-form'
  | 'portal-apply-form'
  | 'portal-review-form'
  | 'portal-report-form';

/**
 * When a long form is refused (a form problem, or the API's answer), its page comes back with
 * the person's choices — for an approval: fields, masks, row filter, quotas, validity, comment;
 * for a sharing request: fields, purposes, legal basis, modes, period — so a refusal never costs
 * their work: sealed (encrypted, short-lived) in a query parameter, like the flash message.
 * Undefined when it would be too long for a URL. With an `owner` (the session's subject) only
 * that person's page fills the form with it: a link passed on fills nobody else's form.
 */
export async function sealForm(
  kind: CarriedFormKind,
  form: FormData,
  owner?: string,
): Promise<string | undefined> {
  const carried: CarriedForm = {};
  for (const [name, value] of form.entries()) {
    if (NOT_CARRIED.has(name) || typeof value !== 'string') continue;
    (carried[name] ??= []).push(value.slice(0, 4000));
  }
  const sealed = await seal(kind, owner ? { carried, owner } : { carried }, TTL_SECONDS, {
    compress: true,
  });
  return sealed.length <= MAX_SEALED ? sealed : undefined;
}

/** The choices sealed for `kind` (and for `owner`, when sealed for one), or undefined. */
export async function unsealForm(
  kind: CarriedFormKind,
  value: string | string[] | undefined,
  owner?: string,
): Promise<CarriedForm | undefined> {
  const opened = await unseal<{ carried?: unknown; owner?: unknown }>(
    kind,
    typeof value === 'string' ? value : undefined,
  );
  if ((opened?.owner ?? undefined) !== (owner || undefined)) return undefined;
  const carried = opened?.carried;
  if (!carried || typeof carried !== 'object') return undefined;
  const clean: CarriedForm = {};
  for (const [name, values] of Object.entries(carried as Record<string, unknown>)) {
    if (Array.isArray(values))
      clean[name] = values.filter((v): v is string => typeof v === 'string');
  }
  return clean;
}

/** The first value carried for `name`, or undefined. */
export function carriedValue(carried: CarriedForm | undefined, name: string): string | undefined {
  return carried?.[name]?.[0];
}

/**
 * The carried choices as form data again, so a page can read them with its handler's own checks
 * and point the fields those refuse at the message.
 */
export function carriedFormData(carried: CarriedForm): FormData {
  const form = new FormData();
  for (const [name, values] of Object.entries(carried))
    for (const value of values) form.append(name, value);
  return form;
}

/**
 * The query parameter (`{ [param]: sealed }`) that carries a refused public form back to its
 * page for the signed-in `owner`; none when the form is too long to carry.
 */
export async function carriedQuery(
  kind: CarriedFormKind,
  form: FormData,
  owner: string,
  param = 'form',
): Promise<Record<string, string>> {
  const sealed = await sealForm(kind, form, owner);
  return sealed ? { [param]: sealed } : {};
}

/**
 * A console action's answer to a refused long form: back to `to` with the reason as the flash and
 * the form's choices sealed under `param` (beside `query`), so the page fills the form again.
 */
export function refusedWithForm(
  kind: CarriedFormKind,
  form: FormData,
  to: string,
  query: Record<string, string> = {},
  param = 'form',
): (text: string) => Promise<ActionOutcome> {
  const back = backWithForm(kind, form, to, query, param);
  return (text) => back({ kind: 'error', text });
}

/**
 * Like refusedWithForm, for any outcome that keeps the person on the form: a check that passed
 * (连接器 校验) comes back with the form as typed, too.
 */
export function backWithForm(
  kind: CarriedFormKind,
  form: FormData,
  to: string,
  query: Record<string, string> = {},
  param = 'form',
): (flash: Flash) => Promise<ActionOutcome> {
  return async (flash) => {
    const sealed = await sealForm(kind, form);
    return { to, flash, query: { ...query, ...(sealed ? { [param]: sealed } : {}) } };
  };
}
