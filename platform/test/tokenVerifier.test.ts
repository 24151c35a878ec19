import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import {
  createRemoteJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type JWK,
  type JWTPayload,
} from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DomainError, UnauthenticatedError, UnavailableError } from '../src/errors/errors.ts';
import { describeActor, type PrincipalActor } from '../src/identity/Actor.ts';
import { TokenVerifier } from '../src/identity/TokenVerifier.ts';

const REALM_PATH = '/realms/gov-exchange';
const CERTS_PATH = `${REALM_PATH}/protocol/openid-connect/certs`;
const AUDIENCE = 'gov-exchange-api';

/** Keycloak-style subjects (random UUIDs): the same person has a different `sub` per issuer. */
const KEYCLOAK_STEWARD_SUB = '5f0c2a9e-8d1b-4c6e-9a7f-3b2d1e0f4a61';
const EMBEDDED_STEWARD_SUB = 'c3a1e4d2-7b6f-4e8a-b1c9-0d2e3f4a5b6c';
const KEYCLOAK_SYSTEM_SUB = '9b8e7d6c-5a4b-4c3d-8e2f-1a0b9c8d7e6f';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
interface SigningKey {
  kid: string;
  pair: KeyPair;
  jwk: JWK;
}

/**
 * Key sets the local "issuer" serves, by path, each with a fetch counter. The realm's own
 * certs endpoint (named by the discovery document) is one of them; rotation tests get their
 * own paths so that they count only their own fetches.
 */
interface ServedKeySet {
  keys: JWK[];
  fetches: number;
  /** status to answer with instead of the key set (an issuer behind a proxy that is down) */
  status: number;
}
const keySets = new Map<string, ServedKeySet>();
let discoveryFetches = 0;
let discoveryStatus = 200;

let server: Server;
let origin: string;
let issuer: string;
let realmKey: SigningKey;

async function newKey(kid: string): Promise<SigningKey> {
  const pair = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, pair, jwk };
}

function serveKeySet(path: string, keys: SigningKey[]): ServedKeySet {
  const served = { keys: keys.map((k) => k.jwk), fetches: 0, status: 200 };
  keySets.set(path, served);
  return served;
}

beforeAll(async () => {
  realmKey = await newKey('realm-rs256-1');
  serveKeySet(CERTS_PATH, [realmKey]);
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === `${REALM_PATH}/.well-known/openid-configuration`) {
      discoveryFetches += 1;
      res.writeHead(discoveryStatus, { 'content-type': 'application/json' });
      res.end(
        discoveryStatus === 200
          ? JSON.stringify({
              issuer,
              jwks_uri: `${origin}${CERTS_PATH}`,
              token_endpoint: `${issuer}/protocol/openid-connect/token`,
              id_token_signing_alg_values_supported: ['RS256'],
            })
          : '<html>502 Bad Gateway</html>',
      );
      return;
    }
    const served = keySets.get(path);
    if (served) {
      served.fetches += 1;
      res.writeHead(served.status, { 'content-type': 'application/json' });
      res.end(served.status === 200 ? JSON.stringify({ keys: served.keys }) : '{"error":"down"}');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${origin}${REALM_PATH}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  vi.useRealTimers();
  discoveryStatus = 200;
});

const now = () => Math.floor(Date.now() / 1000);

async function sign(
  claims: JWTPayload,
  key: SigningKey = realmKey,
  header: { kid?: string } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: header.kid ?? key.kid })
    .sign(key.pair.privateKey);
}

/** An access token exactly as Keycloak issues it to the portal for the demo steward. */
function keycloakStewardClaims(overrides: JWTPayload = {}): JWTPayload {
  const iat = now();
  return {
    exp: iat + 300,
    iat,
    auth_time: iat,
    jti: 'onrtac:2f6d0c1e-4b8a-4f3e-9c7d-6a5b4c3d2e1f',
    iss: issuer,
    aud: [AUDIENCE, 'account'],
    sub: KEYCLOAK_STEWARD_SUB,
    typ: 'Bearer',
    azp: 'gov-exchange-portal',
    sid: '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
    acr: '1',
    'allowed-origins': ['http://localhost:3000'],
    realm_access: {
      roles: ['steward', 'offline_access', 'uma_authorization', 'default-roles-gov-exchange'],
    },
    resource_access: { account: { roles: ['manage-account'] } },
    scope: 'openid profile email',
    email_verified: true,
    name: '李静',
    preferred_username: 'hz-gaj.steward',
    given_name: '静',
    family_name: '李',
    email: 'hz-gaj.steward@demo.gov-exchange.cn',
    department: 'hz-gaj',
    region: '330100000000',
    ...overrides,
  };
}

/** The same person's token from the embedded provider (oidc-provider JWT access token). */
function embeddedStewardClaims(): JWTPayload {
  const iat = now();
  return {
    jti: 'Xb1kR2m9Qe7TzW4vN0pLs',
    sub: EMBEDDED_STEWARD_SUB,
    iat,
    exp: iat + 600,
    scope: 'openid profile email',
    client_id: 'gov-exchange-portal',
    iss: issuer,
    aud: AUDIENCE,
    preferred_username: 'hz-gaj.steward',
    name: '李静',
    email: 'hz-gaj.steward@demo.gov-exchange.cn',
    email_verified: true,
    department: 'hz-gaj',
    region: '330100000000',
    realm_access: { roles: ['steward'] },
  };
}

const verifierFor = (options: Partial<ConstructorParameters<typeof TokenVerifier>[0]> = {}) =>
  new TokenVerifier({ issuer, audience: AUDIENCE, ...options });

/** The error `verify` rejects with; fails the test if it resolves. */
async function failure(promise: Promise<PrincipalActor>): Promise<DomainError> {
  const outcome = await promise.then(
    (actor) => ({ actor }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) {
    throw new Error(`expected a rejection, got ${JSON.stringify(outcome.actor)}`);
  }
  expect(outcome.error).toBeInstanceOf(DomainError);
  return outcome.error as DomainError;
}

async function unauthenticated(promise: Promise<PrincipalActor>, message: RegExp) {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(UnauthenticatedError);
  expect(error.status).toBe(401);
  expect(error.message).toMatch(message);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('TokenVerifier: mapping tokens to actors', () => {
  it('maps a Keycloak token of the demo steward to a user actor, dropping unknown roles', async () => {
    const actor = await verifierFor().verify(await sign(keycloakStewardClaims()));
    expect(actor).toStrictEqual({
      kind: 'user',
      subject: KEYCLOAK_STEWARD_SUB,
      username: 'hz-gaj.steward',
      displayName: '李静',
      departmentCode: 'hz-gaj',
      regionCode: '330100000000',
      roles: ['steward'],
      clientId: 'gov-exchange-portal',
      expiresAt: expect.any(Number),
    });
  });

  it("carries the token's expiry, so long streams can end with it", async () => {
    const exp = now() + 120;
    const actor = await verifierFor().verify(await sign(keycloakStewardClaims({ exp })));
    expect(actor).toMatchObject({ kind: 'user', expiresAt: exp * 1000 });
  });

  it('maps the same person from the embedded provider to the same actor but for the subject', async () => {
    const verifier = verifierFor();
    const fromKeycloak = await verifier.verify(await sign(keycloakStewardClaims()));
    const fromEmbedded = await verifier.verify(await sign(embeddedStewardClaims()));
    const { subject: keycloakSubject, expiresAt: _keycloakExpiry, ...keycloakRest } = fromKeycloak;
    const { subject: embeddedSubject, expiresAt: _embeddedExpiry, ...embeddedRest } = fromEmbedded;
    expect(keycloakSubject).toBe(KEYCLOAK_STEWARD_SUB);
    expect(embeddedSubject).toBe(EMBEDDED_STEWARD_SUB);
    expect(embeddedRest).toStrictEqual(keycloakRest);
    expect(embeddedRest).toStrictEqual({
      kind: 'user',
      username: 'hz-gaj.steward',
      displayName: '李静',
      departmentCode: 'hz-gaj',
      regionCode: '330100000000',
      roles: ['steward'],
      clientId: 'gov-exchange-portal',
    });
  });

  it("counts the API client's roles, merged with realm roles and sorted; other clients' roles do not count", async () => {
    const actor = await verifierFor().verify(
      await sign(
        keycloakStewardClaims({
          realm_access: { roles: ['steward', 'default-roles-gov-exchange'] },
          resource_access: {
            [AUDIENCE]: { roles: ['approver', 'steward'] },
            account: { roles: ['manage-account', 'auditor'] },
            'gov-exchange-portal': { roles: ['platform-admin'] },
          },
        }),
      ),
    );
    expect(actor.roles).toEqual(['approver', 'steward']);
    expect(actor.kind).toBe('user');
  });

  it('maps Keycloak and embedded-provider service-account tokens to the same system actor', async () => {
    const verifier = verifierFor();
    const iat = now();
    const keycloak = await verifier.verify(
      await sign({
        exp: iat + 300,
        iat,
        jti: 'trrtcc:7c6b5a49-3827-4165-a4b3-c2d1e0f9a8b7',
        iss: issuer,
        aud: AUDIENCE,
        sub: KEYCLOAK_SYSTEM_SUB,
        typ: 'Bearer',
        azp: 'hz-gaj-system',
        acr: '1',
        realm_access: { roles: ['system', 'default-roles-gov-exchange'] },
        resource_access: { account: { roles: ['manage-account'] } },
        scope: 'profile email',
        clientHost: '127.0.0.1',
        clientAddress: '127.0.0.1',
        client_id: 'hz-gaj-system',
        preferred_username: 'service-account-hz-gaj-system',
        department: 'hz-gaj',
        region: '330100000000',
      }),
    );
    const expected = {
      kind: 'system',
      username: 'hz-gaj-system',
      departmentCode: 'hz-gaj',
      regionCode: '330100000000',
      roles: ['system'],
      clientId: 'hz-gaj-system',
      expiresAt: expect.any(Number),
    };
    expect(keycloak).toStrictEqual({ ...expected, subject: KEYCLOAK_SYSTEM_SUB });

    const embedded = await verifier.verify(
      await sign({
        jti: 'Lq3Zp8Yc1Vn6Rt0Ws5Ku2',
        sub: 'hz-gaj-system',
        iat,
        exp: iat + 600,
        client_id: 'hz-gaj-system',
        iss: issuer,
        aud: AUDIENCE,
        preferred_username: 'service-account-hz-gaj-system',
        department: 'hz-gaj',
        region: '330100000000',
        realm_access: { roles: ['system'] },
      }),
    );
    expect(embedded).toStrictEqual({ ...expected, subject: 'hz-gaj-system' });
  });

  it('maps a developer to a developer actor that never acts for a department', async () => {
    const actor = await verifierFor().verify(
      await sign(
        keycloakStewardClaims({
          sub: '1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
          preferred_username: 'developer',
          name: '张伟',
          email: 'developer@demo.gov-exchange.cn',
          realm_access: { roles: ['developer', 'offline_access', 'default-roles-gov-exchange'] },
        }),
      ),
    );
    expect(actor).toStrictEqual({
      kind: 'developer',
      subject: '1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      username: 'developer',
      displayName: '张伟',
      roles: ['developer'],
      clientId: 'gov-exchange-portal',
      expiresAt: expect.any(Number),
    });
    expect(actor).not.toHaveProperty('departmentCode');
  });

  it('describes verified actors without any token material', async () => {
    const verifier = verifierFor();
    const tokens = [
      await sign(keycloakStewardClaims()),
      await sign(embeddedStewardClaims()),
      await sign(keycloakStewardClaims({ realm_access: { roles: ['developer'] } })),
    ];
    const descriptions: string[] = [];
    for (const token of tokens) {
      const description = describeActor(await verifier.verify(token));
      descriptions.push(description);
      expect(description).not.toContain(token);
      for (const part of token.split('.')) expect(description).not.toContain(part.slice(0, 16));
      expect(description).not.toMatch(/eyJ|Bearer/);
    }
    expect(descriptions).toEqual([
      'user:hz-gaj.steward@hz-gaj',
      'user:hz-gaj.steward@hz-gaj',
      'developer:hz-gaj.steward',
    ]);
  });
});

describe('TokenVerifier: rejections', () => {
  it('rejects a token from another issuer', async () => {
    const token = await sign(keycloakStewardClaims({ iss: `${origin}/realms/other-realm` }));
    await unauthenticated(verifierFor().verify(token), /声明无效: iss/);
  });

  it('rejects a token for another audience', async () => {
    const token = await sign(keycloakStewardClaims({ aud: ['account', 'gov-exchange-portal'] }));
    await unauthenticated(verifierFor().verify(token), /声明无效: aud/);
  });

  it('rejects a token expired beyond the 30 s clock tolerance', async () => {
    const token = await sign(keycloakStewardClaims({ iat: now() - 420, exp: now() - 120 }));
    await unauthenticated(verifierFor().verify(token), /token expired/);
  });

  it('accepts a token that expired 10 s ago (within the clock tolerance)', async () => {
    const token = await sign(keycloakStewardClaims({ iat: now() - 310, exp: now() - 10 }));
    const actor = await verifierFor().verify(token);
    expect(actor.username).toBe('hz-gaj.steward');
  });

  it('rejects a token whose signature was altered', async () => {
    const token = await sign(keycloakStewardClaims());
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const middle = Math.floor(signature.length / 2);
    const flipped = signature[middle] === 'A' ? 'B' : 'A';
    const altered = `${signature.slice(0, middle)}${flipped}${signature.slice(middle + 1)}`;
    expect(altered).not.toBe(signature);
    await unauthenticated(
      verifierFor().verify(`${header}.${payload}.${altered}`),
      /signature verification failed/,
    );
  });

  it('rejects a payload altered under the original signature (privilege escalation)', async () => {
    const token = await sign(keycloakStewardClaims());
    const [header, , signature] = token.split('.') as [string, string, string];
    const escalated = b64url(
      keycloakStewardClaims({ realm_access: { roles: ['platform-admin'] } }),
    );
    await unauthenticated(
      verifierFor().verify(`${header}.${escalated}.${signature}`),
      /signature verification failed/,
    );
  });

  it('rejects an unsigned alg "none" token', async () => {
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(keycloakStewardClaims())}.`;
    await unauthenticated(verifierFor().verify(token), /签名算法不被接受/);
  });

  it('rejects an HS256 token keyed with the public key (key confusion)', async () => {
    const publicPem = await exportSPKI(realmKey.pair.publicKey);
    const token = await new SignJWT(keycloakStewardClaims())
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: realmKey.kid })
      .sign(new TextEncoder().encode(publicPem));
    await unauthenticated(verifierFor().verify(token), /签名算法不被接受/);
  });

  it('rejects a token signed by a key the issuer does not publish', async () => {
    const attacker = await newKey('attacker-key-1');
    await unauthenticated(
      verifierFor().verify(await sign(keycloakStewardClaims(), attacker)),
      /unknown kid/,
    );
    // a foreign key that claims the realm key's kid fails on the signature instead
    await unauthenticated(
      verifierFor().verify(await sign(keycloakStewardClaims(), attacker, { kid: realmKey.kid })),
      /signature verification failed/,
    );
  });

  it('rejects a token without a subject', async () => {
    const claims = keycloakStewardClaims();
    delete claims.sub;
    await unauthenticated(verifierFor().verify(await sign(claims)), /声明无效: sub \(missing\)/);
  });
});

describe('TokenVerifier: keys from the issuer', () => {
  it('discovers the key set once, even for concurrent first requests, then serves from cache', async () => {
    const served = keySets.get(CERTS_PATH)!;
    const [discoveryBefore, fetchesBefore] = [discoveryFetches, served.fetches];
    const verifier = verifierFor();
    const tokens = await Promise.all(
      Array.from({ length: 5 }, () => sign(keycloakStewardClaims())),
    );
    const actors = await Promise.all(tokens.map((t) => verifier.verify(t)));
    expect(actors.map((a) => a.username)).toEqual(Array(5).fill('hz-gaj.steward'));
    expect(discoveryFetches - discoveryBefore).toBe(1);
    expect(served.fetches - fetchesBefore).toBe(1);

    for (let i = 0; i < 10; i += 1) await verifier.verify(await sign(embeddedStewardClaims()));
    expect(discoveryFetches - discoveryBefore).toBe(1);
    expect(served.fetches - fetchesBefore).toBe(1);
  });

  it('follows a key rotation with the configured 5 s cooldown (real TokenVerifier, frozen clock)', async () => {
    // Only Date is faked: jose decides "cooling down" from Date.now(), so freezing it makes the
    // cooldown deterministic; sockets and timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    const first = await newKey('rotation-clock-1');
    const second = await newKey('rotation-clock-2');
    const served = serveKeySet('/jwks/rotation-clock', [first]);
    const verifier = verifierFor({ jwksUri: `${origin}/jwks/rotation-clock` });

    await verifier.verify(await sign(keycloakStewardClaims(), first));
    expect(served.fetches).toBe(1);

    // the issuer publishes a new key and starts signing with it
    served.keys.push(second.jwk);
    const rotated = await sign(keycloakStewardClaims(), second);

    // within the cooldown the unknown kid is refused without asking the issuer again, so that
    // garbage kids cannot make us hammer it
    await unauthenticated(verifier.verify(rotated), /unknown kid/);
    await unauthenticated(
      verifier.verify(await sign(keycloakStewardClaims(), first, { kid: 'garbage-kid' })),
      /unknown kid/,
    );
    expect(served.fetches).toBe(1);

    // once the cooldown has passed, the unknown kid triggers exactly one refetch
    vi.setSystemTime(t0 + 31_000);
    expect((await verifier.verify(rotated)).username).toBe('hz-gaj.steward');
    expect(served.fetches).toBe(2);

    for (let i = 0; i < 50; i += 1) {
      const actor = await verifier.verify(
        await sign(embeddedStewardClaims(), i % 2 ? first : second),
      );
      expect(actor.subject).toBe(EMBEDDED_STEWARD_SUB);
    }
    expect(served.fetches).toBe(2);
  });

  it('refetches once for a rotated key and caches both (jose remote key set, no cooldown)', async () => {
    // TokenVerifier configures a 5 s cooldown; to exercise the same jose mechanism without
    // waiting, this test injects its own createRemoteJWKSet with cooldownDuration 0 through the
    // `keys` option. The configured cooldown itself is covered by the frozen-clock test above.
    const first = await newKey('rotation-keys-1');
    const second = await newKey('rotation-keys-2');
    const served = serveKeySet('/jwks/rotation-keys', [first]);
    const verifier = verifierFor({
      keys: createRemoteJWKSet(new URL(`${origin}/jwks/rotation-keys`), { cooldownDuration: 0 }),
    });

    await verifier.verify(await sign(keycloakStewardClaims(), first));
    expect(served.fetches).toBe(1);

    served.keys.push(second.jwk);
    const actor = await verifier.verify(await sign(keycloakStewardClaims(), second));
    expect(actor.username).toBe('hz-gaj.steward');
    expect(served.fetches).toBe(2);

    for (let i = 0; i < 50; i += 1) {
      await verifier.verify(await sign(keycloakStewardClaims(), i % 2 ? first : second));
    }
    expect(served.fetches).toBe(2);
  });
});

describe('TokenVerifier: issuer unavailable', () => {
  it('answers 503, not 401, when the issuer cannot be reached for discovery', async () => {
    const port = await closedPort();
    const verifier = new TokenVerifier({
      issuer: `http://127.0.0.1:${port}/realms/gov-exchange`,
      audience: AUDIENCE,
    });
    const error = await failure(verifier.verify(await sign(keycloakStewardClaims())));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.status).toBe(503);
    expect((error as UnavailableError).retryAfterSeconds).toBeGreaterThan(0);
  });

  it('answers 503 when the key set location cannot be reached', async () => {
    const port = await closedPort();
    const verifier = verifierFor({ jwksUri: `http://127.0.0.1:${port}/jwks` });
    const error = await failure(verifier.verify(await sign(keycloakStewardClaims())));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.status).toBe(503);
  });

  it('answers 503 while discovery fails and recovers once the issuer is back', async () => {
    const verifier = verifierFor();
    const token = await sign(keycloakStewardClaims());
    discoveryStatus = 502;
    const error = await failure(verifier.verify(token));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.status).toBe(503);

    discoveryStatus = 200;
    expect((await verifier.verify(token)).username).toBe('hz-gaj.steward');
  });

  it('answers 503, not 401, when the key set endpoint answers 502 (issuer behind a proxy is down)', async () => {
    const served = serveKeySet('/jwks/down', [realmKey]);
    served.status = 502;
    const verifier = verifierFor({ jwksUri: `${origin}/jwks/down` });
    const token = await sign(keycloakStewardClaims());
    const error = await failure(verifier.verify(token));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.status).toBe(503);

    served.status = 200;
    expect((await verifier.verify(token)).username).toBe('hz-gaj.steward');
  });
});
