import type { Metadata } from 'next';
import { StatusFilters } from '../../../components/console/approver/StatusFilters.tsx';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import { listOpenInbox, type OpenApplicationStatus } from '../../../lib/console/approver/api.ts';
import { readFlash } from '../../../lib/console/flash.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { approverText } from '../../../lib/i18n/console/approver.ts';
import { purposeLabel } from '../../../lib/i18n/labels.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import '../../../components/console/approver/approver.css';

export const dynamic = 'force-dynamic';

const FILTERS = ['submitted', 'approved', 'rejected', 'all'] as const;
type Filter = (typeof FILTERS)[number];
const ACTIONS = ['read', 'download'] as const;

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: approverText(locale).open.title };
}

/**
 * 开放申请: developers' applications for the department's 有条件开放 resources, each with what
 * the applicant said; approve (actions, daily quota, end of validity) or reject with a reason.
 */
export default async function OpenApplicationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const filter: Filter = FILTERS.includes(params.status as Filter)
    ? (params.status as Filter)
    : 'submitted';
  const gate = await requireStaff(
    `/console/open-applications?status=${filter}`,
    'openApplications',
  );
  if (!gate.ok) return gate.page;
  const { locale } = await getPrefs();
  const a = approverText(locale);
  const o = a.open;
  const [flash, inbox] = await Promise.all([
    readFlash(params.flash),
    listOpenInbox(
      gate.staff.accessToken,
      filter === 'all' ? undefined : (filter as OpenApplicationStatus),
    ),
  ]);
  const items = inbox.ok ? inbox.data : [];
  return (
    <>
      <h1>{o.title}</h1>
      <p className="lead">{o.lead}</p>
      <FlashMessage flash={flash} />
      <StatusFilters
        label={o.filterLabel}
        base="/console/open-applications"
        filters={FILTERS}
        current={filter}
        names={o.filters}
      />
      {!inbox.ok ? (
        <p className="notice notice-error" role="alert">
          {a.loadFailed}
        </p>
      ) : items.length === 0 ? (
        <p className="approver-empty">{o.empty}</p>
      ) : (
        items.map((app) => {
          const title = `app-${app.id}`;
          return (
            <article key={app.id} className="approver-app" aria-labelledby={title}>
              <h2 id={title}>
                {app.resourceName} · {app.realName}
              </h2>
              <dl className="approver-facts">
                <div>
                  <dt>{o.applicant}</dt>
                  <dd>
                    {app.realName}（{app.organisation}）
                  </dd>
                </div>
                <div>
                  <dt>{o.contact}</dt>
                  <dd>{app.contact}</dd>
                </div>
                <div>
                  <dt>{o.purpose}</dt>
                  <dd>{app.purpose}</dd>
                </div>
                <div>
                  <dt>{o.purposeCategory}</dt>
                  <dd>
                    {app.purposeCode
                      ? purposeLabel(app.purposeCode, app.purposeName ?? app.purposeCode, locale)
                      : o.purposeNone}
                  </dd>
                </div>
                <div>
                  <dt>{o.intendedUse}</dt>
                  <dd>{app.intendedUse}</dd>
                </div>
                <div>
                  <dt>{o.actionsAsked}</dt>
                  <dd>{app.actions.map((x) => o.actionNames[x] ?? x).join('、')}</dd>
                </div>
                <div>
                  <dt>{o.createdAt}</dt>
                  <dd>{formatDateTime(app.createdAt)}</dd>
                </div>
                <div>
                  <dt>{o.status}</dt>
                  <dd>
                    <span className={`approver-status approver-status-${app.status}`}>
                      {app.decidedAt
                        ? o.decided(
                            o.statuses[app.status] ?? app.status,
                            formatDateTime(app.decidedAt),
                          )
                        : (o.statuses[app.status] ?? app.status)}
                    </span>
                    {app.rejectReason ? <span>：{app.rejectReason}</span> : null}
                  </dd>
                </div>
              </dl>
              {app.status === 'submitted' ? (
                <div className="approver-decision-forms">
                  <form
                    method="post"
                    action="/console/open-applications/action"
                    className="console-form"
                    aria-label={`${o.approve}：${app.realName}`}
                  >
                    <input type="hidden" name="id" value={app.id} />
                    <input type="hidden" name="op" value="approve" />
                    <fieldset className="approver-editor">
                      <legend>{o.scope}</legend>
                      {ACTIONS.map((x) => (
                        <label key={x}>
                          <span>
                            <input
                              type="checkbox"
                              name="actions"
                              value={x}
                              defaultChecked={app.actions.includes(x)}
                            />{' '}
                            {o.actionNames[x]}
                          </span>
                        </label>
                      ))}
                    </fieldset>
                    <label>
                      {o.dailyQuota}（{o.optional}）
                      <input type="number" name="dailyQuota" min={1} max={1000000} step={1} />
                    </label>
                    <label>
                      {o.validUntil}（{o.optional}）
                      <input type="date" name="validUntil" />
                    </label>
                    <p className="inline-actions">
                      <button type="submit" className="button primary">
                        {o.approve}
                      </button>
                    </p>
                  </form>
                  <form
                    method="post"
                    action="/console/open-applications/action"
                    className="console-form"
                    aria-label={`${o.reject}：${app.realName}`}
                  >
                    <input type="hidden" name="id" value={app.id} />
                    <input type="hidden" name="op" value="reject" />
                    <label>
                      {o.rejectReason}
                      <textarea name="reason" rows={3} maxLength={4000} required />
                    </label>
                    <p className="inline-actions">
                      <button type="submit" className="button">
                        {o.reject}
                      </button>
                    </p>
                  </form>
                </div>
              ) : null}
            </article>
          );
        })
      )}
    </>
  );
}
