/** a mainland mobile number: 11 digits starting with 1, optionally written +86 / 0086 first */
const MOBILE = /^(?:\+?86|0086)?1[0-9]{10}$/;
/** an e-mail address: one @, no spaces, and a domain with at least one dot */
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/**
 * Whether a 联系方式 is one a department can reach: a mobile number (spaces and hyphens between
 * the digits allowed) or an e-mail address. The text is trimmed first.
 */
export function isContact(value: string): boolean {
  const text = value.trim();
  if (EMAIL.test(text)) return true;
  return /^[0-9+][0-9 -]*$/.test(text) && MOBILE.test(text.replace(/[ -]/g, ''));
}
