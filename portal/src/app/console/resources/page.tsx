import type { Metadata } from 'next';
import Link from 'next/link';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import { StatusBadge } from '../../../components/console/steward/StatusBadge.tsx';
import { ServiceUnavailable } from '../../../components/ServiceUnavailable.tsx';
import { whenAvailable } from '../../../lib/api/errors.ts';
import { readFlash } from '../../../lib/console/flash.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import {
  isResourceStatus,
  listDepartmentResources,
} from '../../../lib/console/steward/resources.ts';
import { lastStepsOf, resourceState } from '../../../lib/console/steward/reviewState.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { stewardText } from '../../../lib/i18n/console/steward.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import { queryParam } from '../../../lib/queryParam.ts';
import './steward.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: stewardText(locale).resourcesTitle };
}

/** 已退回 is a draft sent back by review (resourceState): filtered here, the API knows only draft */
const FILTERS = ['draft', 'rejected', 'in_review', 'published', 'retired'] as const;

/** 我的资源: the department's directory entries in every state, with a filter and 新建资源. */
export default async function MyResources({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const status = queryParam(params.status);
  const q = (queryParam(params.q) ?? '').trim().slice(0, 100);
  const self = `/console/resources${status ? `?status=${encodeURIComponent(status)}` : ''}`;
  const gate = await requireStaff(self, 'resources');
  if (!gate.ok) return gate.page;
  const { locale, t: site } = await getPrefs();
  const t = stewardText(locale);
  const { staff } = gate;
  const department = staff.departmentCode ?? '';
  const apiStatus = status === 'rejected' ? 'draft' : isResourceStatus(status) ? status : undefined;
  const [loaded, flash] = await Promise.all([
    whenAvailable(() => listDepartmentResources(staff.accessToken, department, apiStatus)),
    readFlash(params.flash),
  ]);
  if (!loaded.ok || !loaded.value.ok) return <ServiceUnavailable t={site} />;
  const { total, items } = loaded.value.data;
  const steps = await lastStepsOf(staff.accessToken, items);
  const shown = items.filter(
    (r) =>
      (status !== 'rejected' || resourceState(r, steps.get(r.code)) === 'rejected') &&
      (status !== 'draft' || resourceState(r, steps.get(r.code)) === 'draft') &&
      (!q || r.name.includes(q) || r.code.includes(q)),
  );

  return (
    <>
      <div className="steward-head">
        <h1>{t.resourcesTitle}</h1>
        <Link className="button primary steward-head-action" href="/console/resources/new">
          {t.newResource}
        </Link>
      </div>
      <p className="lead">{t.resourcesLead}</p>
      <FlashMessage flash={flash} />
      <form
        method="get"
        action="/console/resources"
        className="steward-filter"
        role="search"
        aria-label={t.filterLabel}
      >
        <label htmlFor="resources-q">
          {t.searchLabel}
          <input id="resources-q" name="q" defaultValue={q} maxLength={100} />
        </label>
        <label htmlFor="resources-status">
          {t.statusFilter}
          <select id="resources-status" name="status" defaultValue={status ?? ''}>
            <option value="">{t.allStatuses}</option>
            {FILTERS.map((s) => (
              <option key={s} value={s}>
                {t.status[s]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          {t.filter}
        </button>
      </form>
      <p className="steward-count">
        {t.totalResources(shown.length)}
        {items.length < total ? ` ${t.listTruncated(items.length)}` : ''}
      </p>
      {shown.length === 0 ? (
        <p className="empty-result">{t.noResources}</p>
      ) : (
        <div className="table-scroll" role="region" aria-label={t.resourcesTitle} tabIndex={0}>
          <table className="console-table">
            <thead>
              <tr>
                <th scope="col">{t.colName}</th>
                <th scope="col">{t.colCode}</th>
                <th scope="col">{t.colStatus}</th>
                <th scope="col">{t.colSharing}</th>
                <th scope="col" className="num">
                  {t.colItems}
                </th>
                <th scope="col">{t.colUpdated}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.code}>
                  <th scope="row">
                    <Link href={`/console/resources/${r.code}`}>{r.name}</Link>
                  </th>
                  <td className="steward-code">{r.code}</td>
                  <td>
                    <StatusBadge resource={r} lastStep={steps.get(r.code)} t={t} />
                  </td>
                  <td>
                    {t.sharingType[r.sharingType]} / {t.openType[r.openType]}
                  </td>
                  <td className="num">{r.items.length}</td>
                  <td>{formatDateTime(r.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
