import { consoleAction, field, problemText } from '../../../../lib/console/consoleAction.ts';
import { decideEntry } from '../../../../lib/console/approver/api.ts';
import { approverText } from '../../../../lib/i18n/console/approver.ts';
import { getPrefs } from '../../../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

const CODE = /^[1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}$/;

/**
 * 审核通过 / 退回修改 of a directory entry. A rejection needs a comment (the steward must learn
 * what to change), checked here for a clear message and by the catalog's workflow as well.
 */
export async function POST(request: Request): Promise<Response> {
  return consoleAction(request, '/console/reviews', async ({ form, accessToken }) => {
    const { locale } = await getPrefs();
    const r = approverText(locale).reviews;
    const code = field(form, 'code');
    if (!CODE.test(code)) return { flash: { kind: 'error', text: r.failed } };
    const page = `/console/reviews/${code}`;
    const decision = field(form, 'decision') === 'approve' ? 'approve' : 'reject';
    const comment = field(form, 'comment').slice(0, 4000);
    if (decision === 'reject' && !comment)
      return { to: page, flash: { kind: 'error', text: r.commentRequired } };
    const done = await decideEntry(accessToken, code, decision, comment);
    if (!done.ok)
      return { to: page, flash: { kind: 'error', text: problemText(done.problem, r.failed) } };
    return {
      flash: {
        kind: 'done',
        text: decision === 'approve' ? r.approved(done.data.name) : r.rejected(done.data.name),
      },
    };
  });
}
