/** The portal speaks Chinese first; English is a visitor's choice, kept in a cookie. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** Cookie names of the visitor's display preferences (read by the server on every page). */
export const LOCALE_COOKIE = 'gx_lang';
export const ELDER_COOKIE = 'gx_elder';

export function toLocale(value: string | undefined): Locale {
  return value === 'en' ? 'en' : DEFAULT_LOCALE;
}
