import { consoleAction, field, problemText } from '../../../../lib/console/consoleAction.ts';
import { sealDraft } from '../../../../lib/console/steward/carriedDraft.ts';
import {
  editorStateFromForm,
  toResourceInput,
} from '../../../../lib/console/steward/editorState.ts';
import {
  createResource,
  RESOURCE_CODE,
  stepResource,
  updateResource,
  type ResourceInput,
} from '../../../../lib/console/steward/resources.ts';
import { stewardText } from '../../../../lib/i18n/console/steward.ts';
import { getPrefs } from '../../../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

/**
 * The resource forms: `save` (create a draft, or replace one at the revision it was opened
 * at), `submit` (提交审核), `revise` (reopen as a draft) and `retire` (下线, confirmed first,
 * with an optional reason). The catalog decides; its problem text comes back as the flash
 * message, ours in the person's language.
 */
export async function POST(request: Request): Promise<Response> {
  return consoleAction(request, '/console/resources', async ({ form, accessToken }) => {
    const t = stewardText((await getPrefs()).locale);
    const op = field(form, 'op');
    const code = field(form, 'code');
    if (code && !RESOURCE_CODE.test(code)) return { flash: { kind: 'error', text: t.notFound } };
    const page = code ? `/console/resources/${code}` : '/console/resources/new';
    if (op === 'save') {
      const state = editorStateFromForm(form);
      const input = toResourceInput(state) as ResourceInput;
      const revision = Number(field(form, 'revision')) || undefined;
      const saved = code
        ? await updateResource(accessToken, code, input, revision)
        : await createResource(accessToken, input);
      if (!saved.ok) {
        // what was typed is never lost: after any refusal the editor opens with it. On an
        // edit that lost the race (409) it opens at the newer revision, so that saving again
        // is a deliberate choice over the other change, which the message asks to check first
        const text =
          saved.status === 409 && code ? t.conflict : problemText(saved.problem, t.saveFailed);
        const draft = await sealDraft(state);
        const query: Record<string, string> = draft ? { draft } : {};
        return { to: page, flash: { kind: 'error', text }, query };
      }
      return {
        to: `/console/resources/${saved.data.code}`,
        flash: { kind: 'done', text: code ? t.saved : t.created },
      };
    }
    if ((op === 'submit' || op === 'revise' || op === 'retire') && code) {
      const stepped = await stepResource(
        accessToken,
        code,
        op,
        field(form, 'comment').slice(0, 4000),
      );
      const [failed, done]: [string, string] = {
        submit: [t.submitFailed, t.submitted] as [string, string],
        revise: [t.reviseFailed, t.revised] as [string, string],
        retire: [t.retireFailed, t.retired] as [string, string],
      }[op];
      if (!stepped.ok) {
        return { to: page, flash: { kind: 'error', text: problemText(stepped.problem, failed) } };
      }
      return { to: page, flash: { kind: 'done', text: done } };
    }
    return { flash: { kind: 'error', text: t.saveFailed } };
  });
}
