import { getEntry } from '../../../../lib/console/approver/api.ts';
import { refusedWithForm } from '../../../../lib/console/carriedForm.ts';
import { consoleAction, field, problemText } from '../../../../lib/console/consoleAction.ts';
import { submitRequest, withdrawRequest } from '../../../../lib/console/consumer/api.ts';
import { requestFromForm } from '../../../../lib/console/consumer/requestForm.ts';
import { RESOURCE_CODE } from '../../../../lib/console/steward/resources.ts';
import { consumerText } from '../../../../lib/i18n/console/consumer.ts';
import { getPrefs } from '../../../../lib/prefs.ts';
import { SHARING_REQUEST_ID } from '../../../../lib/console/approver/requestItems.ts';

export const dynamic = 'force-dynamic';

/**
 * 提交 a sharing request (read against the resource's own items; the exchange checks it again)
 * or 撤回 one not yet decided. A refused request comes back to its form with every choice kept.
 */
export async function POST(request: Request): Promise<Response> {
  return consoleAction(request, '/console/my-requests', async ({ form, accessToken }) => {
    const { locale } = await getPrefs();
    const t = consumerText(locale);
    if (field(form, 'op') === 'withdraw') {
      const id = field(form, 'id');
      if (!SHARING_REQUEST_ID.test(id)) return { flash: { kind: 'error', text: t.withdrawFailed } };
      const page = `/console/my-requests/${id}`;
      const done = await withdrawRequest(accessToken, id);
      return done.ok
        ? { to: page, flash: { kind: 'done', text: t.withdrawn(done.data.number) } }
        : { to: page, flash: { kind: 'error', text: problemText(done.problem, t.withdrawFailed) } };
    }
    const code = field(form, 'resourceCode');
    if (!RESOURCE_CODE.test(code))
      return { to: '/console/my-requests/new', flash: { kind: 'error', text: t.failed } };
    const page = `/console/my-requests/new`;
    const refused = refusedWithForm('console-sharing-request-form', form, page, {
      resource: code,
    });
    const entry = await getEntry(accessToken, code);
    if (!entry.ok) return refused(problemText(entry.problem, t.failed));
    const asked = requestFromForm(
      form,
      code,
      entry.data.items.map((i) => i.name),
    );
    if (!asked.body) return refused(asked.problems.map((p) => t.problems[p]).join(' '));
    const done = await submitRequest(accessToken, asked.body);
    if (!done.ok) return refused(problemText(done.problem, t.failed));
    const r = done.data;
    return {
      to: `/console/my-requests/${r.id}`,
      flash: {
        kind: 'done',
        text: r.status === 'approved' ? t.granted(r.number) : t.submitted(r.number),
      },
    };
  });
}
