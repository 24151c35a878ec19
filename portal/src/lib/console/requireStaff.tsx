import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { SessionProblem } from '../../components/developer/SignInPrompt.tsx';
import { ServiceUnavailable } from '../../components/ServiceUnavailable.tsx';
import { consoleShellText } from '../i18n/console/shell.ts';
import { getPrefs } from '../prefs.ts';
import { mayUse, type ConsoleArea } from './navigation.ts';
import { currentStaff, type Staff } from './staff.ts';

export type StaffGate = { ok: true; staff: Staff } | { ok: false; page: ReactNode };

/**
 * The first line of every console page: the member of staff, or the page to show instead —
 * 请登录 (signed out), 登录已失效 (bad or refused session), a trip through /auth/renew (stale
 * token), 仅供政务工作人员 (a developer), 服务暂不可用, or 角色不符 (another role's page).
 * `self` is the page's own path and query, to come back to after signing in.
 */
export async function requireStaff(self: string, area?: ConsoleArea): Promise<StaffGate> {
  const [{ t, locale }, state] = await Promise.all([getPrefs(), currentStaff()]);
  const c = consoleShellText(locale);
  const signIn = `/auth/login?next=${encodeURIComponent(self)}`;
  switch (state.kind) {
    case 'renew':
      redirect(`/auth/renew?next=${encodeURIComponent(self)}`);
    // falls through: redirect() never returns
    case 'signed-out':
      return {
        ok: false,
        page: (
          <div className="container narrow status-page">
            <h1>{c.signInTitle}</h1>
            <p className="lead">{c.signInText}</p>
            <p className="status-actions">
              <a className="button primary" href={signIn}>
                {c.signIn}
              </a>
            </p>
          </div>
        ),
      };
    case 'invalid':
      return { ok: false, page: <SessionProblem t={t} next={self} /> };
    case 'unavailable':
      return { ok: false, page: <ServiceUnavailable t={t} /> };
    case 'not-staff':
      return {
        ok: false,
        page: (
          <div className="container narrow status-page" role="alert">
            <h1>{c.notStaffTitle}</h1>
            <p className="lead">{c.notStaffText(state.name)}</p>
            <p className="status-actions">
              <Link className="button primary" href="/developer">
                {c.toDeveloper}
              </Link>
            </p>
          </div>
        ),
      };
    case 'ok':
      if (area && !mayUse(state.staff, area)) {
        return {
          ok: false,
          page: (
            <div className="console-forbidden" role="alert">
              <h1>{c.forbiddenTitle}</h1>
              <p className="lead">{c.forbiddenText}</p>
            </div>
          ),
        };
      }
      return { ok: true, staff: state.staff };
  }
}
