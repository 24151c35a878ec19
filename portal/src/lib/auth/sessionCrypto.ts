import { createHash, randomBytes } from 'node:crypto';
import { EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose';
import { portalConfig } from '../../config.ts';

/**
 * The key the portal's cookies are encrypted with (A256GCM): derived from PORTAL_SESSION_SECRET,
 * or drawn at random once per process. Kept on globalThis because Next.js bundles route handlers
 * and pages separately: a module-level variable would give each of them its own random key.
 */
const KEY_SLOT = Symbol.for('gx.portal.sessionKey');

function sessionKey(): Uint8Array {
  const slot = globalThis as { [KEY_SLOT]?: Uint8Array };
  if (!slot[KEY_SLOT]) {
    const secret = portalConfig().PORTAL_SESSION_SECRET;
    slot[KEY_SLOT] = secret
      ? new Uint8Array(createHash('sha256').update(`gx-portal-session:${secret}`).digest())
      : new Uint8Array(randomBytes(32));
  }
  return slot[KEY_SLOT];
}

/**
 * Encrypts (and authenticates) a small JSON value for a cookie or a query parameter; `purpose`
 * keeps them apart. `compress` deflates it first (JWE `zip: DEF`), for a refused form's text.
 */
export async function seal(
  purpose: string,
  value: Record<string, unknown>,
  ttlSeconds: number,
  options: { compress?: boolean } = {},
): Promise<string> {
  // the value is nested so that its own fields (a session's `sub`) never meet the JWT claims
  return new EncryptJWT({ v: value } as JWTPayload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', ...(options.compress ? { zip: 'DEF' } : {}) })
    .setSubject(purpose)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .encrypt(sessionKey());
}

/** The value sealed for `purpose`, or undefined when the cookie is tampered, foreign or expired. */
export async function unseal<T>(
  purpose: string,
  token: string | undefined,
): Promise<T | undefined> {
  if (!token) return undefined;
  try {
    const { payload } = await jwtDecrypt(token, sessionKey(), { subject: purpose });
    return (payload as { v?: T }).v;
  } catch {
    return undefined;
  }
}
