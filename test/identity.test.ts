import { createHash, createPrivateKey, randomBytes } from 'node:crypto';
import pg from 'pg';
import { SignJWT, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogApp, type CatalogConfig } from '@gx/catalog';
import { createExchangeApiApp, type ExchangeApiConfig } from '@gx/exchange-api';
import {
  createDatabase,
  createMetrics,
  demoSystemSecret,
  DEMO_PASSWORD,
  seedDemo,
  type Database,
} from '@gx/platform';
import { API_AUDIENCE, createIdentityApp, PORTAL_CLIENT_ID } from '@gx/platform/identity-provider';
import {
  captureLogs,
  clientCredentialsToken,
  createTestDatabase,
  freePort,
  listen,
  passwordLogin,
  type Listening,
  type TestDatabase,
} from '@gx/platform/testing';
import { GET as portalSignIn } from '../portal/src/app/auth/login/route.ts';
import { messages as portalMessages } from '../portal/src/lib/i18n/messages.ts';

const REDIRECT_URI = 'http://127.0.0.1:3000/auth/callback';

let testDb: TestDatabase;
let db: Database;
let issuer: string;
let identity: Listening;
let exchangeA: Listening;
let exchangeB: Listening;
let catalog: Listening;
const logs = [
  captureLogs('identity'),
  captureLogs('exchange-a'),
  captureLogs('exchange-b'),
  captureLogs('catalog'),
];
/** every credential handed out during the run: none may appear in any log */
const secrets: string[] = [];

function serviceConfig(): ExchangeApiConfig & CatalogConfig {
  return {
    PORT: 0,
    HOST: '127.0.0.1',
    DATABASE_URL: testDb.url,
    DB_POOL_MAX: 5,
    LOG_LEVEL: 'trace',
    OIDC_ISSUER: issuer,
    OIDC_AUDIENCE: API_AUDIENCE,
    IDENTITY_PROVIDER: 'embedded',
    SHARING_DECISION_DAYS: 5,
    EVIDENCE_VERIFY_INTERVAL_SECONDS: 300,
    EVIDENCE_FULL_VERIFY_HOURS: 24,
    RECORD_DELETION_RETENTION_HOURS: 168,
    RECORD_DELETION_PURGE_INTERVAL_SECONDS: 0,
    PUBLIC_EXCHANGE_URL: 'http://127.0.0.1:4000',
    PUBLIC_PORTAL_URL: 'http://127.0.0.1:3000',
  };
}

async function startIdentity(port: number, logIndex = 0): Promise<Listening> {
  const { app } = await createIdentityApp({
    issuer,
    portalUrl: 'http://127.0.0.1:3000',
    db,
    logger: logs[logIndex]!.logger,
    metrics: createMetrics('identity'),
  });
  return listen(app, port);
}

async function login(username: string) {
  const tokens = await passwordLogin({
    issuer,
    clientId: PORTAL_CLIENT_ID,
    redirectUri: REDIRECT_URI,
    username,
    password: DEMO_PASSWORD,
  });
  secrets.push(tokens.access_token, tokens.refresh_token ?? '');
  return tokens;
}

async function systemToken(clientId: string, secret = demoSystemSecret(clientId)) {
  const tokens = await clientCredentialsToken(issuer, clientId, secret);
  secrets.push(tokens.access_token);
  return tokens.access_token;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const json = (token: string) => ({ ...bearer(token), 'content-type': 'application/json' });

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await res.json()) as { type: string; detail: string };
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase({ url: testDb.url, max: 10 });
  await seedDemo(db.pool);
  const identityPort = await freePort();
  issuer = `http://127.0.0.1:${identityPort}`;
  identity = await startIdentity(identityPort);
  const deps = (index: number) => ({
    config: serviceConfig(),
    logger: logs[index]!.logger,
    metrics: createMetrics(`svc-${index}`),
    db,
  });
  exchangeA = await listen(createExchangeApiApp(deps(1)));
  exchangeB = await listen(createExchangeApiApp(deps(2)));
  catalog = await listen(createCatalogApp(deps(3)));
});

afterAll(async () => {
  await Promise.all([identity, exchangeA, exchangeB, catalog].map((s) => s?.close()));
  await db?.close();
  await testDb?.drop();
});

describe('embedded identity provider', () => {
  it('publishes discovery and keys', async () => {
    const metadata = (await (
      await fetch(`${issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']),
    );
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    const jwks = (await (await fetch(String(metadata.jwks_uri))).json()) as { keys: JWK[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true); // public parts only
  });

  it('lets a department system obtain a token by client credentials and call a protected endpoint', async () => {
    const token = await systemToken('hz-gaj-system');
    const res = await fetch(`${exchangeA.base}/v1/me`, { headers: bearer(token) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      kind: 'system',
      username: 'hz-gaj-system',
      departmentCode: 'hz-gaj',
      regionCode: '330100000000',
      roles: ['system'],
    });
  });

  it('refuses a wrong client secret', async () => {
    await expect(clientCredentialsToken(issuer, 'hz-gaj-system', 'not-the-secret')).rejects.toThrow(
      /401/,
    );
  });

  it('signs a person in with authorization code + PKCE and issues a refresh token that works', async () => {
    const tokens = await login('hz-gaj.steward');
    expect(tokens.refresh_token).toBeTruthy();
    const me = await (
      await fetch(`${exchangeA.base}/v1/me`, { headers: bearer(tokens.access_token) })
    ).json();
    expect(me).toMatchObject({
      kind: 'user',
      username: 'hz-gaj.steward',
      displayName: '李静',
      departmentCode: 'hz-gaj',
      roles: ['steward'],
    });

    const refreshed = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
        client_id: PORTAL_CLIENT_ID,
      }),
    });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as { access_token: string };
    secrets.push(next.access_token);
    expect(
      (await fetch(`${catalog.base}/v1/departments/hz-gaj`, { headers: bearer(next.access_token) }))
        .status,
    ).toBe(200);
  });

  it('refuses a wrong password on the login page', async () => {
    await expect(
      passwordLogin({
        issuer,
        clientId: PORTAL_CLIENT_ID,
        redirectUri: REDIRECT_URI,
        username: 'hz-gaj.steward',
        password: 'wrong',
      }),
    ).rejects.toThrow(/login page refused \(401\).*用户名或密码错误/);
  });

  it('keeps its signing keys across a restart: tokens issued before still verify', async () => {
    const token = await systemToken('hz-rsj-system');
    await identity.close();
    identity = await startIdentity(identity.port);
    // a fresh service (no cached keys) verifies the old token against the restarted provider
    const fresh = await listen(
      createExchangeApiApp({
        config: serviceConfig(),
        logger: logs[1]!.logger,
        metrics: createMetrics('fresh'),
        db,
      }),
    );
    try {
      expect((await fetch(`${fresh.base}/v1/me`, { headers: bearer(token) })).status).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});

/**
 * A browser on the provider's pages: keeps cookies, follows redirects until a page answers, and
 * submits that page's forms.
 */
function providerBrowser() {
  const cookies = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const res = await fetch(new URL(url, issuer), {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const header of res.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const index = pair!.indexOf('=');
      const value = pair!.slice(index + 1);
      if (value) cookies.set(pair!.slice(0, index), value);
      else cookies.delete(pair!.slice(0, index));
    }
    return res;
  };
  /** the page a URL ends on, after the provider's redirects */
  const open = async (url: string) => {
    let res = await go(url);
    while (res.status >= 300 && res.status < 400) {
      await res.arrayBuffer();
      res = await go(res.headers.get('location')!);
    }
    return { status: res.status, html: await res.text() };
  };
  const submit = async (action: string, fields: Record<string, string>) => {
    const res = await go(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  };
  return { open, submit };
}

/** The portal's authorization request, with `extra` parameters (ui_locales…). */
function authorizeUrl(extra: Record<string, string> = {}): string {
  const url = new URL(`${issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: PORTAL_CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email',
    code_challenge: createHash('sha256').update(randomBytes(32)).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
    prompt: 'login',
    ...extra,
  }).toString();
  return url.toString();
}

const pageTitle = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
const pageLang = (html: string) => /<html lang="([^"]*)">/.exec(html)?.[1];
const pageError = (html: string) =>
  /<p class="error" role="alert"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];
/** the inputs that carry aria-invalid and point at the page's alert */
const refusedInputs = (html: string) => {
  const alert = /<p class="error" role="alert" id="([^"]+)"/.exec(html)?.[1];
  return [...html.matchAll(/<input id="(\w+)"[^>]*>/g)]
    .filter(([tag]) =>
      tag.includes(`aria-invalid="true" aria-describedby="${alert ?? 'no alert'}"`),
    )
    .map(([, id]) => id);
};
const formAction = (html: string, step: 'login' | 'signup') =>
  new RegExp(`<form method="post" action="(/interaction/[^/"]+/${step})"`).exec(html)![1]!;
const signupLink = (html: string) => /<a href="(\/interaction\/[^/"]+\/signup)">/.exec(html)![1]!;
const HAN = /\p{Script=Han}/u;

describe('the sign-in and sign-up pages', () => {
  it.each([
    ['no language', {}],
    ['a language it does not speak', { ui_locales: 'fr-FR' }],
  ])(
    'are in Chinese, titled with the portal’s site name, when the request asks for %s',
    async (_name, extra) => {
      const siteName = portalMessages('zh-CN').siteName;
      expect(siteName).toBe('杭州市公共数据开放平台');
      const browser = providerBrowser();
      const login = await browser.open(authorizeUrl(extra));
      expect(login.status).toBe(200);
      expect(pageLang(login.html)).toBe('zh-CN');
      expect(pageTitle(login.html)).toBe(`登录 · ${siteName}`);
      expect(login.html).toContain(`继续访问「${siteName}」`);
      expect(login.html).toContain('用户名或邮箱');
      const signup = await browser.open(signupLink(login.html));
      expect(pageLang(signup.html)).toBe('zh-CN');
      expect(pageTitle(signup.html)).toBe(`注册开发者账号 · ${siteName}`);
      expect(signup.html).toContain('密码（10–200 位）');
    },
  );

  it('speak English throughout, messages included, when the request says ui_locales=en', async () => {
    const siteName = portalMessages('en').siteName;
    const browser = providerBrowser();
    const login = await browser.open(authorizeUrl({ ui_locales: 'en' }));
    expect(pageLang(login.html)).toBe('en');
    expect(pageTitle(login.html)).toBe(`Sign in · ${siteName}`);
    expect(login.html).toContain('Username or email');
    expect(login.html).not.toMatch(HAN);

    const wrong = await browser.submit(formAction(login.html, 'login'), {
      login: 'hz-gaj.steward',
      password: 'not-the-password',
    });
    expect(wrong.status).toBe(401);
    expect(pageError(wrong.html)).toBe('Incorrect username or password');
    expect(wrong.html).not.toMatch(HAN);

    const signup = await browser.open(signupLink(login.html));
    expect(pageLang(signup.html)).toBe('en');
    expect(pageTitle(signup.html)).toBe(`Sign up as a developer · ${siteName}`);
    expect(signup.html).not.toMatch(HAN);
    const refused = await browser.submit(formAction(signup.html, 'signup'), {
      username: 'english-dev',
      displayName: 'Ada',
      email: 'ada@example.com',
      password: 'x'.repeat(201),
    });
    expect(refused.status).toBe(400);
    expect(pageError(refused.html)).toBe('The password must be 10–200 characters long');
    expect(refusedInputs(refused.html)).toEqual(['password']);
    expect(refused.html).not.toMatch(HAN);
    // two fields wrong: both named, both marked
    const twice = await browser.submit(formAction(signup.html, 'signup'), {
      username: 'english-dev',
      displayName: '   ',
      email: 'ada@localhost',
      password: 'correct horse battery',
    });
    expect(twice.status).toBe(400);
    expect(pageError(twice.html)).toBe(
      'Please enter a name or nickname. The email address is not valid',
    );
    expect(refusedInputs(twice.html)).toEqual(['displayName', 'email']);
  });

  it('tells a sign-up the real length limits, and takes a password of exactly 200 characters', async () => {
    const browser = providerBrowser();
    const login = await browser.open(authorizeUrl());
    const action = formAction((await browser.open(signupLink(login.html))).html, 'signup');
    const form = {
      username: 'long-password-dev',
      displayName: '长密码',
      email: 'long-password-dev@example.com',
    };
    const tryForm = async (fields: Record<string, string>) => {
      const answer = await browser.submit(action, { ...form, password: 'p'.repeat(12), ...fields });
      expect(answer.status).toBe(400);
      return pageError(answer.html);
    };
    expect(await tryForm({ password: 'p'.repeat(201) })).toBe('密码长度应为 10–200 位');
    expect(await tryForm({ password: 'p'.repeat(9) })).toBe('密码长度应为 10–200 位');
    expect(await tryForm({ email: `${'e'.repeat(189)}@example.com` })).toBe(
      '邮箱不能超过 200 个字符',
    );
    expect(await tryForm({ displayName: '名'.repeat(51) })).toBe('姓名或昵称不能超过 50 字');
    expect(await tryForm({ username: 'u'.repeat(33) })).toMatch(/^用户名应为 3–32 位/);
    const { rows: none } = await db.pool.query(`SELECT 1 FROM users WHERE username = $1`, [
      form.username,
    ]);
    expect(none).toHaveLength(0);

    const created = await browser.submit(action, { ...form, password: 'p'.repeat(200) });
    expect(created.status).toBe(303);
    expect(created.location).toMatch(/\/auth\//);
    const { rows } = await db.pool.query(`SELECT kind FROM users WHERE username = $1`, [
      form.username,
    ]);
    expect(rows).toEqual([{ kind: 'developer' }]);
  });

  it('refuses a username that differs from a taken one only in letter case', async () => {
    const browser = providerBrowser();
    const login = await browser.open(authorizeUrl());
    const action = formAction((await browser.open(signupLink(login.html))).html, 'signup');
    // `developer` is the demo developer (张伟); `Developer` would be a second account that
    // sign-in, which finds accounts whatever their case, could confuse with it
    const impostor = await browser.submit(action, {
      username: 'Developer',
      displayName: '冒名者',
      email: 'impostor@example.com',
      password: 'Impostor@2026',
    });
    expect(impostor.status).toBe(409);
    expect(pageError(impostor.html)).toBe('用户名或邮箱已被注册');
    const { rows } = await db.pool.query<{ username: string }>(
      `SELECT username FROM users WHERE lower(username) = 'developer'`,
    );
    expect(rows).toEqual([{ username: 'developer' }]);
    // the database itself keeps a case variant out, whoever writes it
    await expect(
      db.pool.query(
        `INSERT INTO users (username, display_name, kind, roles) VALUES ('DEVELOPER', 'x', 'developer', '{developer}')`,
      ),
    ).rejects.toThrow(/users_username_lower_key/);

    // and the real account signs in under any case of its name
    const other = providerBrowser();
    const again = await other.open(authorizeUrl());
    const signedIn = await other.submit(formAction(again.html, 'login'), {
      login: 'DEVELOPER',
      password: DEMO_PASSWORD,
    });
    expect(signedIn.status).toBe(303);
  });

  it('asks for what is missing when the sign-in form is sent with an empty field', async () => {
    const browser = providerBrowser();
    const login = await browser.open(authorizeUrl());
    const answer = await browser.submit(formAction(login.html, 'login'), {
      login: 'hz-gaj.steward',
      password: '',
    });
    expect(answer.status).toBe(400);
    expect(pageError(answer.html)).toBe('请填写用户名或邮箱，以及密码');
  });

  it('follow the language a visitor chose in the portal (its gx_lang cookie)', async () => {
    // the portal's own 登录 route, configured as the portal is, against this provider
    process.env.OIDC_ISSUER = issuer;
    process.env.PORTAL_URL = 'http://127.0.0.1:3000';
    const signIn = (cookie?: string) =>
      portalSignIn(
        new Request('http://127.0.0.1:3000/auth/login?next=/developer', {
          headers: cookie ? { cookie } : {},
        }),
      );
    const english = await signIn('gx_lang=en; gx_elder=0');
    expect(english.status).toBe(303);
    const location = english.headers.get('location')!;
    expect(new URL(location).searchParams.get('ui_locales')).toBe('en');
    const page = await providerBrowser().open(location);
    expect(pageLang(page.html)).toBe('en');
    expect(pageTitle(page.html)).toBe(`Sign in · ${portalMessages('en').siteName}`);

    const chinese = await providerBrowser().open((await signIn()).headers.get('location')!);
    expect(pageLang(chinese.html)).toBe('zh-CN');
    expect(pageTitle(chinese.html)).toBe(`登录 · ${portalMessages('zh-CN').siteName}`);
  });
});

describe('token verification at the services', () => {
  /** Sign with the provider's real key: only the claim under test is wrong. */
  async function forge(claims: Record<string, unknown>) {
    const { rows } = await db.pool.query<{ key: JWK }>(
      `SELECT key FROM identity_keys WHERE use = 'sig' LIMIT 1`,
    );
    const jwk = rows[0]!.key;
    const key = await importJWK(jwk, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      realm_access: { roles: ['platform-admin'] },
      department: 'hz-dsj',
      preferred_username: 'admin',
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid!, typ: 'at+jwt' })
      .setSubject('forged')
      .setIssuer((claims.iss as string) ?? issuer)
      .setAudience((claims.aud as string) ?? API_AUDIENCE)
      .setIssuedAt(now - 10)
      .setExpirationTime((claims.exp as number) ?? now + 300)
      .sign(key);
  }

  it('accepts a correctly signed token (the forging helper itself is sound)', async () => {
    expect(
      (await fetch(`${exchangeA.base}/v1/me`, { headers: bearer(await forge({})) })).status,
    ).toBe(200);
  });

  it.each([
    ['wrong issuer', { iss: 'https://evil.example/realms/gov-exchange' }, /iss/],
    ['wrong audience', { aud: 'another-api' }, /aud/],
    ['expired', { exp: Math.floor(Date.now() / 1000) - 3600 }, /过期|expired/],
  ])('answers 401 problem+json for a token with %s', async (_name, claims, detail) => {
    const res = await fetch(`${exchangeA.base}/v1/me`, { headers: bearer(await forge(claims)) });
    const body = await problem(res, 401);
    expect(body.type).toBe('/problems/unauthenticated');
    expect(body.detail).toMatch(detail);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers 401 for a real token with an altered signature or payload', async () => {
    const token = await systemToken('hz-mzj-system');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped =
      signature.slice(0, 20) + (signature[20] === 'A' ? 'B' : 'A') + signature.slice(21);
    expect(
      (
        await problem(
          await fetch(`${exchangeA.base}/v1/me`, {
            headers: bearer(`${header}.${payload}.${flipped}`),
          }),
          401,
        )
      ).detail,
    ).toMatch(/签名/);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const elevated = Buffer.from(
      JSON.stringify({ ...claims, realm_access: { roles: ['platform-admin'] } }),
    ).toString('base64url');
    await problem(
      await fetch(`${exchangeA.base}/v1/me`, {
        headers: bearer(`${header}.${elevated}.${signature}`),
      }),
      401,
    );
  });

  it('answers 401 for garbage and for an unsigned token', async () => {
    await problem(await fetch(`${exchangeA.base}/v1/me`, { headers: bearer('not-a-jwt') }), 401);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', iss: issuer, aud: API_AUDIENCE })).toString('base64url')}.`;
    await problem(await fetch(`${exchangeA.base}/v1/me`, { headers: bearer(none) }), 401);
    await problem(
      await fetch(`${exchangeA.base}/v1/me`, { headers: { authorization: 'Basic dXNlcjpwdw==' } }),
      401,
    );
  });

  it('uses a private key type the provider really holds (RSA)', async () => {
    const { rows } = await db.pool.query<{ key: JWK }>(
      `SELECT key FROM identity_keys WHERE use = 'sig' LIMIT 1`,
    );
    expect(createPrivateKey({ key: rows[0]!.key as never, format: 'jwk' }).asymmetricKeyType).toBe(
      'rsa',
    );
  });
});

describe('authorization', () => {
  it('lets a steward change their own department and refuses another department with 403', async () => {
    const { access_token } = await login('hz-gaj.steward');
    const own = await fetch(`${catalog.base}/v1/departments/hz-gaj`, {
      method: 'PATCH',
      headers: json(access_token),
      body: JSON.stringify({ contactPhone: '0571-87280001' }),
    });
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ code: 'hz-gaj', contactPhone: '0571-87280001' });

    const before = await (await fetch(`${catalog.base}/v1/departments/hz-mzj`)).json();
    const other = await fetch(`${catalog.base}/v1/departments/hz-mzj`, {
      method: 'PATCH',
      headers: json(access_token),
      body: JSON.stringify({ contactPhone: '0571-00000000' }),
    });
    expect((await problem(other, 403)).type).toBe('/problems/not-allowed');
    expect(await (await fetch(`${catalog.base}/v1/departments/hz-mzj`)).json()).toEqual(before);
  });

  it('refuses an anonymous change with 401 and a department system with 403', async () => {
    await problem(
      await fetch(`${catalog.base}/v1/departments/hz-gaj`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contactName: '匿名' }),
      }),
      401,
    );
    const token = await systemToken('hz-gaj-system');
    await problem(
      await fetch(`${catalog.base}/v1/departments/hz-gaj`, {
        method: 'PATCH',
        headers: json(token),
        body: JSON.stringify({ contactName: '系统' }),
      }),
      403,
    );
  });

  it('lets a platform admin register a system whose client then gets tokens; rotation and disabling take effect', async () => {
    const admin = await login('admin');
    const created = await fetch(`${exchangeA.base}/v1/systems`, {
      method: 'POST',
      headers: json(admin.access_token),
      body: JSON.stringify({
        departmentCode: 'hz-mzj',
        name: '婚姻登记系统',
        clientId: 'hz-mzj-marriage',
      }),
    });
    expect(created.status).toBe(201);
    const { system, clientSecret } = (await created.json()) as {
      system: { clientId: string };
      clientSecret: string;
    };
    secrets.push(clientSecret);
    expect(system.clientId).toBe('hz-mzj-marriage');
    const me = await (
      await fetch(`${exchangeB.base}/v1/me`, {
        headers: bearer(await systemToken('hz-mzj-marriage', clientSecret)),
      })
    ).json();
    expect(me).toMatchObject({ kind: 'system', departmentCode: 'hz-mzj' });

    const duplicate = await fetch(`${exchangeA.base}/v1/systems`, {
      method: 'POST',
      headers: json(admin.access_token),
      body: JSON.stringify({ departmentCode: 'hz-mzj', name: '重复', clientId: 'hz-mzj-marriage' }),
    });
    await problem(duplicate, 409);

    const rotated = (await (
      await fetch(`${exchangeA.base}/v1/systems/hz-mzj-marriage/secret`, {
        method: 'POST',
        headers: bearer(admin.access_token),
      })
    ).json()) as { clientSecret: string };
    secrets.push(rotated.clientSecret);
    await expect(clientCredentialsToken(issuer, 'hz-mzj-marriage', clientSecret)).rejects.toThrow(
      /401/,
    );
    await systemToken('hz-mzj-marriage', rotated.clientSecret);

    const disabled = await fetch(`${exchangeA.base}/v1/systems/hz-mzj-marriage/disable`, {
      method: 'POST',
      headers: bearer(admin.access_token),
    });
    expect(await disabled.json()).toMatchObject({ status: 'disabled' });
    await expect(
      clientCredentialsToken(issuer, 'hz-mzj-marriage', rotated.clientSecret),
    ).rejects.toThrow(/401/);
  });

  it('refuses system registration to a steward (403) and hides other departments’ systems from them (404)', async () => {
    const steward = await login('hz-gaj.steward');
    await problem(
      await fetch(`${exchangeA.base}/v1/systems`, {
        method: 'POST',
        headers: json(steward.access_token),
        body: JSON.stringify({ departmentCode: 'hz-gaj', name: '自建系统' }),
      }),
      403,
    );
    const own = (await (
      await fetch(`${exchangeA.base}/v1/systems`, { headers: bearer(steward.access_token) })
    ).json()) as {
      items: { departmentCode: string }[];
    };
    expect(own.items.map((s) => s.departmentCode)).toEqual(['hz-gaj']);
    await problem(
      await fetch(`${exchangeA.base}/v1/systems?department=hz-mzj`, {
        headers: bearer(steward.access_token),
      }),
      404,
    );
  });
});

describe('developer API keys', () => {
  let developer: string;

  async function createKey(body: Record<string, unknown>) {
    const res = await fetch(`${exchangeA.base}/v1/api-keys`, {
      method: 'POST',
      headers: json(developer),
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { apiKey: { id: string; keyId: string }; key: string };
    secrets.push(created.key);
    return created;
  }

  const call = (base: string, key: string) =>
    fetch(`${base}/v1/open/departments`, { headers: { 'x-api-key': key } });

  beforeAll(async () => {
    developer = (await login('developer')).access_token;
  });

  it('creates a key shown once, stored only as a hash, and serves the open API with it', async () => {
    const { apiKey, key } = await createKey({ name: '数据可视化项目' });
    expect(key).toMatch(/^gx_[A-Za-z0-9]{12}_[A-Za-z0-9]{40}$/);
    const { rows } = await db.pool.query(`SELECT * FROM api_keys WHERE id = $1`, [apiKey.id]);
    expect(JSON.stringify(rows)).not.toContain(key.split('_')[2]);
    const listed = await (
      await fetch(`${exchangeA.base}/v1/api-keys`, { headers: bearer(developer) })
    ).text();
    expect(listed).toContain(apiKey.keyId);
    expect(listed).not.toContain(key);

    const res = await call(exchangeA.base, key);
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBe('10');
    const body = (await res.json()) as { items: { code: string }[] };
    expect(body.items.map((d) => d.code)).toContain('hz-gaj');
    // also as a bearer credential
    expect(
      (await fetch(`${exchangeA.base}/v1/open/departments`, { headers: bearer(key) })).status,
    ).toBe(200);
  });

  it('refuses any malformed X-API-Key as an API key, not as a token', async () => {
    // the docs' placeholders as curl sends them (UTF-8 bytes on the wire)
    const placeholders = ['<你的 API Key>', '‹你的 API Key>'].map((p) =>
      Buffer.from(p).toString('latin1'),
    );
    const token = (await login('developer')).access_token;
    for (const value of [...placeholders, 'not-a-key', 'a.b.c', token, 'gx_short']) {
      const { detail } = await problem(await call(exchangeA.base, value), 401);
      expect(detail, value).toBe('API key 格式无效');
    }
  });

  it('refuses a revoked key on every API process immediately', async () => {
    const { apiKey, key } = await createKey({ name: '即将吊销' });
    expect((await call(exchangeB.base, key)).status).toBe(200);
    const revoked = await fetch(`${exchangeA.base}/v1/api-keys/${apiKey.id}`, {
      method: 'DELETE',
      headers: bearer(developer),
    });
    expect(revoked.status).toBe(204);
    // the very next call, on the other process, is refused
    await problem(await call(exchangeB.base, key), 401);
    await problem(await call(exchangeA.base, key), 401);
  });

  it('rotation replaces the secret: the old key is refused, the new one works', async () => {
    const { apiKey, key } = await createKey({ name: '轮换' });
    const rotated = (await (
      await fetch(`${exchangeA.base}/v1/api-keys/${apiKey.id}/rotate`, {
        method: 'POST',
        headers: bearer(developer),
      })
    ).json()) as {
      key: string;
    };
    secrets.push(rotated.key);
    expect(rotated.key.startsWith(`gx_${apiKey.keyId}_`)).toBe(true);
    await problem(await call(exchangeA.base, key), 401);
    expect((await call(exchangeA.base, rotated.key)).status).toBe(200);
  });

  it('holds the per-second rate limit across two API processes and answers 429 with Retry-After', async () => {
    const { key } = await createKey({ name: '限流', rateLimitPerSecond: 3 });
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(i % 2 ? exchangeA.base : exchangeB.base, key)),
    );
    const ok = responses.filter((r) => r.status === 200).length;
    const limited = responses.filter((r) => r.status === 429);
    // 20 calls within at most two one-second windows: at most 2 × 3 succeed
    expect(ok).toBeGreaterThanOrEqual(1);
    expect(ok).toBeLessThanOrEqual(6);
    expect(limited.length).toBe(20 - ok);
    const first = limited[0]!;
    expect(first.headers.get('retry-after')).toBe('1');
    expect(first.headers.get('ratelimit-limit')).toBe('3');
    expect(first.headers.get('ratelimit-remaining')).toBe('0');
    expect(first.headers.get('ratelimit-reset')).toBe('1');
    expect((await problem(first, 429)).type).toBe('/problems/quota-exceeded');
  });

  it('enforces the daily quota with Retry-After until midnight (Asia/Shanghai) and counts usage', async () => {
    const { apiKey, key } = await createKey({ name: '配额', dailyQuota: 2 });
    expect((await call(exchangeA.base, key)).status).toBe(200);
    expect((await call(exchangeB.base, key)).status).toBe(200);
    const refused = await call(exchangeA.base, key);
    await problem(refused, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect(refused.headers.get('ratelimit-limit')).toBe('2');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit-reset')).toBe(String(retryAfter));

    const usage = (await (
      await fetch(`${exchangeA.base}/v1/api-keys/${apiKey.id}/usage?days=7`, {
        headers: bearer(developer),
      })
    ).json()) as {
      items: { day: string; count: number }[];
    };
    expect(usage.items).toHaveLength(7);
    expect(usage.items.at(-1)!.count).toBe(3);
    expect(usage.items.slice(0, 6).every((d) => d.count === 0)).toBe(true);
  });

  it("hides another developer's key (404) and refuses keys to staff without the developer role (403)", async () => {
    const { apiKey } = await createKey({ name: '私有' });
    const client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    await client.query(`UPDATE users SET roles = '{developer}' WHERE username = 'hz-rsj.steward'`);
    await client.end();
    const other = (await login('hz-rsj.steward')).access_token;
    await problem(
      await fetch(`${exchangeA.base}/v1/api-keys/${apiKey.id}/usage`, { headers: bearer(other) }),
      404,
    );
    await problem(
      await fetch(`${exchangeA.base}/v1/api-keys/${apiKey.id}`, {
        method: 'DELETE',
        headers: bearer(other),
      }),
      404,
    );
    const steward = (await login('hz-gaj.steward')).access_token;
    await problem(await fetch(`${exchangeA.base}/v1/api-keys`, { headers: bearer(steward) }), 403);
  });

  it('answers bad input with 400 problem+json', async () => {
    const bad = await fetch(`${exchangeA.base}/v1/api-keys`, {
      method: 'POST',
      headers: json(developer),
      body: JSON.stringify({ name: '', rateLimitPerSecond: 'fast', extra: true }),
    });
    expect((await problem(bad, 400)).type).toBe('/problems/input');
    await problem(await call(exchangeA.base, 'gx_short'), 401);
    await problem(await fetch(`${exchangeA.base}/v1/open/departments`), 401);
  });
});

describe('logs', () => {
  it('contain no key, secret or token handed out during the run', () => {
    const text = logs.map((l) => l.text()).join('\n');
    expect(text.length).toBeGreaterThan(0);
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets.filter(Boolean)) {
      expect(text.includes(secret), `a credential (${secret.slice(0, 6)}…) is in the logs`).toBe(
        false,
      );
    }
    expect(text).not.toContain(DEMO_PASSWORD);
  });
});
