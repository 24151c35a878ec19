import { authorizationRequest } from '../../../lib/auth/oidc.ts';
import { loginCookie, refererPath, requestCookie, safeNext } from '../../../lib/auth/session.ts';
import { LOCALE_COOKIE, toLocale } from '../../../lib/i18n/locales.ts';

export const dynamic = 'force-dynamic';

/**
 * 登录 (and, from the provider's login page, 注册): starts the authorization code flow with
 * PKCE, asking the provider for the language the visitor chose in the portal. The state, nonce
 * and verifier travel in a short-lived encrypted cookie scoped to /auth.
 */
export async function GET(request: Request): Promise<Response> {
  // without `next` (登录 in the header), back to the page it was clicked on
  const next = safeNext(new URL(request.url).searchParams.get('next') ?? refererPath(request));
  const locale = toLocale(requestCookie(request, LOCALE_COOKIE));
  let authorization;
  try {
    authorization = await authorizationRequest(locale);
  } catch {
    // the provider is not reachable: say so on a page rather than fail the request
    return new Response(null, {
      status: 303,
      headers: { Location: '/auth/expired?reason=unavailable', 'Cache-Control': 'no-store' },
    });
  }
  const headers = new Headers({ Location: authorization.url, 'Cache-Control': 'no-store' });
  headers.append(
    'Set-Cookie',
    await loginCookie({
      state: authorization.state,
      nonce: authorization.nonce,
      verifier: authorization.verifier,
      next,
    }),
  );
  return new Response(null, { status: 303, headers });
}
