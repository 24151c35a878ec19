import { describe, expect, it } from 'vitest';
import { personOf } from './people.ts';

describe('personOf', () => {
  it('finds the person in a stored actor, and nobody in a system, a key or the platform', () => {
    expect(personOf('user:hz-gaj.approver@hz-gaj')).toBe('hz-gaj.approver');
    expect(personOf('user:admin')).toBe('admin');
    // a request stores its requester's bare username
    expect(personOf('hz-rsj.steward')).toBe('hz-rsj.steward');
    expect(personOf('system')).toBeUndefined();
    expect(personOf('system:hz-rsj-system@hz-rsj')).toBeUndefined();
    expect(personOf('api-key:4f2a')).toBeUndefined();
    expect(personOf(null)).toBeUndefined();
    expect(personOf('')).toBeUndefined();
  });
});
