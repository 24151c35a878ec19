import { hash } from 'node:crypto';

/**
 * SHA-256 and HMAC-SHA256 on the hot paths (every request's token cache key, request hash,
 * evidence entry hash and delivery digest; every pseudonymised value), computed with Node's
 * one-shot `crypto.hash`. `createHash` and `createHmac` each make a native object that V8 can
 * only free through its weak-handle callbacks: a few per request cost every scavenge time, and
 * the ones promoted before they died made the exchange's mark-compact pauses 10–30 ms longer
 * (bench/RESULTS.md, recordsGetByKey). Streaming digests over many records still use
 * `createHash`.
 */

/** SHA-256 of a string's UTF-8 bytes (or of bytes), as lower-case hex. */
export function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}

/** SHA-256 of a string's UTF-8 bytes (or of bytes), as base64. */
export function sha256Base64(data: string | Buffer): string {
  return hash('sha256', data, 'base64');
}

/** SHA-256's block size in bytes, which HMAC pads its key to (RFC 2104). */
const BLOCK = 64;
const INNER_PAD = 0x36;
const OUTER_PAD = 0x5c;

/** HMAC-SHA256 under one key: the message's MAC as bytes. */
export type HmacSha256 = (message: string | Buffer) => Buffer;

const byKey = new WeakMap<Buffer, HmacSha256>();

/**
 * HMAC-SHA256 under `key` (RFC 2104: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)), a key longer than the
 * block hashed first), byte for byte what `createHmac('sha256', key)` gives, with two one-shot
 * hashes and no native object per message. The padded keys are derived once per key buffer.
 */
export function hmacSha256(key: Buffer): HmacSha256 {
  const known = byKey.get(key);
  if (known) return known;
  const material = key.length > BLOCK ? hash('sha256', key, 'buffer') : key;
  const inner = Buffer.alloc(BLOCK, INNER_PAD);
  const outer = Buffer.alloc(BLOCK, OUTER_PAD);
  for (let i = 0; i < material.length; i++) {
    inner[i]! ^= material[i]!;
    outer[i]! ^= material[i]!;
  }
  const mac: HmacSha256 = (message) => {
    const bytes = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
    const innerDigest = hash('sha256', Buffer.concat([inner, bytes]), 'buffer');
    return hash('sha256', Buffer.concat([outer, innerDigest]), 'buffer');
  };
  byKey.set(key, mac);
  return mac;
}
