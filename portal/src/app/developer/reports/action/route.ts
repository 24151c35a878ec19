import { ServiceUnavailableError } from '../../../../lib/api/errors.ts';
import { raiseObjection } from '../../../../lib/api/objections.ts';
import { reportBody } from '../../../../lib/reportForm.ts';
import { foreignOrigin, sameOrigin } from '../../../../lib/auth/session.ts';
import { usableSession } from '../../../../lib/auth/usableSession.ts';

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

/**
 * The 数据纠错 form of a dataset page posts here: the report becomes a data objection raised by
 * the developer; on to /developer/reports with its number, or back to the form with an error.
 * CSRF: SameSite=Lax session cookie plus the Origin/Referer check.
 */
export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return foreignOrigin();
  const form = await request.formData().catch(() => undefined);
  const usable = await usableSession(request);
  if (!usable || !form) return redirectTo(SELF);
  const { session, cookies } = usable;
  const code = String(form.get('resourceCode') ?? '');
  if (!CODE.test(code)) return redirectTo(SELF, cookies);
  const page = `/datasets/${code}`;
  const body = reportBody(form, code);
  if (!body) return redirectTo(withQuery(page, { report: 'input' }, '#report'), cookies);
  try {
    const raised = await raiseObjection(session.accessToken, body);
    if (raised.kind === 'ok')
      return redirectTo(withQuery(SELF, { submitted: raised.data.number }), cookies);
    return redirectTo(
      withQuery(page, { report: raised.kind === 'not-found' ? 'input' : 'failed' }, '#report'),
      cookies,
    );
  } catch (error) {
    if (error instanceof ServiceUnavailableError)
      return redirectTo(withQuery(page, { report: 'failed' }, '#report'), cookies);
    throw error;
  }
}
