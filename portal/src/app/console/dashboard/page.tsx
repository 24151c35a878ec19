import type { Metadata } from 'next';
import { StatusChart } from '../../../components/console/authority/StatusChart.tsx';
import { ShareChart } from '../../../components/console/authority/ShareChart.tsx';
import { VolumeChart } from '../../../components/console/authority/VolumeChart.tsx';
import { dashboardFigures } from '../../../lib/console/authority/dashboardFigures.ts';
import { dashboardDepartment } from '../../../lib/console/authority/dashboardDepartment.ts';
import { mayUse } from '../../../lib/console/navigation.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import { formatDate, formatDateTime, formatNumber } from '../../../lib/format.ts';
import { authorityText } from '../../../lib/i18n/console/authority.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import './dashboard.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: authorityText(locale).dashboardTitle };
}

/**
 * 数据看板: the directory (with 职责与资源缺口, the catalog's gaps report), sharing, exchange,
 * dead-letter and evidence figures of the whole city or one department (?department=code). Who sees which department is the APIs' decision; a
 * steward gets their own department whatever they ask for.
 */
export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const department = dashboardDepartment((await searchParams).department);
  const self = department
    ? `/console/dashboard?department=${encodeURIComponent(department)}`
    : '/console/dashboard';
  const gate = await requireStaff(self, 'dashboard');
  if (!gate.ok) return gate.page;
  const { locale } = await getPrefs();
  const a = authorityText(locale);
  const f = await dashboardFigures(gate.staff, department);
  const n = (v: number) => formatNumber(v, locale);
  const r = f.exchange.requests;
  const volume = f.exchange.volume;
  const deadLetterTotal = f.deadLetters?.reduce((s, d) => s + d.count, 0);
  const deadLettersByDepartment = new Map<string, number>();
  for (const d of f.deadLetters ?? [])
    deadLettersByDepartment.set(
      d.department,
      (deadLettersByDepartment.get(d.department) ?? 0) + d.count,
    );
  const scopeName = f.scope?.name ?? a.scopeCity;
  // a department's name leads to its own dashboard, for those who may choose another
  const departmentLink = (code: string, name: string) =>
    f.choices.length > 1 ? (
      <a href={`/console/dashboard?department=${encodeURIComponent(code)}`}>{name}</a>
    ) : (
      name
    );
  // an entry citing no function is its own department's steward's to revise, on its page
  const mayEdit = (departmentCode: string) =>
    mayUse(gate.staff, 'resources') && gate.staff.departmentCode === departmentCode;
  const gaps = f.gaps;
  const exportHref = f.scope
    ? `/console/dashboard/export?department=${encodeURIComponent(f.scope.code)}`
    : '/console/dashboard/export';

  const figures: { key: string; label: string; value: string; note?: string }[] = [
    { key: 'total', label: a.figures.total, value: n(f.totals.total) },
    { key: 'published', label: a.figures.published, value: n(f.totals.byStatus.published) },
    {
      key: 'shareable',
      label: a.figures.shareable,
      value: n(f.totals.shareable),
      note: a.shareOf(f.totals.shareableShare),
    },
    {
      key: 'openable',
      label: a.figures.openable,
      value: n(f.totals.openable),
      note: a.shareOf(f.totals.openableShare),
    },
    { key: 'overdue', label: a.figures.overdue, value: n(f.totals.overdue) },
    { key: 'pending', label: a.figures.pending, value: n(r.pending) },
    { key: 'overdue-requests', label: a.figures.overdueRequests, value: n(r.overdue) },
    {
      key: 'median',
      label: a.figures.median,
      value: a.duration(r.medianSeconds),
      note: a.decidedCount(r.decided),
    },
    { key: 'p90', label: a.figures.p90, value: a.duration(r.p90Seconds) },
    {
      key: 'volume-today',
      label: a.figures.volumeToday,
      value: n(volume.at(-1)?.records ?? 0),
    },
    {
      key: 'volume-30',
      label: a.figures.volume30,
      value: n(volume.reduce((s, d) => s + d.records, 0)),
    },
    ...(deadLetterTotal === undefined
      ? []
      : [{ key: 'dead-letters', label: a.figures.deadLetters, value: n(deadLetterTotal) }]),
  ];

  return (
    <div className="dashboard">
      <h1>{a.dashboardTitle}</h1>
      <p className="lead">{a.dashboardLead}</p>
      {f.refused ? (
        <div className="notice notice-error console-flash" role="alert">
          <p>{a.scopeRefused}</p>
        </div>
      ) : null}
      <div className="dashboard-bar">
        <p className="dashboard-scope" data-scope={f.scope?.code ?? ''}>
          {a.scopeNow(scopeName)}
        </p>
        {f.choices.length > 1 ? (
          <form className="dashboard-scope-form" method="get" action="/console/dashboard">
            <label htmlFor="dashboard-department">{a.scopeLabel}</label>
            <select id="dashboard-department" name="department" defaultValue={f.scope?.code ?? ''}>
              <option value="">{a.scopeAll}</option>
              {f.choices.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name}
                </option>
              ))}
            </select>
            <button type="submit" className="button">
              {a.scopeShow}
            </button>
          </form>
        ) : null}
        <a className="button primary" href={exportHref}>
          {a.exportCsv}
        </a>
      </div>

      <section aria-labelledby="dashboard-figures">
        <h2 id="dashboard-figures" className="visually-hidden">
          {a.figuresLabel}
        </h2>
        <dl className="dashboard-figures">
          {figures.map((fig) => (
            <div key={fig.key} className="dashboard-figure" data-figure={fig.key}>
              <dt>{fig.label}</dt>
              <dd>{fig.value}</dd>
              {fig.note ? <dd className="dashboard-figure-note">{fig.note}</dd> : null}
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="dashboard-resources" className="dashboard-section">
        <h2 id="dashboard-resources">{a.resourcesTitle}</h2>
        {f.departments.length === 0 || f.totals.total === 0 ? (
          <p>{a.noResources}</p>
        ) : (
          <>
            {f.departments.length > 1 ? (
              <div className="dashboard-charts">
                <StatusChart departments={f.departments} a={a} locale={locale} />
                <ShareChart departments={f.departments} a={a} />
              </div>
            ) : null}
            <div
              className="table-scroll dashboard-scroll"
              role="region"
              aria-label={a.resourcesTitle}
              tabIndex={0}
            >
              <table className="console-table dashboard-table">
                <thead>
                  <tr>
                    <th scope="col">{a.department}</th>
                    <th scope="col">{a.status.draft}</th>
                    <th scope="col">{a.status.in_review}</th>
                    <th scope="col">{a.status.published}</th>
                    <th scope="col">{a.status.retired}</th>
                    <th scope="col">{a.figures.shareable}</th>
                    <th scope="col">{a.figures.openable}</th>
                    <th scope="col">{a.figures.overdue}</th>
                  </tr>
                </thead>
                <tbody>
                  {f.departments.map((d) => (
                    <tr key={d.code} data-department={d.code}>
                      <th scope="row">{departmentLink(d.code, d.name)}</th>
                      <td>{n(d.byStatus.draft)}</td>
                      <td>{n(d.byStatus.in_review)}</td>
                      <td>{n(d.byStatus.published)}</td>
                      <td>{n(d.byStatus.retired)}</td>
                      <td>{n(d.shareable)}</td>
                      <td>{n(d.openable)}</td>
                      <td>{n(d.overdue)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section aria-labelledby="dashboard-overdue" className="dashboard-section">
        <h2 id="dashboard-overdue">{a.overdueTitle}</h2>
        <p>{a.overdueLead}</p>
        {f.overdue.length === 0 ? (
          <p>{a.overdueNone}</p>
        ) : (
          <div
            className="table-scroll dashboard-scroll"
            role="region"
            aria-label={a.overdueTitle}
            tabIndex={0}
          >
            <table className="console-table" data-table="overdue">
              <thead>
                <tr>
                  <th scope="col">{a.resourceName}</th>
                  <th scope="col">{a.department}</th>
                  <th scope="col">{a.updateCycle}</th>
                  <th scope="col">{a.lastUpdated}</th>
                  <th scope="col">{a.dueAt}</th>
                  <th scope="col">{a.daysOverdue}</th>
                </tr>
              </thead>
              <tbody>
                {f.overdue.map((o) => (
                  <tr key={o.code} data-resource={o.code}>
                    <th scope="row">
                      {o.name}
                      <span className="dashboard-code">{o.code}</span>
                    </th>
                    <td>{o.departmentName}</td>
                    <td>{a.cycles[o.updateCycle] ?? o.updateCycle}</td>
                    <td>{formatDate(o.lastUpdatedAt)}</td>
                    <td>{formatDate(o.dueAt)}</td>
                    <td>{n(o.daysOverdue)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="dashboard-gaps" className="dashboard-section">
        <h2 id="dashboard-gaps">{a.gapsTitle}</h2>
        <p>{a.gapsLead}</p>
        <h3 id="dashboard-gap-functions">
          {a.gapsFunctionsTitle(gaps.functionsWithoutResource.length)}
        </h3>
        {gaps.functionsWithoutResource.length === 0 ? (
          <p>{a.gapsFunctionsNone}</p>
        ) : (
          <div
            className="table-scroll dashboard-scroll"
            role="region"
            aria-labelledby="dashboard-gap-functions"
            tabIndex={0}
          >
            <table className="console-table" data-table="gap-functions">
              <thead>
                <tr>
                  <th scope="col">{a.functionName}</th>
                  <th scope="col">{a.functionCode}</th>
                  <th scope="col">{a.department}</th>
                </tr>
              </thead>
              <tbody>
                {gaps.functionsWithoutResource.map((g) => (
                  <tr
                    key={`${g.departmentCode}/${g.code}`}
                    data-function={`${g.departmentCode}/${g.code}`}
                  >
                    <th scope="row">{g.name}</th>
                    <td>
                      <span className="dashboard-code">{g.code}</span>
                    </td>
                    <td>{departmentLink(g.departmentCode, g.departmentName)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h3 id="dashboard-gap-resources">
          {a.gapsResourcesTitle(gaps.resourcesWithoutFunction.length)}
        </h3>
        {gaps.resourcesWithoutFunction.length === 0 ? (
          <p>{a.gapsResourcesNone}</p>
        ) : (
          <div
            className="table-scroll dashboard-scroll"
            role="region"
            aria-labelledby="dashboard-gap-resources"
            tabIndex={0}
          >
            <table className="console-table" data-table="gap-resources">
              <thead>
                <tr>
                  <th scope="col">{a.resourceName}</th>
                  <th scope="col">{a.department}</th>
                </tr>
              </thead>
              <tbody>
                {gaps.resourcesWithoutFunction.map((g) => (
                  <tr key={g.code} data-resource={g.code}>
                    <th scope="row">
                      {mayEdit(g.departmentCode) ? (
                        <a href={`/console/resources/${encodeURIComponent(g.code)}`}>{g.name}</a>
                      ) : (
                        g.name
                      )}
                      <span className="dashboard-code">{g.code}</span>
                    </th>
                    <td>{departmentLink(g.departmentCode, g.departmentName)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="dashboard-requests" className="dashboard-section">
        <h2 id="dashboard-requests">{a.requestsTitle}</h2>
        <p>{a.requestsLead}</p>
        <table className="console-table dashboard-narrow" data-table="requests">
          <tbody>
            <tr>
              <th scope="row">{a.csvMetrics.decided}</th>
              <td>{n(r.decided)}</td>
            </tr>
            <tr>
              <th scope="row">{a.figures.median}</th>
              <td>{a.duration(r.medianSeconds)}</td>
            </tr>
            <tr>
              <th scope="row">{a.figures.p90}</th>
              <td>{a.duration(r.p90Seconds)}</td>
            </tr>
            <tr>
              <th scope="row">{a.figures.pending}</th>
              <td>{n(r.pending)}</td>
            </tr>
            <tr>
              <th scope="row">{a.figures.overdueRequests}</th>
              <td>{n(r.overdue)}</td>
            </tr>
          </tbody>
        </table>
      </section>

      <section aria-labelledby="dashboard-volume" className="dashboard-section">
        <h2 id="dashboard-volume">{a.volumeTitle}</h2>
        <VolumeChart days={volume} a={a} locale={locale} />
      </section>

      <section aria-labelledby="dashboard-dead-letters" className="dashboard-section">
        <h2 id="dashboard-dead-letters">{a.deadLettersTitle}</h2>
        <p>{a.deadLettersLead}</p>
        {f.deadLetters === null ? (
          <p>{a.deadLettersHidden}</p>
        ) : f.deadLetters.every((d) => d.count === 0) ? (
          <p>{a.deadLettersNone}</p>
        ) : (
          <div className="dashboard-columns">
            <table className="console-table" data-table="dead-letters">
              <thead>
                <tr>
                  <th scope="col">{a.connector}</th>
                  <th scope="col">{a.connectorKind}</th>
                  <th scope="col">{a.departmentCode}</th>
                  <th scope="col">{a.deadLetterCount}</th>
                </tr>
              </thead>
              <tbody>
                {f.deadLetters
                  .filter((d) => d.count > 0)
                  .map((d) => (
                    <tr key={d.connector} data-connector={d.connector}>
                      <th scope="row">{d.connector}</th>
                      <td>{a.kinds[d.kind] ?? d.kind}</td>
                      <td>{d.department}</td>
                      <td>{n(d.count)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
            <table className="console-table">
              <caption>{a.perDepartment}</caption>
              <thead>
                <tr>
                  <th scope="col">{a.departmentCode}</th>
                  <th scope="col">{a.deadLetterCount}</th>
                </tr>
              </thead>
              <tbody>
                {[...deadLettersByDepartment]
                  .filter(([, count]) => count > 0)
                  .map(([code, count]) => (
                    <tr key={code}>
                      <th scope="row">{code}</th>
                      <td>{n(count)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="dashboard-evidence" className="dashboard-section">
        <h2 id="dashboard-evidence">{a.evidenceTitle}</h2>
        {f.evidence.visible ? (
          <div
            className={`notice ${f.evidence.result.latest.ok ? 'notice-done' : 'notice-error'}`}
            data-evidence={f.evidence.result.latest.ok ? 'intact' : 'broken'}
          >
            <p>
              {f.evidence.result.latest.ok || !f.evidence.result.latest.firstBroken
                ? a.evidenceIntact(
                    f.evidence.result.latest.head.seq,
                    f.evidence.result.latest.since,
                    f.evidence.result.latest.entries,
                    f.evidence.result.latest.archivedThrough,
                  )
                : a.evidenceBroken(
                    f.evidence.result.latest.firstBroken.seq,
                    f.evidence.result.latest.firstBroken.reason,
                  )}
            </p>
            <p className="dashboard-figure-note">
              {a.evidenceCheckedAt(formatDateTime(f.evidence.result.latest.checkedAt))}
              {' · '}
              {a.evidenceLastFull(
                f.evidence.result.lastFull && formatDateTime(f.evidence.result.lastFull.checkedAt),
              )}
            </p>
          </div>
        ) : (
          <p>{a.evidenceHidden}</p>
        )}
      </section>
    </div>
  );
}
