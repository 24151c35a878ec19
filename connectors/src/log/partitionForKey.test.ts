import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from './partitionForKey.ts';

describe('partitionForKey', () => {
  it("computes Kafka's murmur2 (the Java client's reference values)", () => {
    // org.apache.kafka.common.utils.UtilsTest#testMurmur2
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [input, expected] of cases)
      expect(murmur2(Buffer.from(input)), input).toBe(expected);
  });

  it('hashes the UTF-8 bytes of the key and stays within the partitions', () => {
    const key = '330106199001011234-张三';
    expect(partitionForKey(key, 12)).toBe((murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % 12);
    const seen = new Set<number>();
    for (let i = 0; i < 1_000; i += 1) {
      const p = partitionForKey(`key-${i}`, 7);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(7);
      seen.add(p);
    }
    expect(seen.size).toBe(7);
  });
});
