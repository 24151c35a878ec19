import { ServiceUnavailableError } from '../../../../lib/api/errors.ts';
import { raiseObjection } from '../../../../lib/api/objections.ts';
import {
  OBJECTION_ID,
  RAISER_STEPS,
  stepRaisedObjection,
  type RaiserStep,
} from '../../../../lib/console/steward/feedback.ts';
import { reportBody } from '../../../../lib/reportForm.ts';
import { foreignOrigin, sameOrigin } from '../../../../lib/auth/session.ts';
import { usableSession } from '../../../../lib/auth/usableSession.ts';
import { carriedQuery } from '../../../../lib/console/carriedForm.ts';

export const dynamic = 'force-dynamic';

const SELF = '/developer/reports';
const CODE = /^[1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}$/;
function redirectTo(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ Location: location, 'Cache-Control': 'no-store' });
  for (const cookie of cookies) headers.append('Set-Cookie', cookie);
  return new Response(null, { status: 303, headers });
}

const withQuery = (path: string, query: Record<string, string>, hash = '') =>
  `${path}?${new URLSearchParams(query).toString()}${hash}`;

/** 撤回, 确认关闭 or 重新打开 (with its reason) one of the developer's reports. */
async function step(form: FormData, accessToken: string, cookies: string[]): Promise<Response> {
  const op = String(form.get('op')) as RaiserStep;
  const id = String(form.get('id') ?? '');
  const number = String(form.get('number') ?? '');
  const comment = String(form.get('comment') ?? '')
    .trim()
    .slice(0, 4000);
  if (!OBJECTION_ID.test(id)) return redirectTo(withQuery(SELF, { error: 'failed' }), cookies);
  if (op === 'reopen' && !comment) return redirectTo(withQuery(SELF, { error: 'reason' }), cookies);
  try {
    const done = await stepRaisedObjection(accessToken, id, op, comment);
    // 409: the report moved on meanwhile (answered, or stepped in another tab); the list shows where
    const outcome: Record<string, string> = done.ok
      ? { done: op, n: number }
      : { error: done.status === 409 ? 'changed' : 'failed' };
    return redirectTo(withQuery(SELF, outcome), cookies);
  } catch (error) {
    if (error instanceof ServiceUnavailableError)
      return redirectTo(withQuery(SELF, { error: 'failed' }), cookies);
    throw error;
  }
}

/**
 * The 数据纠错 form of a dataset page posts here: the report becomes a data objection raised by
 * the developer; on to /developer/reports with its number, or back to the form with an error and
 * everything typed, sealed for this developer (see carriedForm.ts).
 * The list's 撤回 / 确认关闭 / 重新打开 forms post here too (`op`).
 * CSRF: SameSite=Lax session cookie plus the Origin/Referer check.
 */
export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return foreignOrigin();
  const form = await request.formData().catch(() => undefined);
  const usable = await usableSession(request);
  if (!usable || !form) return redirectTo(SELF);
  const { session, cookies } = usable;
  if (RAISER_STEPS.includes(String(form.get('op')) as RaiserStep))
    return step(form, session.accessToken, cookies);
  const code = String(form.get('resourceCode') ?? '');
  if (!CODE.test(code)) return redirectTo(SELF, cookies);
  const page = `/datasets/${code}`;
  const refused = async (error: 'input' | 'failed') => {
    const carried = await carriedQuery('portal-report-form', form, session.sub);
    return redirectTo(withQuery(page, { report: error, ...carried }, '#report'), cookies);
  };
  const body = reportBody(form, code);
  if (!body) return refused('input');
  try {
    const raised = await raiseObjection(session.accessToken, body);
    if (raised.kind === 'ok')
      return redirectTo(withQuery(SELF, { submitted: raised.data.number }), cookies);
    return await refused(raised.kind === 'not-found' ? 'input' : 'failed');
  } catch (error) {
    if (error instanceof ServiceUnavailableError) return await refused('failed');
    throw error;
  }
}
