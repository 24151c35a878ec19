import { consoleAction, field, problemText } from '../../../../lib/console/consoleAction.ts';
import { CONNECTOR_NAME, pauseOrResume } from '../../../../lib/console/steward/connectors.ts';
import { stewardText } from '../../../../lib/i18n/console/steward.ts';

export const dynamic = 'force-dynamic';

const t = stewardText('zh-CN');

/** 暂停 / 恢复 a connector; the connectors API checks it is the steward's department's. */
export async function POST(request: Request): Promise<Response> {
  return consoleAction(request, '/console/connectors', async ({ form, accessToken }) => {
    const name = field(form, 'name');
    const op = field(form, 'op');
    if (!CONNECTOR_NAME.test(name) || (op !== 'pause' && op !== 'resume'))
      return { flash: { kind: 'error', text: t.connectorFailed } };
    const done = await pauseOrResume(accessToken, name, op);
    return done.ok
      ? { flash: { kind: 'done', text: op === 'pause' ? t.paused : t.resumed } }
      : { flash: { kind: 'error', text: problemText(done.problem, t.connectorFailed) } };
  });
}
