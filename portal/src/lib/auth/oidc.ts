import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { portalConfig } from '../../config.ts';
import type { Locale } from '../i18n/locales.ts';

/** What the portal needs of the provider's discovery document (standard OIDC, Keycloak too). */
interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  revocation_endpoint?: string;
}

export interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in?: number;
}

const TIMEOUT_MS = 10_000;
let discovery: Promise<Discovery> | undefined;
let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

/** The provider's endpoints, from `/.well-known/openid-configuration` (fetched once, retried on failure). */
export async function oidcDiscovery(): Promise<Discovery> {
  const { OIDC_ISSUER } = portalConfig();
  discovery ??= (async () => {
    const res = await fetch(`${OIDC_ISSUER}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`OIDC discovery: HTTP ${res.status}`);
    const document = (await res.json()) as Discovery;
    if (document.issuer !== OIDC_ISSUER) throw new Error('OIDC discovery: issuer mismatch');
    return document;
  })();
  try {
    return await discovery;
  } catch (error) {
    discovery = undefined;
    throw error;
  }
}

export function redirectUri(): string {
  return `${portalConfig().PORTAL_URL}/auth/callback`;
}

const random = () => randomBytes(32).toString('base64url');

export interface AuthorizationRequest {
  url: string;
  state: string;
  nonce: string;
  verifier: string;
}

/**
 * Where to send the browser to sign in: authorization code with PKCE (S256), a state against
 * forged callbacks and a nonce bound to the ID token. `prompt=login` because signing out of the
 * portal does not end the provider's own session: the next 登录 must ask again. `ui_locales`
 * carries the visitor's portal language, so the provider's pages (ours, or Keycloak's) speak it.
 */
export async function authorizationRequest(locale: Locale): Promise<AuthorizationRequest> {
  const { authorization_endpoint } = await oidcDiscovery();
  const state = random();
  const nonce = random();
  const verifier = random();
  const url = new URL(authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: portalConfig().OIDC_CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri(),
    scope: 'openid profile email',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state,
    nonce,
    prompt: 'login',
    ui_locales: locale,
  }).toString();
  return { url: url.toString(), state, nonce, verifier };
}

async function tokenRequest(body: Record<string, string>): Promise<TokenAnswer> {
  const { token_endpoint } = await oidcDiscovery();
  const res = await fetch(token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ ...body, client_id: portalConfig().OIDC_CLIENT_ID }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  // the answer carries tokens: only the status is ever reported
  if (!res.ok) throw new Error(`token endpoint: HTTP ${res.status}`);
  const answer = (await res.json()) as TokenAnswer;
  if (typeof answer.access_token !== 'string') throw new Error('token endpoint: no access token');
  return answer;
}

export function exchangeCode(code: string, verifier: string): Promise<TokenAnswer> {
  return tokenRequest({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri(),
    code_verifier: verifier,
  });
}

/** how long a renewal's answer serves the same (now used) refresh token again */
const RENEWAL_REUSE_MS = 60_000;
const RENEWALS = Symbol.for('gx.portal.renewals');

/**
 * New tokens for a refresh token, once per refresh token. The provider rotates a public client's
 * refresh token on every use and, shown a used one again, revokes the whole sign-in (reuse
 * detection). Two tabs, or two requests of one page, whose access token ran out together carry
 * the same refresh token: the later ones get the first renewal's answer instead of ending the
 * session. Kept a minute, per portal process, on globalThis (route handlers and pages are bundled
 * apart); keyed by the token's hash.
 */
export function refreshTokens(refreshToken: string): Promise<TokenAnswer> {
  const slot = globalThis as {
    [RENEWALS]?: Map<string, { at: number; answer: Promise<TokenAnswer> }>;
  };
  const renewals = (slot[RENEWALS] ??= new Map());
  const now = Date.now();
  for (const [key, entry] of renewals) if (now - entry.at > RENEWAL_REUSE_MS) renewals.delete(key);
  const key = createHash('sha256').update(refreshToken).digest('base64url');
  const known = renewals.get(key);
  if (known) return known.answer;
  const answer = tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
  renewals.set(key, { at: now, answer });
  // a refusal is not kept: the next try asks the provider again
  answer.catch(() => renewals.delete(key));
  return answer;
}

/** The ID token's claims once its signature, issuer, audience, expiry and nonce check out. */
export async function verifyIdToken(idToken: string, nonce: string): Promise<JWTPayload> {
  const { jwks_uri, issuer } = await oidcDiscovery();
  jwks ??= createRemoteJWKSet(new URL(jwks_uri));
  const { payload } = await jwtVerify(idToken, jwks, {
    issuer,
    audience: portalConfig().OIDC_CLIENT_ID,
  });
  if (payload.nonce !== nonce) throw new Error('ID token: nonce mismatch');
  return payload;
}

/** Best effort: the refresh token dies with the portal session (sign-out). */
export async function revokeRefreshToken(refreshToken: string): Promise<void> {
  try {
    const { revocation_endpoint } = await oidcDiscovery();
    if (!revocation_endpoint) return;
    await fetch(revocation_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: refreshToken,
        token_type_hint: 'refresh_token',
        client_id: portalConfig().OIDC_CLIENT_ID,
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    // the cookie is gone anyway; the token expires on its own
  }
}
