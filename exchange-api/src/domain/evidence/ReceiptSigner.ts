import {
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { canonicalJson } from '@gx/platform';
import type { Pool } from 'pg';
import { readPublishedKeys } from './evidenceCheckpoint.ts';
import { receiptPayload, type EvidenceEntry, type EvidenceReceipt } from './evidenceEntry.ts';

/** A public receipt key as published in the JWKS. */
export interface ReceiptPublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** `typ` of a receipt's protected header. */
export const RECEIPT_TYPE = 'evidence-receipt+jws';

interface SigningKey {
  kid: string;
  key: KeyObject;
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Compact JWS: the encoded protected header, the payload (canonical JSON) and its signature. */
function compactJws(encodedHeader: string, payloadJson: string, key: KeyObject): string {
  const signingInput = `${encodedHeader}.${base64url(payloadJson)}`;
  const signature = sign(null, Buffer.from(signingInput, 'ascii'), key).toString('base64url');
  return `${signingInput}.${signature}`;
}

/**
 * The platform's Ed25519 receipt keys, kept in PostgreSQL (`evidence_keys`): created on first
 * use; processes that create one at once agree on a single active key (a unique index admits
 * one, the losers read the winner's back). Signing is node:crypto's Ed25519, which is
 * deterministic: signing an entry again later gives the very same JWS, so receipts need not be
 * stored to be "retrievable later", only the key that signed them (`key_id` of the entry).
 */
export class ReceiptSigner {
  readonly #pool: Pool;
  #active: Promise<SigningKey> | undefined;
  readonly #byKid = new Map<string, KeyObject>();
  /** encoded protected headers by kid: the same for every receipt a key signs */
  readonly #headers = new Map<string, string>();

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** The key new entries are signed with (created on first use). */
  activeKey(): Promise<SigningKey> {
    this.#active ??= this.#loadActive().catch((error: unknown) => {
      // a database hiccup must not poison the process: the next append tries again
      this.#active = undefined;
      throw error;
    });
    return this.#active;
  }

  async #loadActive(): Promise<SigningKey> {
    const read = async () => {
      const { rows } = await this.#pool.query<{ kid: string; private_jwk: JsonWebKey }>(
        `SELECT kid, private_jwk FROM evidence_keys WHERE retired_at IS NULL`,
      );
      return rows[0];
    };
    let row = await read();
    if (!row) {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const kid = `evidence-${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
      const publicJwk: ReceiptPublicJwk = {
        ...(publicKey.export({ format: 'jwk' }) as { kty: 'OKP'; crv: 'Ed25519'; x: string }),
        kid,
        alg: 'EdDSA',
        use: 'sig',
      };
      await this.#pool.query(
        `INSERT INTO evidence_keys (kid, algorithm, public_jwk, private_jwk)
         VALUES ($1, 'EdDSA', $2, $3) ON CONFLICT DO NOTHING`,
        [kid, JSON.stringify(publicJwk), JSON.stringify(privateKey.export({ format: 'jwk' }))],
      );
      row = await read();
      if (!row) throw new Error('evidence receipt key could not be created');
    }
    const key = createPrivateKey({ key: row.private_jwk, format: 'jwk' });
    this.#byKid.set(row.kid, key);
    return { kid: row.kid, key };
  }

  async #keyFor(kid: string): Promise<KeyObject> {
    const cached = this.#byKid.get(kid);
    if (cached) return cached;
    const { rows } = await this.#pool.query<{ private_jwk: JsonWebKey }>(
      `SELECT private_jwk FROM evidence_keys WHERE kid = $1`,
      [kid],
    );
    if (!rows[0]) throw new Error(`evidence receipt key ${kid} is missing`);
    const key = createPrivateKey({ key: rows[0].private_jwk, format: 'jwk' });
    this.#byKid.set(kid, key);
    return key;
  }

  /** Compact JWS over the entry's receipt payload, with the key recorded in the entry. */
  signWith(key: KeyObject, entry: EvidenceEntry): EvidenceReceipt {
    let header = this.#headers.get(entry.keyId);
    if (header === undefined) {
      header = base64url(JSON.stringify({ alg: 'EdDSA', kid: entry.keyId, typ: RECEIPT_TYPE }));
      this.#headers.set(entry.keyId, header);
    }
    return {
      entryId: entry.id,
      seq: entry.seq,
      hash: entry.hash,
      jws: compactJws(header, canonicalJson(receiptPayload(entry)), key),
    };
  }

  /** Compact JWS of type `typ` over the canonical JSON of `payload`, with the active key. */
  async signWithActiveKey(typ: string, payload: Record<string, unknown>): Promise<string> {
    const { kid, key } = await this.activeKey();
    const header = base64url(JSON.stringify({ alg: 'EdDSA', kid, typ }));
    return compactJws(header, canonicalJson(payload), key);
  }

  async sign(entry: EvidenceEntry): Promise<EvidenceReceipt> {
    return this.signWith(await this.#keyFor(entry.keyId), entry);
  }

  /** Every receipt key's public half, newest first: retired keys still verify old receipts. */
  async publicJwks(): Promise<{ keys: ReceiptPublicJwk[] }> {
    await this.activeKey();
    return { keys: await readPublishedKeys(this.#pool) };
  }
}
