import { createHash, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSha256, sha256Base64, sha256Hex } from './sha256.ts';

describe('one-shot SHA-256 and HMAC-SHA256', () => {
  it('hash strings as their UTF-8 bytes, as createHash does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
        expect(sha256Base64(text)).toBe(createHash('sha256').update(text).digest('base64'));
      }),
    );
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('give createHmac’s MAC for keys shorter than, equal to and longer than the block', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.string({ unit: 'grapheme', maxLength: 600 }),
        (keyBytes, message) => {
          const key = Buffer.from(keyBytes);
          expect(hmacSha256(key)(message, 'hex')).toBe(
            createHmac('sha256', key).update(message, 'utf8').digest('hex'),
          );
        },
      ),
      { numRuns: 500 },
    );
    for (const length of [63, 64, 65]) {
      const key = randomBytes(length);
      const message = '身份证号 330106199001011234';
      expect(hmacSha256(key)(message, 'base64url')).toBe(
        createHmac('sha256', key).update(message).digest('base64url'),
      );
    }
    // a message longer than the working buffer, then a short one again
    const key = randomBytes(32);
    for (const message of ['长'.repeat(5_000), 'x']) {
      expect(hmacSha256(key)(message, 'base64')).toBe(
        createHmac('sha256', key).update(message).digest('base64'),
      );
    }
  });

  it('match RFC 4231 test case 2', () => {
    const mac = hmacSha256(Buffer.from('Jefe'))('what do ya want for nothing?', 'hex');
    expect(mac).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
});
