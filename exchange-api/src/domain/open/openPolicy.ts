import { InputError, type FieldProblem } from '@gx/platform';
import { compilePolicy, type CompiledPolicy, type Policy } from '../policy/compilePolicy.ts';
import type { FieldType } from '../policy/rowFilter.ts';

/**
 * 开放策略: what the open-data API and downloads deliver of a resource — a grant's policy without
 * purposes, validity and quotas, which belong to a consumer, not to the public.
 */
export type OpenPolicy = Pick<Policy, 'fields' | 'masks' | 'rowFilter'>;

/**
 * Open data serves no stated purpose; the policy engine wants one, so every open policy is
 * compiled with this fixed code and every open read asks for it.
 */
export const OPEN_DATA_PURPOSE = 'OPEN_DATA';

/** An information item as the open-data API needs it. */
export interface OpenItem {
  name: string;
  label: string;
  dataType: FieldType;
  unit: string | null;
  isPersonal: boolean;
}

/** Without a policy set by the steward: every item not flagged personal, unmasked, unfiltered. */
export function defaultOpenPolicy(items: readonly OpenItem[]): OpenPolicy {
  return { fields: items.filter((i) => !i.isPersonal).map((i) => i.name) };
}

/**
 * Compile an open policy with the grant policy engine (fields exist, masks fit, filter constants
 * have the fields' types) plus the rule of open data: a personal-information item is opened only
 * masked. All problems are reported at once.
 */
export function compileOpenPolicy(
  raw: unknown,
  items: readonly OpenItem[],
  pseudonymKey: Buffer,
): CompiledPolicy {
  const problems: FieldProblem[] = [];
  let policy = raw;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    // purposes are the engine's, never the caller's
    for (const key of ['purposes', 'validFrom', 'validUntil', 'quotas'] as const) {
      if (key in raw) problems.push({ path: `/${key}`, message: '开放策略不含此项' });
    }
    policy = { ...raw, purposes: [OPEN_DATA_PURPOSE] };
    problems.push(...unmaskedPersonal(raw as Partial<OpenPolicy>, items));
  }
  const types = Object.fromEntries(items.map((i) => [i.name, i.dataType]));
  try {
    const compiled = compilePolicy(policy, types, pseudonymKey);
    if (problems.length === 0) return compiled;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.unshift(...((error.extensions.errors as FieldProblem[] | undefined) ?? []));
  }
  throw new InputError('开放策略与资源不符', problems);
}

/** Personal-information items a policy would open without a mask. */
function unmaskedPersonal(policy: Partial<OpenPolicy>, items: readonly OpenItem[]) {
  const personal = new Set(items.filter((i) => i.isPersonal).map((i) => i.name));
  const fields: unknown[] = Array.isArray(policy.fields) ? policy.fields : [];
  const masks: Record<string, unknown> =
    typeof policy.masks === 'object' && policy.masks !== null ? policy.masks : {};
  return fields.flatMap((field, i) =>
    typeof field === 'string' && personal.has(field) && !Object.hasOwn(masks, field)
      ? [{ path: `/fields/${i}`, message: `${field} 是个人信息，须脱敏后才能开放` }]
      : [],
  );
}

/** The policy as the steward wrote it (without the engine's purpose). */
export function openPolicyOf(compiled: CompiledPolicy): OpenPolicy {
  const { fields, masks, rowFilter } = compiled.policy;
  return { fields, ...(masks ? { masks } : {}), ...(rowFilter ? { rowFilter } : {}) };
}
