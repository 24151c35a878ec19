// The approval form's mask choices without a browser: the browser journey approves with the
// usual masks; this checks what each type of item is offered.
import { describe, expect, it } from 'vitest';
import { maskChoicesFor } from '../../portal/src/lib/console/approver/policyForm.ts';

describe("the approver's mask choices", () => {
  it('offer each type of item only the masks the exchange grants on it', () => {
    // 性别 (a string) generalised to a year would be delivered empty
    expect(maskChoicesFor('string')).toEqual([
      '',
      'keep_first_last',
      'hmac_pseudonym',
      'generalise_district',
      'redact',
    ]);
    expect(maskChoicesFor('date')).toEqual([
      '',
      'hmac_pseudonym',
      'generalise_year',
      'generalise_month',
      'redact',
    ]);
    expect(maskChoicesFor('datetime')).toEqual(maskChoicesFor('date'));
    expect(maskChoicesFor('integer')).toEqual(['', 'keep_first_last', 'hmac_pseudonym', 'redact']);
    expect(maskChoicesFor('boolean')).toEqual(['', 'hmac_pseudonym', 'redact']);
  });

  it('keep offering a choice carried back from a refused form, so it can be seen and changed', () => {
    expect(maskChoicesFor('string', 'generalise_year')).toContain('generalise_year');
  });
});
