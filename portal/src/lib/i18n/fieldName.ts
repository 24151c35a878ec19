/**
 * A form field's name as a message names it: its label without the hint in brackets at the end
 * (`联系方式（手机或邮箱，不公开）` → 联系方式, `Contact (phone or e-mail, not public)` → Contact).
 */
export function fieldName(label: string): string {
  return label.replace(/（.*）$|\s*\(.*\)$/u, '');
}
