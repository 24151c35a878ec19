import { refreshTokens } from '../../../lib/auth/oidc.ts';
import {
  clearSessionCookie,
  readSessionCookie,
  requestCookie,
  safeNext,
  SESSION_COOKIE,
  sessionCookie,
  sessionFromTokens,
} from '../../../lib/auth/session.ts';

export const dynamic = 'force-dynamic';

/**
 * Server components cannot set cookies, so a page whose access token has run out sends the
 * browser here: the refresh token buys a new access token, the cookie is rewritten and the
 * browser goes back. When the provider refuses (refresh token expired or revoked), the session
 * ends on the friendly 请重新登录 page.
 */
export async function GET(request: Request): Promise<Response> {
  const next = safeNext(new URL(request.url).searchParams.get('next'));
  const state = await readSessionCookie(requestCookie(request, SESSION_COOKIE));
  const headers = new Headers({ 'Cache-Control': 'no-store' });
  if (state.kind === 'active') {
    headers.set('Location', next);
  } else if (state.kind === 'renew' && state.session.refreshToken) {
    try {
      const tokens = await refreshTokens(state.session.refreshToken);
      headers.set('Location', next);
      headers.append(
        'Set-Cookie',
        await sessionCookie(sessionFromTokens(tokens, {}, state.session)),
      );
    } catch {
      headers.set('Location', `/auth/expired?next=${encodeURIComponent(next)}`);
      headers.append('Set-Cookie', clearSessionCookie());
    }
  } else {
    headers.set('Location', `/auth/expired?next=${encodeURIComponent(next)}`);
    headers.append('Set-Cookie', clearSessionCookie());
  }
  return new Response(null, { status: 303, headers });
}
