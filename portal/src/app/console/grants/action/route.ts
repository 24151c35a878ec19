import { changeGrant, type GrantChange } from '../../../../lib/console/approver/api.ts';
import { consoleAction, field, problemText } from '../../../../lib/console/consoleAction.ts';
import { approverText } from '../../../../lib/i18n/console/approver.ts';
import { getPrefs } from '../../../../lib/prefs.ts';
import { UUID } from '../../../../lib/ids.ts';

export const dynamic = 'force-dynamic';

const CHANGES: readonly GrantChange[] = ['suspend', 'resume', 'revoke'];

/**
 * 暂停 / 恢复 / 撤销 a grant. Suspending and revoking need a reason (the consumer sees it) and
 * a revocation is final, so both are made only from the confirmation form (`confirmed=yes`)
 * with a reason; anything else asking for them is sent to that confirmation first.
 */
export async function POST(request: Request): Promise<Response> {
  return consoleAction(request, '/console/grants', async ({ form, accessToken }) => {
    const { locale } = await getPrefs();
    const g = approverText(locale).grants;
    const id = field(form, 'id');
    const op = field(form, 'op') as GrantChange;
    if (!UUID.test(id) || !CHANGES.includes(op))
      return { flash: { kind: 'error', text: g.failed } };
    const reason = field(form, 'reason').slice(0, 4000);
    if (op !== 'resume' && (field(form, 'confirmed') !== 'yes' || !reason)) {
      return {
        query: { confirm: id, change: op },
        ...(field(form, 'confirmed') === 'yes'
          ? { flash: { kind: 'error' as const, text: g.reasonRequired } }
          : {}),
      };
    }
    const done = await changeGrant(accessToken, id, op, reason);
    return done.ok
      ? { flash: { kind: 'done', text: g.changed[op] ?? '' } }
      : { flash: { kind: 'error', text: problemText(done.problem, g.failed) } };
  });
}
