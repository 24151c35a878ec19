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

/** Text encodings a MAC can be returned in. */
export type MacEncoding = 'hex' | 'base64' | 'base64url';

/** HMAC-SHA256 under one key: the MAC of a string's UTF-8 bytes, as text. */
export type HmacSha256 = (message: string, encoding: MacEncoding) => string;

const byKey = new WeakMap<Buffer, HmacSha256>();

/**
 * One buffer the MACs are computed in (pad ‖ message, then pad ‖ inner digest), grown when a
 * message needs more: hashing is synchronous, so calls never overlap, and no buffer is allocated
 * per message (per-call buffers are external memory, freed only by a later GC: on a masked
 * export of a million rows they showed in the process's RSS).
 */
let scratch = Buffer.allocUnsafeSlow(1024);

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
  const mac: HmacSha256 = (message, encoding) => {
    const length = BLOCK + Buffer.byteLength(message, 'utf8');
    if (scratch.length < length) scratch = Buffer.allocUnsafeSlow(2 * length);
    inner.copy(scratch, 0);
    scratch.write(message, BLOCK, 'utf8');
    // as hex text, written back below as its 32 bytes: no buffer per message
    const innerDigest = hash('sha256', scratch.subarray(0, length), 'hex');
    outer.copy(scratch, 0);
    scratch.write(innerDigest, BLOCK, 'hex');
    return hash('sha256', scratch.subarray(0, BLOCK + 32), encoding);
  };
  byKey.set(key, mac);
  return mac;
}
