/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters — registration authority, organisation type,
 * 6-digit administrative division, 9-character organisation code (GB 11714, with its own check
 * character) and a final check character over the first 17.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export const UNIFIED_SOCIAL_CREDIT_CODE_PATTERN =
  /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** Check character of the 8-character organisation code body (GB 11714). */
export function organisationCodeCheck(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i += 1) {
    const value = ALPHABET.indexOf(body8[i]!);
    if (value < 0) throw new Error(`invalid organisation code character ${body8[i]}`);
    sum += value * ORG_WEIGHTS[i]!;
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** Check character over the first 17 characters. */
export function unifiedSocialCreditCodeCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = ALPHABET.indexOf(first17[i]!);
    if (value < 0) throw new Error(`invalid character ${first17[i]}`);
    sum += value * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

export function isValidUnifiedSocialCreditCode(code: string): boolean {
  if (!UNIFIED_SOCIAL_CREDIT_CODE_PATTERN.test(code)) return false;
  const orgBody = code.slice(8, 16);
  // the organisation code check may be 'X'; it is not in the GB 32100 alphabet's check role
  if (!/^[0-9A-HJ-NPQRTUWXY]{8}$/.test(orgBody)) return false;
  if (organisationCodeCheck(orgBody) !== code[16]) return false;
  return unifiedSocialCreditCodeCheck(code.slice(0, 17)) === code[17];
}

/** Build a valid code from its parts (used for demo data and tests). */
export function makeUnifiedSocialCreditCode(
  authorityAndType: string,
  division: string,
  orgBody8: string,
): string {
  const first17 = `${authorityAndType}${division}${orgBody8}${organisationCodeCheck(orgBody8)}`;
  return first17 + unifiedSocialCreditCodeCheck(first17);
}
