import { createHash, randomBytes } from 'node:crypto';

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in: number;
  token_type: string;
}

/** Client credentials grant, as a department system does it. */
export async function clientCredentialsToken(
  issuer: string,
  clientId: string,
  clientSecret: string,
): Promise<TokenSet> {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  if (!res.ok)
    throw new Error(`client credentials for ${clientId}: ${res.status} ${await res.text()}`);
  return (await res.json()) as TokenSet;
}

class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(res: Response) {
    for (const header of res.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface PasswordLoginOptions {
  issuer: string;
  clientId: string;
  redirectUri: string;
  username: string;
  password: string;
  scope?: string;
}

/**
 * Authorization code flow with PKCE driven like a browser would (cookies, redirects, the login
 * form), returning the tokens the portal would get. Throws with the page text when the login
 * form refuses the credentials.
 */
export async function passwordLogin(options: PasswordLoginOptions): Promise<TokenSet> {
  const jar = new CookieJar();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(8).toString('hex');
  const authorize = new URL(`${options.issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: options.clientId,
    response_type: 'code',
    redirect_uri: options.redirectUri,
    scope: options.scope ?? 'openid profile email department',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  }).toString();

  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers ?? {}), cookie: jar.header() },
    });
    jar.store(res);
    return res;
  };
  let res = await go(authorize.toString());
  let code: string | undefined;
  for (let step = 0; step < 10 && !code; step += 1) {
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, options.issuer);
      if (next.toString().startsWith(options.redirectUri)) {
        if (next.searchParams.get('state') !== state) throw new Error('state mismatch');
        code = next.searchParams.get('code') ?? undefined;
        if (!code)
          throw new Error(
            `authorization failed: ${next.searchParams.get('error_description') ?? next.search}`,
          );
        break;
      }
      res = await go(next.toString());
      continue;
    }
    const page = await res.text();
    const action = /<form method="post" action="([^"]+\/login)"/.exec(page)?.[1];
    if (!action || res.status !== 200)
      throw new Error(
        `login page refused (${res.status}): ${page
          .replace(/<head>[\s\S]*<\/head>/, '')
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .slice(0, 300)}`,
      );
    res = await go(new URL(action, options.issuer).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: options.username, password: options.password }),
    });
  }
  if (!code) throw new Error('no authorization code after 10 steps');
  const token = await fetch(`${options.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: options.redirectUri,
      client_id: options.clientId,
      code_verifier: verifier,
    }),
  });
  if (!token.ok) throw new Error(`code exchange: ${token.status} ${await token.text()}`);
  return (await token.json()) as TokenSet;
}
