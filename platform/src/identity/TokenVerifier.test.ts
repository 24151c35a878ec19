import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UnauthenticatedError } from '../errors/errors.ts';
import { TokenVerifier } from './TokenVerifier.ts';

const ISSUER = 'https://idp.example/realms/gov-exchange';
const AUDIENCE = 'gov-exchange-api';

let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let localKeys: JWTVerifyGetKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  localKeys = createLocalJWKSet({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }],
  });
});

afterEach(() => {
  vi.useRealTimers();
});

const seconds = () => Math.floor(Date.now() / 1000);

function sign(claims: JWTPayload): Promise<string> {
  return new SignJWT({
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'c3a1e4d2-7b6f-4e8a-b1c9-0d2e3f4a5b6c',
    preferred_username: 'hz-rsj-system',
    realm_access: { roles: ['system'] },
    department: 'hz-rsj',
    iat: seconds(),
    exp: seconds() + 300,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .sign(privateKey);
}

/** A verifier over the local key set that counts signature checks (one key lookup each). */
function countingVerifier(options: { verifiedTtlMs?: number; verifiedMax?: number } = {}) {
  const counter = { checks: 0 };
  const keys: JWTVerifyGetKey = (header, token) => {
    counter.checks += 1;
    return localKeys(header, token);
  };
  return {
    verifier: new TokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys, ...options }),
    counter,
  };
}

describe('TokenVerifier: verified tokens', () => {
  it('checks the signature of a token once and answers the same actor after that', async () => {
    const { verifier, counter } = countingVerifier();
    const token = await sign({});
    const first = await verifier.verify(token);
    const again = await verifier.verify(token);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ kind: 'system', departmentCode: 'hz-rsj' });
    expect(counter.checks).toBe(1);
    // the remembered actor is shared, so nobody may change it
    expect(Object.isFrozen(again) && Object.isFrozen(again.roles)).toBe(true);
  });

  it('never takes a different string on trust: an altered token is checked and refused', async () => {
    const { verifier, counter } = countingVerifier();
    const token = await sign({});
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = `${header}.${Buffer.from(
      JSON.stringify({
        ...(JSON.parse(Buffer.from(payload, 'base64url').toString()) as object),
        department: 'hz-gaj',
      }),
    ).toString('base64url')}.${signature}`;
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(verifier.verify(`${token}x`)).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(counter.checks).toBe(3);
  });

  it('does not remember failures', async () => {
    const { verifier, counter } = countingVerifier();
    const wrongAudience = await sign({ aud: 'another-api' });
    await expect(verifier.verify(wrongAudience)).rejects.toThrow(/aud/);
    await expect(verifier.verify(wrongAudience)).rejects.toThrow(/aud/);
    expect(counter.checks).toBe(2);
  });

  it('stops trusting a remembered token at its exp: then it is refused as expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { verifier } = countingVerifier();
    const token = await sign({ exp: seconds() + 20 });
    expect((await verifier.verify(token)).username).toBe('hz-rsj-system');
    // beyond exp and the 30 s clock tolerance
    vi.setSystemTime(Date.now() + 51_000);
    await expect(verifier.verify(token)).rejects.toThrow(/过期/);
  });

  it('checks the signature again after verifiedTtlMs, and every time when it is 0', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { verifier, counter } = countingVerifier({ verifiedTtlMs: 1_000 });
    const token = await sign({});
    await verifier.verify(token);
    await verifier.verify(token);
    expect(counter.checks).toBe(1);
    vi.setSystemTime(Date.now() + 1_001);
    await verifier.verify(token);
    expect(counter.checks).toBe(2);

    const uncached = countingVerifier({ verifiedTtlMs: 0 });
    await uncached.verifier.verify(token);
    await uncached.verifier.verify(token);
    expect(uncached.counter.checks).toBe(2);
  });

  it('remembers at most verifiedMax tokens, forgetting the oldest', async () => {
    const { verifier, counter } = countingVerifier({ verifiedMax: 2 });
    const [a, b, c] = await Promise.all([
      sign({ jti: 'a' }),
      sign({ jti: 'b' }),
      sign({ jti: 'c' }),
    ]);
    for (const token of [a, b, c]) await verifier.verify(token);
    expect(counter.checks).toBe(3);
    await verifier.verify(c);
    await verifier.verify(b);
    expect(counter.checks).toBe(3);
    await verifier.verify(a);
    expect(counter.checks).toBe(4);
  });
});
