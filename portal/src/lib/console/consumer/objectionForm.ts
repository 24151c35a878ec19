import { formText } from '../../formText.ts';

/**
 * What the form sends: `POST /v1/objections`'s body (written out here, as requestForm.ts does,
 * so that this module and its tests need no generated API types).
 */
export interface ObjectionDraft {
  resourceCode: string;
  description: string;
  recordKey?: string;
  fields?: string[];
  claimedValues?: Record<string, string>;
  evidenceLinks?: string[];
}

/** What the portal can say about a 数据异议 form before the exchange reads it. */
export type ObjectionProblem = 'description' | 'text' | 'fields' | 'links';

/** the exchange's limit on supporting links */
export const MAX_LINKS = 20;

/**
 * What a grant lets its holder object to: the resource, the fields the grant covers (its
 * policy's order) and which of them it masks. The specs leave a grant's resource and policy as
 * open objects, so they are read here once.
 */
export function grantBasis(grant: { resource: unknown; provider: unknown; policy: unknown }): {
  resourceCode: string;
  resourceName: string;
  providerName: string;
  fields: string[];
  masked: Set<string>;
} {
  const resource = grant.resource as { code?: unknown; name?: unknown };
  const provider = grant.provider as { name?: unknown };
  const policy = grant.policy as { fields?: unknown; masks?: unknown };
  const fields = Array.isArray(policy.fields)
    ? policy.fields.filter((f): f is string => typeof f === 'string')
    : [];
  const masks = policy.masks && typeof policy.masks === 'object' ? policy.masks : {};
  return {
    resourceCode: String(resource.code ?? ''),
    resourceName: String(resource.name ?? ''),
    providerName: String(provider.name ?? ''),
    fields,
    masked: new Set(Object.keys(masks)),
  };
}

/** A supporting link: http(s), short enough for the exchange. */
function isLink(value: string): boolean {
  if (value.length > 2000 || !/^https?:\/\//i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * The objection a steward's form describes, read against the fields the department's grant
 * covers (`fields`, one checkbox each, with `claimed.<field>`: the value the department holds
 * to be right). A field whose right value is filled in counts as named even if its box was left
 * unticked. Links come one per line. Every problem is reported at once, with the inputs (by
 * name; the field checkboxes as `fields`) they are about, for the page to mark; the exchange
 * checks everything again (the record key against what the grant lets the department see).
 */
export function objectionFromForm(
  form: FormData,
  resourceCode: string,
  grantFields: readonly string[],
): { body?: ObjectionDraft; problems: ObjectionProblem[]; inputs?: string[] } {
  const problems = new Set<ObjectionProblem>();
  const inputs = new Set<string>();
  const refuse = (problem: ObjectionProblem, name: string) => {
    problems.add(problem);
    inputs.add(name);
  };
  const description = formText(form, 'description', 4000);
  const recordKey = formText(form, 'recordKey', 500);
  const linkText = formText(form, 'links', MAX_LINKS * 2001);
  if (description === undefined) refuse('text', 'description');
  if (recordKey === undefined) refuse('text', 'recordKey');
  if (linkText === undefined) refuse('text', 'links');
  if (!description) refuse('description', 'description');

  const fields = new Set<string>();
  const claimedValues: Record<string, string> = {};
  for (const value of form.getAll('fields')) {
    if (typeof value === 'string' && grantFields.includes(value)) fields.add(value);
    else refuse('fields', 'fields');
  }
  for (const name of grantFields) {
    const claimed = formText(form, `claimed.${name}`, 2000);
    if (claimed === undefined) refuse('text', `claimed.${name}`);
    else if (claimed) {
      fields.add(name);
      claimedValues[name] = claimed;
    }
  }

  const links = (linkText ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (links.length > MAX_LINKS || !links.every(isLink)) refuse('links', 'links');

  if (problems.size > 0 || !description) return { problems: [...problems], inputs: [...inputs] };
  const named = grantFields.filter((f) => fields.has(f));
  return {
    body: {
      resourceCode,
      description,
      ...(recordKey ? { recordKey } : {}),
      ...(named.length > 0 ? { fields: named } : {}),
      ...(Object.keys(claimedValues).length > 0 ? { claimedValues } : {}),
      ...(links.length > 0 ? { evidenceLinks: links } : {}),
    },
    problems: [],
  };
}
