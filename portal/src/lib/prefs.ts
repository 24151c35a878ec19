import { cookies } from 'next/headers';
import { ELDER_COOKIE, LOCALE_COOKIE, toLocale, type Locale } from './i18n/locales.ts';
import { messages, type Messages } from './i18n/messages.ts';

export interface Prefs {
  locale: Locale;
  /** 长辈模式: larger text and higher contrast */
  elder: boolean;
  t: Messages;
}

/**
 * The visitor's display preferences, from cookies, so the server renders every page in the
 * chosen language and mode — nothing flickers, and it works without JavaScript.
 */
export async function getPrefs(): Promise<Prefs> {
  const jar = await cookies();
  const locale = toLocale(jar.get(LOCALE_COOKIE)?.value);
  return { locale, elder: jar.get(ELDER_COOKIE)?.value === '1', t: messages(locale) };
}
