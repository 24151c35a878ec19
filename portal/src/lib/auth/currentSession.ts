import { cookies } from 'next/headers';
import { readSessionCookie, SESSION_COOKIE, type SessionState } from './session.ts';

/**
 * The visitor's session as a server component sees it. Server components cannot set cookies:
 * a page that finds `renew` sends the browser through /auth/renew. (Apart from session.ts so
 * that the tests can import the pure parts without Next.js.)
 */
export async function currentSession(): Promise<SessionState> {
  return readSessionCookie((await cookies()).get(SESSION_COOKIE)?.value);
}
