import { refreshTokens } from './oidc.ts';
import {
  readSessionCookie,
  requestCookie,
  SESSION_COOKIE,
  sessionCookie,
  sessionFromTokens,
  type Session,
} from './session.ts';

/**
 * The session a form's route handler acts with, renewed there (a route handler may set the
 * cookie) when stale; undefined when signed out or the session cannot be renewed.
 */
export async function usableSession(
  request: Request,
): Promise<{ session: Session; cookies: string[] } | undefined> {
  const state = await readSessionCookie(requestCookie(request, SESSION_COOKIE));
  if (state.kind === 'active') return { session: state.session, cookies: [] };
  if (state.kind !== 'renew' || !state.session.refreshToken) return undefined;
  try {
    const session = sessionFromTokens(
      await refreshTokens(state.session.refreshToken),
      {},
      state.session,
    );
    return { session, cookies: [await sessionCookie(session)] };
  } catch {
    return undefined;
  }
}
