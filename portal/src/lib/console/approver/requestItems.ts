import { getEntry, getSharingRequest, type Answer, type SharingRequest } from './api.ts';
import { listPurposes } from '../../api/openApplications.ts';
import { purposeNames } from '../../i18n/labels.ts';
import type { Locale } from '../../i18n/locales.ts';
import type { EditorItem, ItemType } from './policyForm.ts';

/** A sharing request's id or number in a console address (the exchange's `{id}` pattern). */
export const SHARING_REQUEST_ID = /^([0-9a-f-]{36}|SQ[0-9]{8,20})$/;

/**
 * A sharing request with the information items it asks for (from the provider's own directory
 * entry, in the entry's order): what the policy editor offers and the approval form is read
 * against. An approval can only narrow the request, so other items are never offered.
 */
export async function requestWithItems(
  token: string,
  id: string,
): Promise<Answer<{ request: SharingRequest; items: EditorItem[] }>> {
  const request = await getSharingRequest(token, id);
  if (!request.ok) return request;
  const code = String((request.data.resource as { code?: unknown }).code ?? '');
  const entry = await getEntry(token, code);
  if (!entry.ok) return entry;
  const asked = new Set(request.data.fields);
  const items = entry.data.items
    .filter((i) => asked.has(i.name))
    .map((i) => ({
      name: i.name,
      label: i.label,
      dataType: i.dataType as ItemType,
      isPersonal: i.isPersonal,
    }));
  return { ok: true, data: { request: request.data, items } };
}

/**
 * What a sharing request's page shows, for either party: the request with its items, the items'
 * labels by field name and the purposes' names by code in the viewer's language; undefined when
 * the address names no request.
 */
export async function requestForPage(
  token: string,
  id: string,
  locale: Locale,
): Promise<
  | Answer<{
      request: SharingRequest;
      items: EditorItem[];
      labels: Map<string, string>;
      purposes: Map<string, string>;
    }>
  | undefined
> {
  if (!SHARING_REQUEST_ID.test(id)) return undefined;
  const [loaded, purposes] = await Promise.all([requestWithItems(token, id), listPurposes()]);
  if (!loaded.ok) return loaded;
  return {
    ok: true,
    data: {
      ...loaded.data,
      labels: new Map(loaded.data.items.map((i) => [i.name, i.label])),
      purposes: purposeNames(purposes, locale),
    },
  };
}
