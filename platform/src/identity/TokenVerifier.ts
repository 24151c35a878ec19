import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { sha256Base64 } from '../crypto/sha256.ts';
import { UnauthenticatedError, UnavailableError } from '../errors/errors.ts';
import type { PrincipalActor } from './Actor.ts';
import { actorFromClaims } from './actorFromClaims.ts';

export interface TokenVerifierOptions {
  /** the issuer exactly as it appears in `iss` (Keycloak: `https://host/realms/<realm>`) */
  issuer: string;
  /** the API's audience (`aud` must contain it) */
  audience: string;
  /** JWKS location; discovered from the issuer's metadata when omitted */
  jwksUri?: string;
  /** tolerated clock difference between issuer and API */
  clockToleranceSeconds?: number;
  /** key source for tests that sign their own tokens */
  keys?: JWTVerifyGetKey;
  /**
   * how long a verified token is taken on trust before its signature is checked again (default
   * 60 000 ms; 0 turns the cache off); never beyond the token's own `exp`
   */
  verifiedTtlMs?: number;
  /** most verified tokens remembered (default 10 000) */
  verifiedMax?: number;
}

/** Asymmetric algorithms only: an HS256 token signed with a public key must never verify. */
export const ALLOWED_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** Errors a key lookup raises because of the token itself (its header names no usable key). */
const TOKEN_KEY_ERRORS = [
  joseErrors.JWKSNoMatchingKey,
  joseErrors.JWKSMultipleMatchingKeys,
  joseErrors.JOSEAlgNotAllowed,
  joseErrors.JOSENotSupported,
];

/**
 * Any other failure to get the key set (connection refused, timeout, a proxy answering 502,
 * a body that is not a key set) means the issuer is unreachable, not that the caller's token is
 * bad: answer 503 so clients retry instead of discarding a valid token.
 */
function failUnavailable(getKey: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await getKey(header, token);
    } catch (error) {
      if (TOKEN_KEY_ERRORS.some((type) => error instanceof type)) throw error;
      throw new UnavailableError('身份提供方暂不可用 (cannot fetch the issuer keys)', 5, {
        cause: error,
      });
    }
  };
}

interface Verified {
  actor: PrincipalActor;
  /** epoch ms after which the signature is checked again */
  until: number;
}

function freeze(actor: PrincipalActor): PrincipalActor {
  Object.freeze(actor.roles);
  return Object.freeze(actor);
}

/**
 * Verifies bearer JWTs against the issuer's JWKS. jose's remote key set caches keys by `kid`
 * and refetches when a token names a `kid` it has not seen (key rotation), with a cooldown so
 * that garbage `kid`s cannot make us hammer the issuer.
 *
 * A department system sends the same token with every call until it expires, and checking an
 * RS256 signature costs more than the rest of a records read. So a token that verified is
 * remembered (by the SHA-256 of its exact text, never the token itself) for at most
 * `verifiedTtlMs` and never past its `exp`: the same string cannot carry other claims, and a
 * JWT cannot be revoked before `exp` anyway. The bounded lifetime keeps a key withdrawn from the
 * issuer's JWKS from being trusted much longer than the key set itself is cached. Failures are
 * never remembered.
 */
export class TokenVerifier {
  private readonly options: TokenVerifierOptions;
  private keys: Promise<JWTVerifyGetKey> | undefined;
  private readonly verified = new Map<string, Verified>();
  private readonly verifiedTtlMs: number;
  private readonly verifiedMax: number;

  constructor(options: TokenVerifierOptions) {
    this.options = options;
    if (options.keys) this.keys = Promise.resolve(options.keys);
    this.verifiedTtlMs = options.verifiedTtlMs ?? 60_000;
    this.verifiedMax = options.verifiedMax ?? 10_000;
  }

  async verify(token: string): Promise<PrincipalActor> {
    const cacheKey = this.verifiedTtlMs > 0 ? sha256Base64(token) : undefined;
    if (cacheKey) {
      const hit = this.verified.get(cacheKey);
      if (hit && Date.now() < hit.until) return hit.actor;
      if (hit) this.verified.delete(cacheKey);
    }
    const keys = await this.keySet();
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        requiredClaims: ['sub', 'exp'],
      });
      // shared by every request that presents this token: nobody may change it
      const actor = freeze(actorFromClaims(payload, { audience: this.options.audience }));
      if (cacheKey) this.remember(cacheKey, actor, payload.exp! * 1000);
      return actor;
    } catch (error) {
      throw this.translate(error);
    }
  }

  private remember(cacheKey: string, actor: PrincipalActor, expiresAt: number) {
    const now = Date.now();
    // the clock tolerance is for verifying; a cached token stops at its own exp
    const until = Math.min(expiresAt, now + this.verifiedTtlMs);
    if (until <= now) return;
    if (this.verified.size >= this.verifiedMax) {
      for (const [key, entry] of this.verified) if (entry.until <= now) this.verified.delete(key);
      // still full: forget the oldest (Map keeps insertion order)
      if (this.verified.size >= this.verifiedMax)
        this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(cacheKey, { actor, until });
  }

  private translate(error: unknown): Error {
    if (error instanceof joseErrors.JWTExpired)
      return new UnauthenticatedError('令牌已过期 (token expired)');
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      return new UnauthenticatedError(`令牌声明无效: ${error.claim} (${error.reason})`);
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      return new UnauthenticatedError('令牌签名无效 (signature verification failed)');
    }
    if (error instanceof joseErrors.JWKSNoMatchingKey)
      return new UnauthenticatedError('令牌签名密钥未知 (unknown kid)');
    if (error instanceof joseErrors.JOSEAlgNotAllowed)
      return new UnauthenticatedError('令牌签名算法不被接受');
    if (
      error instanceof joseErrors.JWKSTimeout ||
      (error instanceof Error && error.name === 'TypeError' && /fetch/.test(error.message))
    ) {
      return new UnavailableError('身份提供方暂不可用 (cannot fetch the issuer keys)', 5, {
        cause: error,
      });
    }
    if (error instanceof joseErrors.JOSEError)
      return new UnauthenticatedError(`令牌无效 (${error.code})`);
    return error instanceof Error ? error : new Error(String(error));
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= (async () => {
      const jwksUri = this.options.jwksUri ?? (await this.discoverJwksUri());
      return failUnavailable(
        createRemoteJWKSet(new URL(jwksUri), {
          // an unknown kid refetches at most every 5 s: quick to pick up a rotated key, and
          // garbage kids cannot make us hammer the issuer
          cooldownDuration: 5_000,
          cacheMaxAge: 10 * 60_000,
          timeoutDuration: 5_000,
        }),
      );
    })().catch((error: unknown) => {
      this.keys = undefined; // try discovery again on the next request
      throw new UnavailableError('身份提供方暂不可用 (discovery failed)', 5, { cause: error });
    });
    return this.keys;
  }

  private async discoverJwksUri(): Promise<string> {
    const url = `${this.options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    const metadata = (await res.json()) as { jwks_uri?: string; issuer?: string };
    if (!metadata.jwks_uri) throw new Error(`${url} has no jwks_uri`);
    return metadata.jwks_uri;
  }
}
