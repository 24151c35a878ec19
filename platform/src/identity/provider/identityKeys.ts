import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Pool } from 'pg';

export interface IdentityKeys {
  /** private signing JWKs, newest first */
  signing: JWK[];
  cookie: string[];
}

/**
 * The provider's signing and cookie keys, created on first start and kept in PostgreSQL so
 * tokens, sessions and interaction cookies stay valid across restarts. Several processes
 * starting at once agree on one key set (insert-if-absent, then read back).
 */
export async function loadIdentityKeys(pool: Pool): Promise<IdentityKeys> {
  const read = async () => {
    const { rows } = await pool.query<{ kid: string; use: string; key: JWK | { secret: string } }>(
      `SELECT kid, use, key FROM identity_keys ORDER BY created_at DESC, kid`,
    );
    return {
      signing: rows.filter((r) => r.use === 'sig').map((r) => r.key as JWK),
      cookie: rows
        .filter((r) => r.use === 'cookie')
        .map((r) => (r.key as { secret: string }).secret),
    };
  };
  let keys = await read();
  if (keys.signing.length === 0) {
    const { privateKey } = await generateKeyPair('RS256', {
      modulusLength: 2048,
      extractable: true,
    });
    const jwk = await exportJWK(privateKey);
    const kid = `sig-${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
    await pool.query(
      `INSERT INTO identity_keys (kid, use, key)
       SELECT $1, 'sig', $2 WHERE NOT EXISTS (SELECT 1 FROM identity_keys WHERE use = 'sig')`,
      [kid, JSON.stringify({ ...jwk, kid, alg: 'RS256', use: 'sig' })],
    );
  }
  if (keys.cookie.length === 0) {
    await pool.query(
      `INSERT INTO identity_keys (kid, use, key)
       SELECT $1, 'cookie', $2 WHERE NOT EXISTS (SELECT 1 FROM identity_keys WHERE use = 'cookie')`,
      [
        `cookie-${randomBytes(4).toString('hex')}`,
        JSON.stringify({ secret: randomBytes(32).toString('base64url') }),
      ],
    );
  }
  keys = await read();
  return keys;
}
