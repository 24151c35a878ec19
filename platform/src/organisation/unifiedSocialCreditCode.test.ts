import { describe, expect, it } from 'vitest';
import {
  isValidUnifiedSocialCreditCode,
  makeUnifiedSocialCreditCode,
} from './unifiedSocialCreditCode.ts';

describe('统一社会信用代码', () => {
  it('accepts published codes of real organisations', () => {
    // as published in the national enterprise credit information system
    expect(isValidUnifiedSocialCreditCode('9144030071526726XG')).toBe(true); // 深圳市腾讯计算机系统有限公司
    expect(isValidUnifiedSocialCreditCode('91440300708461136T')).toBe(true); // 华为技术有限公司
    expect(isValidUnifiedSocialCreditCode('9144030071526726XH')).toBe(false); // check character altered
  });

  it('round-trips codes it builds and refuses any single-character change', () => {
    const code = makeUnifiedSocialCreditCode('11', '330100', '00248912');
    expect(code).toHaveLength(18);
    expect(isValidUnifiedSocialCreditCode(code)).toBe(true);
    for (let i = 0; i < 18; i += 1) {
      const altered = code.slice(0, i) + (code[i] === '1' ? '2' : '1') + code.slice(i + 1);
      expect(isValidUnifiedSocialCreditCode(altered), altered).toBe(false);
    }
  });

  it('refuses letters outside the GB 32100 alphabet', () => {
    expect(isValidUnifiedSocialCreditCode('11330100I0248912XX')).toBe(false);
    expect(isValidUnifiedSocialCreditCode('short')).toBe(false);
  });
});
