import { refusedWithForm } from '../../../../lib/console/carriedForm.ts';
import {
  consoleAction,
  field,
  problemText,
  type ActionOutcome,
} from '../../../../lib/console/consoleAction.ts';
import { getGrant } from '../../../../lib/console/consumer/api.ts';
import { grantBasis, objectionFromForm } from '../../../../lib/console/consumer/objectionForm.ts';
import {
  answerObjection,
  correctObjection,
  correctObjectionRecord,
  OBJECTION_ID,
  raiseObjection,
  RAISER_STEPS,
  stepRaisedObjection,
  type RaiserStep,
} from '../../../../lib/console/steward/feedback.ts';
import {
  correctedValuesFromForm,
  formWithProblems,
} from '../../../../lib/console/steward/correctionForm.ts';
import { raisedText } from '../../../../lib/i18n/console/raised.ts';
import type { Locale } from '../../../../lib/i18n/locales.ts';
import { stewardText } from '../../../../lib/i18n/console/steward.ts';
import { getPrefs } from '../../../../lib/prefs.ts';
import { UUID } from '../../../../lib/ids.ts';

export const dynamic = 'force-dynamic';

const RAISED = '/console/objections?side=raised';
const RECEIVED = '/console/objections';

/** A refused step comes back with its card's reply or comment as typed (carriedForm.ts). */
const keepTyped = (form: FormData, to: string) =>
  refusedWithForm('console-objection-step', form, to);
const NUMBER = /^YY[0-9]{8,20}$/;

/**
 * The provider's 答复 (accept / reject with a reply), 更正记录 and 标记已更正; the raising department's
 * 提出 (from /console/objections/new: a refused form comes back with every choice kept), 撤回,
 * 确认关闭 and 重新打开. The exchange decides who may.
 */
export async function POST(request: Request): Promise<Response> {
  return consoleAction(request, '/console/objections', async ({ form, accessToken }) => {
    const { locale } = await getPrefs();
    const t = stewardText(locale);
    const r = raisedText(locale);
    const op = field(form, 'op');
    if (op === 'raise') return raise(form, accessToken, locale);
    const id = field(form, 'id');
    if (!OBJECTION_ID.test(id)) return { flash: { kind: 'error', text: t.notFound } };
    if (RAISER_STEPS.includes(op as RaiserStep)) {
      const step = op as RaiserStep;
      const comment = field(form, 'comment').slice(0, 4000);
      if (step === 'reopen' && !comment) return keepTyped(form, RAISED)(r.reasonNeeded);
      const number = field(form, 'number');
      const done = await stepRaisedObjection(accessToken, id, step, comment);
      return done.ok
        ? {
            to: RAISED,
            flash: { kind: 'done', text: r.stepDone[step](NUMBER.test(number) ? number : '') },
          }
        : keepTyped(form, RAISED)(problemText(done.problem, r.stepFailed));
    }
    if (op === 'answer') {
      const decision = field(form, 'decision');
      const reply = field(form, 'reply').slice(0, 4000);
      if (decision !== 'accept' && decision !== 'reject')
        return { flash: { kind: 'error', text: t.answerFailed } };
      if (decision === 'reject' && !reply) return keepTyped(form, RECEIVED)(t.replyNeeded);
      const answered = await answerObjection(accessToken, id, decision, reply);
      return answered.ok
        ? { flash: { kind: 'done', text: t.answered } }
        : keepTyped(form, RECEIVED)(problemText(answered.problem, t.answerFailed));
    }
    if (op === 'correct') {
      const done = await correctObjection(accessToken, id, field(form, 'comment').slice(0, 4000));
      return done.ok
        ? { flash: { kind: 'done', text: t.corrected } }
        : keepTyped(form, RECEIVED)(problemText(done.problem, t.correctFailed));
    }
    if (op === 'correct-record') {
      const done = await correctObjectionRecord(
        accessToken,
        id,
        correctedValuesFromForm(form),
        field(form, 'note').slice(0, 4000),
      );
      return done.ok
        ? { flash: { kind: 'done', text: t.recordCorrected } }
        : keepTyped(
            formWithProblems(form, done.problem),
            RECEIVED,
          )(problemText(done.problem, t.correctRecordFailed));
    }
    return { flash: { kind: 'error', text: t.answerFailed } };
  });
}

/** 提出数据异议 under one of my department's grants. */
async function raise(form: FormData, accessToken: string, locale: Locale): Promise<ActionOutcome> {
  const r = raisedText(locale);
  const grantId = field(form, 'grant');
  const page = '/console/objections/new';
  if (!UUID.test(grantId)) return { to: page, flash: { kind: 'error', text: r.failed } };
  const refused = refusedWithForm('console-objection-form', form, page, { grant: grantId });
  const grant = await getGrant(accessToken, grantId);
  if (!grant.ok) return refused(problemText(grant.problem, r.failed));
  const basis = grantBasis(grant.data);
  const asked = objectionFromForm(form, basis.resourceCode, basis.fields);
  if (!asked.body) return refused(asked.problems.map((p) => r.problems[p]).join(' '));
  const raised = await raiseObjection(accessToken, asked.body);
  if (!raised.ok) return refused(problemText(raised.problem, r.failed));
  return { to: RAISED, flash: { kind: 'done', text: r.submitted(raised.data.number) } };
}
