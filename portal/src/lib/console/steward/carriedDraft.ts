import { seal, unseal } from '../../auth/sessionCrypto.ts';
import type { EditorState } from './editorState.ts';

const PURPOSE = 'console-resource-draft';
const TTL_SECONDS = 300;
/** beyond this the URL would get long; a refused edit that big is typed again from the page */
const MAX_SEALED = 6_000;

/**
 * When the catalog refuses a save, the editor comes back with what the person had typed, so a
 * refusal never costs their work: the form state rides along sealed (encrypted, short-lived)
 * in `?draft=`, like the flash message. Undefined when it would be too long for a URL.
 */
export async function sealDraft(state: EditorState): Promise<string | undefined> {
  const sealed = await seal(PURPOSE, { state }, TTL_SECONDS);
  return sealed.length <= MAX_SEALED ? sealed : undefined;
}

export async function unsealDraft(
  value: string | string[] | undefined,
): Promise<EditorState | undefined> {
  const carried = await unseal<{ state?: EditorState }>(
    PURPOSE,
    typeof value === 'string' ? value : undefined,
  );
  const state = carried?.state;
  return state && typeof state === 'object' && Array.isArray(state.items) ? state : undefined;
}
