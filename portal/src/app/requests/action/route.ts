import { createDataRequest } from '../../../lib/api/dataRequests.ts';
import { ServiceUnavailableError } from '../../../lib/api/errors.ts';
import { foreignOrigin, sameOrigin } from '../../../lib/auth/session.ts';
import { usableSession } from '../../../lib/auth/usableSession.ts';
import { carriedQuery } from '../../../lib/console/carriedForm.ts';
import { isContact } from '../../../lib/contact.ts';

export const dynamic = 'force-dynamic';

const FORM = '/requests/new';
const DEPARTMENT = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** control characters (the title and contact are one line), NUL, lone surrogates */
const LINE_UNSAFE = /[\u0000-\u001f\p{Cs}]/u;
const TEXT_UNSAFE = /[\u0000\p{Cs}]/u;

function redirectTo(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ Location: location, 'Cache-Control': 'no-store' });
  for (const cookie of cookies) headers.append('Set-Cookie', cookie);
  return new Response(null, { status: 303, headers });
}

function text(form: FormData, name: string, max: number, unsafe: RegExp): string | undefined {
  const value = String(form.get(name) ?? '').trim();
  return value && value.length <= max && !unsafe.test(value) ? value : undefined;
}

/**
 * The 提出数据需求 form posts here: on to the new request's page, or back to the form with an
 * error and everything typed (sealed for this person, see carriedForm.ts). The contact must be
 * a mobile number or an e-mail address. CSRF: SameSite=Lax session cookie plus the
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
  const title = text(form, 'title', 100, LINE_UNSAFE);
  const description = text(form, 'description', 2000, TEXT_UNSAFE);
  const contact = text(form, 'contact', 100, LINE_UNSAFE);
  const wanted = String(form.get('wantedDepartment') ?? '');
  if (!title || !description || !contact || (wanted && !DEPARTMENT.test(wanted)))
    return refused('input');
  if (!isContact(contact)) return refused('contact');
  try {
    const created = await createDataRequest(session.accessToken, {
      title,
      description,
      contact,
      ...(wanted ? { wantedDepartment: wanted } : {}),
    });
    if (created.kind === 'ok') return redirectTo(`/requests/${created.data.id}?created=1`, cookies);
    return refused(created.kind === 'not-found' ? 'input' : 'failed');
  } catch (error) {
    if (error instanceof ServiceUnavailableError) return refused('failed');
    throw error;
  }
}
