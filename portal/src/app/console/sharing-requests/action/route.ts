import { approveRequest, rejectRequest } from '../../../../lib/console/approver/api.ts';
import {
  formProblemText,
  lookupFormData,
  termsFromForm,
} from '../../../../lib/console/approver/policyForm.ts';
import { refusedWithForm } from '../../../../lib/console/carriedForm.ts';
import {
  requestWithItems,
  SHARING_REQUEST_ID,
} from '../../../../lib/console/approver/requestItems.ts';
import { consoleAction, field, problemText } from '../../../../lib/console/consoleAction.ts';
import { formatDate } from '../../../../lib/format.ts';
import { approverText } from '../../../../lib/i18n/console/approver.ts';
import { getPrefs } from '../../../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

/**
 * 批准 (with the policy editor's terms) or 驳回 (with a reason) of a sharing request. The form is
 * read against the request's items with the same `termsFromForm` the editor shows, and the
 * exchange validates the policy again before it stores the grant.
 */
export async function POST(request: Request): Promise<Response> {
  return consoleAction(request, '/console/sharing-requests', async ({ form, accessToken }) => {
    const { locale } = await getPrefs();
    const a = approverText(locale);
    const q = a.requests;
    const id = field(form, 'id');
    if (!SHARING_REQUEST_ID.test(id)) return { flash: { kind: 'error', text: q.failed } };
    const page = `/console/sharing-requests/${id}`;
    if (field(form, 'op') === 'reject') {
      const reason = field(form, 'reason').slice(0, 4000);
      if (!reason) return { to: page, flash: { kind: 'error', text: q.reasonRequired } };
      const done = await rejectRequest(accessToken, id, reason);
      return done.ok
        ? { to: page, flash: { kind: 'done', text: q.rejected(done.data.number) } }
        : { to: page, flash: { kind: 'error', text: problemText(done.problem, q.failed) } };
    }
    const loaded = await requestWithItems(accessToken, id);
    if (!loaded.ok)
      return { to: page, flash: { kind: 'error', text: problemText(loaded.problem, q.failed) } };
    const { terms, problems } = termsFromForm(lookupFormData(form), loaded.data.items);
    // a refused approval comes back with the approver's choices (see carriedForm.ts)
    const refused = refusedWithForm('console-policy-form', form, page, {}, 'policy');
    if (problems.length > 0)
      return refused(problems.map((p) => formProblemText(p, a.editor.problems)).join(' '));
    const done = await approveRequest(accessToken, id, terms);
    // a validity that begins later: the grant answers nothing until then (授权尚未生效)
    const later =
      terms.validFrom && Date.parse(terms.validFrom) > Date.now()
        ? formatDate(terms.validFrom)
        : null;
    return done.ok
      ? { to: page, flash: { kind: 'done', text: q.approved(done.data.number, later) } }
      : refused(problemText(done.problem, q.failed));
  });
}
