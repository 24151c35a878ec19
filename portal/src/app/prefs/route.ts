import { ELDER_COOKIE, LOCALE_COOKIE, toLocale } from '../../lib/i18n/locales.ts';

const ONE_YEAR = 365 * 24 * 3600;

/**
 * Where the visitor came from, if it is a page of this site: only a path is ever put in the
 * Location header, so the redirect cannot lead elsewhere.
 */
function backPath(request: Request): string {
  const referer = request.headers.get('referer');
  if (!referer) return '/';
  try {
    const from = new URL(referer);
    const self = new URL(request.url);
    const host = request.headers.get('host') ?? self.host;
    if (from.host !== host) return '/';
    const path = `${from.pathname}${from.search}`;
    return path.startsWith('/') && !path.startsWith('//') ? path : '/';
  } catch {
    return '/';
  }
}

/**
 * The header's display settings (language, 长辈模式) are plain forms posting here: the choice
 * is kept in a cookie for a year and the visitor goes back to the page they were on (303), so
 * both work without JavaScript and the server renders the next page as chosen.
 */
export async function POST(request: Request): Promise<Response> {
  const form = await request.formData().catch(() => undefined);
  const headers = new Headers({ Location: backPath(request), 'Cache-Control': 'no-store' });
  const cookie = (name: string, value: string) =>
    `${name}=${value}; Path=/; Max-Age=${ONE_YEAR}; SameSite=Lax; HttpOnly`;
  const lang = form?.get('lang');
  if (typeof lang === 'string') headers.append('Set-Cookie', cookie(LOCALE_COOKIE, toLocale(lang)));
  const elder = form?.get('elder');
  if (elder === '1' || elder === '0') headers.append('Set-Cookie', cookie(ELDER_COOKIE, elder));
  return new Response(null, { status: 303, headers });
}
