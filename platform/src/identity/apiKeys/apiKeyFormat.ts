import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../crypto/sha256.ts';

/** Every key starts with this, so that secret scanners and people recognise it. */
export const API_KEY_PREFIX = 'gx_';
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const KEY_PATTERN = /^gx_([A-Za-z0-9]{12})_([A-Za-z0-9]{40})$/;

function randomText(length: number): string {
  // rejection sampling keeps every character equally likely
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 256 - (256 % ALPHABET.length)) out += ALPHABET[byte % ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export interface NewApiKey {
  /** the whole key, shown once to its owner and never stored */
  key: string;
  keyId: string;
  secretHash: string;
}

/** The secret carries 40 × log2(57) ≈ 233 bits, so a plain SHA-256 is a safe verifier. */
export function hashSecret(secret: string): string {
  return sha256Hex(secret);
}

export function generateApiKey(keyId = randomText(12)): NewApiKey {
  const secret = randomText(40);
  return { key: `${API_KEY_PREFIX}${keyId}_${secret}`, keyId, secretHash: hashSecret(secret) };
}

export function parseApiKey(key: string): { keyId: string; secretHash: string } | undefined {
  const match = KEY_PATTERN.exec(key);
  if (!match) return undefined;
  return { keyId: match[1]!, secretHash: hashSecret(match[2]!) };
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(API_KEY_PREFIX);
}
