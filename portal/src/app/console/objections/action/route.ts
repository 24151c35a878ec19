import { consoleAction, field, problemText } from '../../../../lib/console/consoleAction.ts';
import {
  answerObjection,
  correctObjection,
  OBJECTION_ID,
} from '../../../../lib/console/steward/feedback.ts';
import { stewardText } from '../../../../lib/i18n/console/steward.ts';

export const dynamic = 'force-dynamic';

const t = stewardText('zh-CN');

/** 答复 (accept / reject with a reply) and 标记已更正; the exchange decides who may. */
export async function POST(request: Request): Promise<Response> {
  return consoleAction(request, '/console/objections', async ({ form, accessToken }) => {
    const id = field(form, 'id');
    if (!OBJECTION_ID.test(id)) return { flash: { kind: 'error', text: t.notFound } };
    const op = field(form, 'op');
    if (op === 'answer') {
      const decision = field(form, 'decision');
      const reply = field(form, 'reply').slice(0, 4000);
      if (decision !== 'accept' && decision !== 'reject')
        return { flash: { kind: 'error', text: t.answerFailed } };
      if (decision === 'reject' && !reply) return { flash: { kind: 'error', text: t.replyNeeded } };
      const answered = await answerObjection(accessToken, id, decision, reply);
      return answered.ok
        ? { flash: { kind: 'done', text: t.answered } }
        : { flash: { kind: 'error', text: problemText(answered.problem, t.answerFailed) } };
    }
    if (op === 'correct') {
      const done = await correctObjection(accessToken, id, field(form, 'comment').slice(0, 4000));
      return done.ok
        ? { flash: { kind: 'done', text: t.corrected } }
        : { flash: { kind: 'error', text: problemText(done.problem, t.correctFailed) } };
    }
    return { flash: { kind: 'error', text: t.answerFailed } };
  });
}
