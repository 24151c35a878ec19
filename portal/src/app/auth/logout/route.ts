import { revokeRefreshToken } from '../../../lib/auth/oidc.ts';
import {
  clearSessionCookie,
  readSessionCookie,
  requestCookie,
  sameOrigin,
  SESSION_COOKIE,
} from '../../../lib/auth/session.ts';

export const dynamic = 'force-dynamic';

/** 退出: forget the session cookie and revoke its refresh token at the provider. */
export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) {
    return new Response('请求来源无效，请返回页面后重试。', {
      status: 403,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  const state = await readSessionCookie(requestCookie(request, SESSION_COOKIE));
  if ((state.kind === 'active' || state.kind === 'renew') && state.session.refreshToken) {
    await revokeRefreshToken(state.session.refreshToken);
  }
  const headers = new Headers({ Location: '/', 'Cache-Control': 'no-store' });
  headers.append('Set-Cookie', clearSessionCookie());
  return new Response(null, { status: 303, headers });
}
