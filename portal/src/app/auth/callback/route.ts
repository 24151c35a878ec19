import { exchangeCode, verifyIdToken } from '../../../lib/auth/oidc.ts';
import {
  clearLoginCookie,
  LOGIN_COOKIE,
  readLoginCookie,
  requestCookie,
  sessionCookie,
  sessionFromTokens,
} from '../../../lib/auth/session.ts';

export const dynamic = 'force-dynamic';

function redirect(location: string, cookies: string[]): Response {
  const headers = new Headers({ Location: location, 'Cache-Control': 'no-store' });
  for (const cookie of cookies) headers.append('Set-Cookie', cookie);
  return new Response(null, { status: 303, headers });
}

/**
 * The provider sends the browser back here with a code: check the state, redeem the code with
 * the PKCE verifier, verify the ID token's nonce, and keep the tokens in the encrypted session
 * cookie. Any failure (a stale or replayed callback, a refused code) ends on the friendly
 * 请重新登录 page, never on an error.
 */
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const pending = await readLoginCookie(requestCookie(request, LOGIN_COOKIE));
  const code = params.get('code');
  if (!pending || !code || params.get('state') !== pending.state) {
    return redirect('/auth/expired?reason=login', [clearLoginCookie()]);
  }
  try {
    const tokens = await exchangeCode(code, pending.verifier);
    if (!tokens.id_token) throw new Error('no ID token');
    const claims = await verifyIdToken(tokens.id_token, pending.nonce);
    const session = sessionFromTokens(tokens, claims);
    return redirect(pending.next, [clearLoginCookie(), await sessionCookie(session)]);
  } catch {
    return redirect('/auth/expired?reason=login', [clearLoginCookie()]);
  }
}
