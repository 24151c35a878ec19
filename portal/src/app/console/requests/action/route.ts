import { consoleAction, field, problemText } from '../../../../lib/console/consoleAction.ts';
import { answerDataRequest } from '../../../../lib/console/steward/feedback.ts';
import { UUID } from '../../../../lib/ids.ts';
import { RESOURCE_CODE } from '../../../../lib/console/steward/resources.ts';
import { stewardText } from '../../../../lib/i18n/console/steward.ts';

export const dynamic = 'force-dynamic';

const t = stewardText('zh-CN');
const UNSAFE = /[\u0000\p{Cs}]/u;

/** The public answer to a data request; the catalog checks the department and the dataset. */
export async function POST(request: Request): Promise<Response> {
  return consoleAction(request, '/console/requests', async ({ form, accessToken }) => {
    const id = field(form, 'id');
    if (!UUID.test(id)) return { flash: { kind: 'error', text: t.notFound } };
    const status = field(form, 'status');
    const answer = field(form, 'answer');
    const datasetCode = field(form, 'datasetCode');
    if (status !== 'answered' && status !== 'opened' && status !== 'declined')
      return { flash: { kind: 'error', text: t.requestAnswerFailed } };
    if (!answer || answer.length > 2000 || UNSAFE.test(answer))
      return { flash: { kind: 'error', text: t.answerTextNeeded } };
    if (status === 'opened' && !RESOURCE_CODE.test(datasetCode))
      return { flash: { kind: 'error', text: t.datasetNeeded } };
    const done = await answerDataRequest(accessToken, id, {
      status,
      answer,
      ...(status === 'opened' ? { datasetCode } : {}),
    });
    return done.ok
      ? { flash: { kind: 'done', text: t.requestAnswered } }
      : { flash: { kind: 'error', text: problemText(done.problem, t.requestAnswerFailed) } };
  });
}
