import { seal, unseal } from '../../auth/sessionCrypto.ts';

const PURPOSE = 'console-policy-form';
const TTL_SECONDS = 300;
/** beyond this the URL would get long; a refused approval that big is set again on the page */
const MAX_SEALED = 6_000;
/** the form's own plumbing, not the approver's choices */
const NOT_CARRIED = new Set(['op', 'id', 'reason']);

/** The approval form's choices by field name (a name may repeat, like `fields`). */
export type CarriedPolicy = Record<string, string[]>;

/**
 * When an approval is refused (a form problem, or the exchange's answer), the request page comes
 * back with the approver's choices — fields, masks, row filter, quotas, validity, comment — so a
 * refusal never costs their work: sealed (encrypted, short-lived) in `?policy=`, like the flash
 * message. Undefined when it would be too long for a URL.
 */
export async function sealPolicyForm(form: FormData): Promise<string | undefined> {
  const carried: CarriedPolicy = {};
  for (const [name, value] of form.entries()) {
    if (NOT_CARRIED.has(name) || typeof value !== 'string') continue;
    (carried[name] ??= []).push(value.slice(0, 4000));
  }
  const sealed = await seal(PURPOSE, { carried }, TTL_SECONDS);
  return sealed.length <= MAX_SEALED ? sealed : undefined;
}

export async function unsealPolicyForm(
  value: string | string[] | undefined,
): Promise<CarriedPolicy | undefined> {
  const opened = await unseal<{ carried?: unknown }>(
    PURPOSE,
    typeof value === 'string' ? value : undefined,
  );
  const carried = opened?.carried;
  if (!carried || typeof carried !== 'object') return undefined;
  const clean: CarriedPolicy = {};
  for (const [name, values] of Object.entries(carried as Record<string, unknown>)) {
    if (Array.isArray(values))
      clean[name] = values.filter((v): v is string => typeof v === 'string');
  }
  return clean;
}

/** The first value carried for `name`, or undefined. */
export function carriedValue(carried: CarriedPolicy | undefined, name: string): string | undefined {
  return carried?.[name]?.[0];
}
