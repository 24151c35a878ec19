import { portalConfig } from '../../config.ts';
import type { TokenAnswer } from './oidc.ts';
import { seal, unseal } from './sessionCrypto.ts';

export const SESSION_COOKIE = 'gx_session';
export const LOGIN_COOKIE = 'gx_login';
const SESSION_PURPOSE = 'session';
const LOGIN_PURPOSE = 'login';
/** a session lives as long as the provider's refresh token may (14 days), not longer */
const SESSION_TTL_SECONDS = 14 * 24 * 3600;
/** the sign-in round trip (state, nonce, PKCE verifier) must finish within 10 minutes */
const LOGIN_TTL_SECONDS = 600;
/** renew the access token when it has less than this left, so an API call does not race it */
const RENEW_MARGIN_SECONDS = 20;

/** The signed-in developer, kept only in the encrypted httpOnly cookie (no server-side store). */
export interface Session {
  sub: string;
  name: string;
  accessToken: string;
  /** epoch seconds */
  accessExpiresAt: number;
  refreshToken?: string;
}

export type SessionState =
  | { kind: 'signed-out' }
  /** a cookie that does not decrypt (tampered, or sealed by another key) or has run out */
  | { kind: 'invalid' }
  /** the access token is (about to be) stale and a refresh token can renew it */
  | { kind: 'renew'; session: Session }
  | { kind: 'active'; session: Session };

export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export function sessionFromTokens(
  tokens: TokenAnswer,
  claims: { sub?: string; name?: unknown; preferred_username?: unknown },
  previous?: Session,
): Session {
  const name =
    (typeof claims.name === 'string' && claims.name) ||
    (typeof claims.preferred_username === 'string' && claims.preferred_username) ||
    previous?.name ||
    '开发者';
  return {
    sub: claims.sub ?? previous?.sub ?? '',
    name,
    accessToken: tokens.access_token,
    accessExpiresAt: nowSeconds() + (tokens.expires_in ?? 300),
    refreshToken: tokens.refresh_token ?? previous?.refreshToken,
  };
}

export function classify(session: Session | undefined, present: boolean): SessionState {
  if (!present) return { kind: 'signed-out' };
  if (!session) return { kind: 'invalid' };
  if (session.accessExpiresAt - RENEW_MARGIN_SECONDS > nowSeconds()) {
    return { kind: 'active', session };
  }
  return session.refreshToken ? { kind: 'renew', session } : { kind: 'invalid' };
}

export async function readSessionCookie(value: string | undefined): Promise<SessionState> {
  return classify(await unseal<Session>(SESSION_PURPOSE, value), value !== undefined);
}

function cookieAttributes(path: string, maxAge: number): string {
  const secure = portalConfig().PORTAL_URL.startsWith('https:') ? '; Secure' : '';
  return `Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

export async function sessionCookie(session: Session): Promise<string> {
  const value = await seal(SESSION_PURPOSE, { ...session }, SESSION_TTL_SECONDS);
  return `${SESSION_COOKIE}=${value}; ${cookieAttributes('/', SESSION_TTL_SECONDS)}`;
}

export function clearSessionCookie(): string {
  return `${SESSION_COOKIE}=; ${cookieAttributes('/', 0)}`;
}

export async function loginCookie(pending: PendingLogin): Promise<string> {
  const value = await seal(LOGIN_PURPOSE, { ...pending }, LOGIN_TTL_SECONDS);
  return `${LOGIN_COOKIE}=${value}; ${cookieAttributes('/auth', LOGIN_TTL_SECONDS)}`;
}

export function clearLoginCookie(): string {
  return `${LOGIN_COOKIE}=; ${cookieAttributes('/auth', 0)}`;
}

export function readLoginCookie(value: string | undefined): Promise<PendingLogin | undefined> {
  return unseal<PendingLogin>(LOGIN_PURPOSE, value);
}

/** The cookie value of `name` in a request's Cookie header. */
export function requestCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/**
 * A path of this site to return to after signing in; anything else (another host, `//evil`,
 * a backslash trick) becomes /developer, so the redirect can never leave the portal.
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) {
    return '/developer';
  }
  if (/[\\\s]/.test(value)) return '/developer';
  return value;
}

/**
 * CSRF defence for the POST forms, on top of the SameSite=Lax cookie: the browser's Origin (or,
 * failing that, Referer) must be the portal itself.
 */
export function sameOrigin(request: Request): boolean {
  const expected = portalOrigins(request);
  const origin = request.headers.get('origin');
  if (origin) return expected.has(origin);
  const referer = request.headers.get('referer');
  if (!referer) return false;
  try {
    return expected.has(new URL(referer).origin);
  } catch {
    return false;
  }
}

/** the portal's origin as configured, and as the request's Host names it */
function portalOrigins(request: Request): Set<string> {
  const expected = new Set([new URL(portalConfig().PORTAL_URL).origin]);
  const host = request.headers.get('host');
  if (host) expected.add(`${new URL(portalConfig().PORTAL_URL).protocol}//${host}`);
  return expected;
}

/**
 * The portal page a request came from (its Referer), for 登录 in the header, which every page
 * shares: the visitor returns to where they were. Undefined for another site, for the sign-in
 * pages themselves and when the browser sent no Referer.
 */
export function refererPath(request: Request): string | undefined {
  const referer = request.headers.get('referer');
  if (!referer) return undefined;
  try {
    const url = new URL(referer);
    if (!portalOrigins(request).has(url.origin) || url.pathname.startsWith('/auth/')) {
      return undefined;
    }
    return `${url.pathname}${url.search}`;
  } catch {
    return undefined;
  }
}

/** The answer to a form posted from anywhere but the portal (see `sameOrigin`). */
export function foreignOrigin(message = '请求来源无效，请返回原页面后重试。'): Response {
  return new Response(message, {
    status: 403,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
