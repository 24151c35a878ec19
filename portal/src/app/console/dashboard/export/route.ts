import { dashboardCsv } from '../../../../lib/console/authority/dashboardCsv.ts';
import { dashboardDepartment } from '../../../../lib/console/authority/dashboardDepartment.ts';
import { dashboardFigures } from '../../../../lib/console/authority/dashboardFigures.ts';
import { mayUse } from '../../../../lib/console/navigation.ts';
import { currentStaff } from '../../../../lib/console/staff.ts';
import { authorityText } from '../../../../lib/i18n/console/authority.ts';
import { getPrefs } from '../../../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

/**
 * 导出看板数据: the dashboard's figures as CSV for Excel, from the same loader as the page, with
 * the person's own token. Anyone who may not have it (signed out, stale session, another role,
 * a department they may not see or that does not exist) is sent to the dashboard page, which
 * says why.
 */
export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const department = dashboardDepartment(url.searchParams.get('department') ?? undefined);
  const state = await currentStaff();
  if (state.kind !== 'ok' || !mayUse(state.staff, 'dashboard')) {
    const back = department
      ? `/console/dashboard?department=${encodeURIComponent(department)}`
      : '/console/dashboard';
    return new Response(null, {
      status: 303,
      headers: { Location: back, 'Cache-Control': 'no-store' },
    });
  }
  const { locale } = await getPrefs();
  const figures = await dashboardFigures(state.staff, department);
  if (figures.refused) {
    // a department the caller may not see (or none of that code): never the whole city's file
    // under its name; the page says why
    return new Response(null, {
      status: 303,
      headers: {
        Location: `/console/dashboard?department=${encodeURIComponent(department ?? '')}`,
        'Cache-Control': 'no-store',
      },
    });
  }
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const text = authorityText(locale);
  // the file is named as the page names its scope (全市, or the department); the ASCII fallback
  // for old clients keeps the code
  const name = `${text.exportFileName}-${figures.scope?.name ?? text.scopeCity}-${day}.csv`;
  return new Response(dashboardCsv(figures, text), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="dashboard-${figures.scope?.code ?? 'city'}-${day}.csv"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'Cache-Control': 'no-store',
    },
  });
}
