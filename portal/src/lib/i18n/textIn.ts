import type { Locale } from './locales.ts';

/**
 * The specs' summaries and many descriptions read `中文 / English`: the half in the reader's
 * language (the whole text when it has no such halves, or when that half is empty).
 */
export function textIn(text: string, locale: Locale): string {
  const at = text.indexOf(' / ');
  if (at < 0) return text;
  return (locale === 'en' ? text.slice(at + 3) : text.slice(0, at)).trim() || text;
}
