import { hmacSha256 } from '@gx/platform';
import type { FieldType } from './rowFilter.ts';

export type Mask =
  | { kind: 'keep_first_last'; first?: number; last?: number }
  | { kind: 'hmac_pseudonym' }
  | { kind: 'generalise'; to: 'year' | 'month' | 'district' }
  | { kind: 'redact' };

/**
 * Whether a mask fits a field of this type, and if not, why (the approver's message). A mask
 * that does not fit would deliver the field empty (性别 generalised to a year is null in every
 * record) or garbled (a date kept 1 + 1), so such a policy is refused rather than granted.
 */
export function maskMisfit(mask: Mask, type: FieldType): string | undefined {
  switch (mask.kind) {
    case 'keep_first_last':
      return ['string', 'integer', 'number'].includes(type)
        ? undefined
        : '部分遮盖只适用于文本或数字字段';
    case 'generalise':
      if (mask.to === 'district')
        return type === 'string' ? undefined : '泛化到区县只适用于文本（地址）字段';
      return type === 'date' || type === 'datetime'
        ? undefined
        : '按年/月泛化只适用于日期或日期时间字段';
    default:
      return undefined;
  }
}

/** Marks a field that must be left out of the delivered record. */
export const REMOVED = Symbol('removed');

/**
 * 部分遮盖: keep the first and last characters (Unicode code points), star the rest.
 * A value too short to keep both ends keeps only its first character, so a two-character name
 * 张三 becomes 张* and never stays whole.
 */
export function keepFirstLast(value: string, first = 1, last = 1): string {
  const chars = [...value];
  if (chars.length === 0) return '';
  if (chars.length <= first + last) return chars[0] + '*'.repeat(chars.length - 1);
  return (
    chars.slice(0, first).join('') +
    '*'.repeat(chars.length - first - last) +
    chars.slice(chars.length - last).join('')
  );
}

/**
 * 假名化: a keyed HMAC-SHA256 of the value. The key is per grant, so the same person gets the
 * same pseudonym within one grant (records can be joined) but different ones across grants
 * (consumers cannot join their data sets to re-identify).
 */
export function hmacPseudonym(value: unknown, key: Buffer): string {
  return hmacSha256(key)(String(value), 'base64url').slice(0, 22);
}

// [province] [city] district: short units, and the district part may not contain street
// words, so that 文三路阳光小区 is never mistaken for a district and leaked whole
const DISTRICT = /^(?:.{1,8}?(?:省|自治区))?(?:.{1,8}?市)?[^路街道号弄巷村镇]{1,5}?(?:区|县|旗)/u;
// county-level cities (义乌市) have no 区/县: stop at the city
const CITY = /^(?:.{1,8}?(?:省|自治区))?.{1,8}?市/u;

/** 泛化: a date to its year or month; an address to its district (浙江省杭州市西湖区…→浙江省杭州市西湖区). */
export function generalise(value: unknown, to: 'year' | 'month' | 'district'): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  if (to === 'year' || to === 'month') {
    const match = /^(\d{4})-(\d{2})/.exec(text);
    if (!match) return null;
    return to === 'year' ? match[1]! : `${match[1]}-${match[2]}`;
  }
  const match = DISTRICT.exec(text) ?? CITY.exec(text);
  return match ? match[0] : null;
}

/** Apply one mask to one value; REMOVED means leave the field out. */
export function applyMask(value: unknown, mask: Mask, key: Buffer): unknown {
  if (mask.kind === 'redact') return REMOVED;
  if (value === null || value === undefined) return value ?? null;
  switch (mask.kind) {
    case 'keep_first_last':
      return keepFirstLast(String(value), mask.first ?? 1, mask.last ?? 1);
    case 'hmac_pseudonym':
      return hmacPseudonym(value, key);
    case 'generalise':
      return generalise(value, mask.to);
  }
}
