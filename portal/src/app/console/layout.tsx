import type { ReactNode } from 'react';
import { ConsoleNav } from '../../components/console/ConsoleNav.tsx';
import { getDepartment } from '../../lib/api/catalog.ts';
import { consoleNavigation } from '../../lib/console/navigation.ts';
import { currentStaff } from '../../lib/console/staff.ts';
import { consoleShellText } from '../../lib/i18n/console/shell.ts';
import { getPrefs } from '../../lib/prefs.ts';
import './console.css';

/**
 * The console's frame: who is signed in and in which role, and the navigation of the pages
 * their roles may use. Each page still checks (requireStaff) and the APIs check again.
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const [{ locale }, state] = await Promise.all([getPrefs(), currentStaff()]);
  if (state.kind !== 'ok') return <>{children}</>;
  const c = consoleShellText(locale);
  const { staff } = state;
  const roles = [...staff.roles].map((r) => c.roleNames[r] ?? r).join('、');
  const department = staff.departmentCode ? await departmentOf(staff.departmentCode) : undefined;
  return (
    <div className="container console">
      <aside className="console-side">
        <p className="console-who">{c.signedInAs(staff.name, roles, department?.name)}</p>
        <ConsoleNav
          label={c.navLabel}
          home={{ href: '/console', label: c.links.home }}
          groups={consoleNavigation(staff, {
            dataAuthority: department?.isDataAuthority ?? true,
          }).map((g) => ({
            label: c.groups[g.label],
            links: g.links.map((l) => ({ href: l.href, label: c.links[l.label] })),
          }))}
        />
      </aside>
      <div className="console-main">{children}</div>
    </div>
  );
}

/**
 * The department's name for the frame, and whether it is the data authority (whose approvers
 * review the directory); its code, and every link its roles allow, when the catalog cannot say.
 */
async function departmentOf(code: string): Promise<{ name: string; isDataAuthority: boolean }> {
  const unknown = { name: code, isDataAuthority: true };
  try {
    const found = await getDepartment(code);
    return found.kind === 'ok'
      ? { name: found.data.name, isDataAuthority: found.data.isDataAuthority ?? true }
      : unknown;
  } catch {
    return unknown;
  }
}
