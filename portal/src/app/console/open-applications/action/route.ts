import {
  approveOpenApplication,
  rejectOpenApplication,
} from '../../../../lib/console/approver/api.ts';
import { consoleAction, field, problemText } from '../../../../lib/console/consoleAction.ts';
// formatDate: the Beijing day, YYYY-MM-DD
import { formatDate } from '../../../../lib/format.ts';
import { approverText } from '../../../../lib/i18n/console/approver.ts';
import { getPrefs } from '../../../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ACTIONS = ['read', 'download'] as const;

/** 批准 (scope, daily quota, end of validity) or 驳回 (reason) of an open-data application. */
export async function POST(request: Request): Promise<Response> {
  return consoleAction(request, '/console/open-applications', async ({ form, accessToken }) => {
    const { locale } = await getPrefs();
    const o = approverText(locale).open;
    const id = field(form, 'id');
    if (!UUID.test(id)) return { flash: { kind: 'error', text: o.failed } };
    if (field(form, 'op') === 'reject') {
      const reason = field(form, 'reason').slice(0, 4000);
      if (!reason) return { flash: { kind: 'error', text: o.reasonRequired } };
      const done = await rejectOpenApplication(accessToken, id, reason);
      return done.ok
        ? { flash: { kind: 'done', text: o.rejected } }
        : { flash: { kind: 'error', text: problemText(done.problem, o.failed) } };
    }
    const chosen = form.getAll('actions').map(String);
    const actions = ACTIONS.filter((x) => chosen.includes(x));
    if (actions.length === 0) return { flash: { kind: 'error', text: o.scopeRequired } };
    const quotaText = field(form, 'dailyQuota');
    const quota = Number(quotaText);
    const until = field(form, 'validUntil');
    // every problem at once, in words (the exchange checks again)
    const problems = [
      ...(quotaText && (!Number.isInteger(quota) || quota < 1 || quota > 1_000_000)
        ? [o.quotaInvalid]
        : []),
      ...(until && (!DAY.test(until) || until <= formatDate(new Date().toISOString()))
        ? [o.validUntilPast]
        : []),
    ];
    if (problems.length > 0) return { flash: { kind: 'error', text: problems.join('') } };
    const done = await approveOpenApplication(accessToken, id, {
      actions: [...actions],
      ...(quotaText ? { dailyQuota: quota } : {}),
      ...(DAY.test(until) ? { validUntil: `${until}T23:59:59+08:00` } : {}),
    });
    return done.ok
      ? { flash: { kind: 'done', text: o.approved } }
      : { flash: { kind: 'error', text: problemText(done.problem, o.failed) } };
  });
}
