import { ServiceUnavailableError } from '../../../lib/api/errors.ts';
import { deleteReview, saveReview } from '../../../lib/api/reviews.ts';
import { foreignOrigin, sameOrigin } from '../../../lib/auth/session.ts';
import { usableSession } from '../../../lib/auth/usableSession.ts';
import { carriedQuery } from '../../../lib/console/carriedForm.ts';

export const dynamic = 'force-dynamic';

const CODE = /^[1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}$/;
const UNSAFE = /[\u0000\p{Cs}]/u;

function redirectTo(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ Location: location, 'Cache-Control': 'no-store' });
  for (const cookie of cookies) headers.append('Set-Cookie', cookie);
  return new Response(null, { status: 303, headers });
}

/**
 * The 评分与评论 forms of a dataset page post here (`op`: save or delete); back to the page's
 * reviews with what happened, and a refused review with what was chosen and typed (sealed for
 * this person, see carriedForm.ts). CSRF: SameSite=Lax session cookie plus the Origin/Referer
 * check.
 */
export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return foreignOrigin();
  const form = await request.formData().catch(() => undefined);
  const code = String(form?.get('resourceCode') ?? '');
  if (!form || !CODE.test(code)) return redirectTo('/search');
  const page = (notice: string, carried: Record<string, string> = {}) =>
    `/datasets/${code}?${new URLSearchParams({ review: notice, ...carried })}#reviews`;
  const usable = await usableSession(request);
  if (!usable)
    return redirectTo(`/auth/login?next=${encodeURIComponent(`/datasets/${code}#reviews`)}`);
  const { session, cookies } = usable;
  const refused = async (notice: 'input' | 'failed') =>
    redirectTo(page(notice, await carriedQuery('portal-review-form', form, session.sub)), cookies);
  try {
    if (form.get('op') === 'delete') {
      await deleteReview(session.accessToken, code);
      return redirectTo(page('deleted'), cookies);
    }
    const rating = Number(form.get('rating'));
    const comment = String(form.get('comment') ?? '').trim();
    if (
      !Number.isInteger(rating) ||
      rating < 1 ||
      rating > 5 ||
      comment.length > 500 ||
      UNSAFE.test(comment)
    )
      return await refused('input');
    const saved = await saveReview(session.accessToken, code, {
      rating,
      ...(comment ? { comment } : {}),
    });
    if (saved.kind === 'ok') return redirectTo(page('saved'), cookies);
    return await refused(saved.kind === 'not-found' ? 'input' : 'failed');
  } catch (error) {
    if (error instanceof ServiceUnavailableError)
      return form.get('op') === 'delete'
        ? redirectTo(page('failed'), cookies)
        : await refused('failed');
    throw error;
  }
}
