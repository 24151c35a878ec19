import { createDataRequest } from '../../../lib/api/dataRequests.ts';
import { ServiceUnavailableError } from '../../../lib/api/errors.ts';
import { foreignOrigin, sameOrigin } from '../../../lib/auth/session.ts';
import { usableSession } from '../../../lib/auth/usableSession.ts';
import { carriedQuery } from '../../../lib/console/carriedForm.ts';
import { dataRequestFromForm } from '../../../lib/dataRequestForm.ts';

export const dynamic = 'force-dynamic';

const FORM = '/requests/new';

function redirectTo(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ Location: location, 'Cache-Control': 'no-store' });
  for (const cookie of cookies) headers.append('Set-Cookie', cookie);
  return new Response(null, { status: 303, headers });
}

/**
 * The 提出数据需求 form posts here: on to the new request's page, or back to the form with an
 * error and everything typed (sealed for this person, see carriedForm.ts); dataRequestForm.ts
 * says what is refused (the contact must be a mobile number or an e-mail address). CSRF: SameSite=Lax session cookie plus the
 * Origin/Referer check.
 */
export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return foreignOrigin();
  const form = await request.formData().catch(() => undefined);
  const usable = await usableSession(request);
  if (!usable || !form) return redirectTo(FORM);
  const { session, cookies } = usable;
  const refused = async (error: 'input' | 'contact' | 'failed') => {
    const query = new URLSearchParams({
      error,
      ...(await carriedQuery('portal-request-form', form, session.sub)),
    });
    return redirectTo(`${FORM}?${query}`, cookies);
  };
  const asked = dataRequestFromForm(form);
  if (!('body' in asked)) return refused(asked.error);
  try {
    const created = await createDataRequest(session.accessToken, asked.body);
    if (created.kind === 'ok') return redirectTo(`/requests/${created.data.id}?created=1`, cookies);
    return refused(created.kind === 'not-found' ? 'input' : 'failed');
  } catch (error) {
    if (error instanceof ServiceUnavailableError) return refused('failed');
    throw error;
  }
}
