import type { Metadata } from 'next';
import Link from 'next/link';
import { ServiceUnavailable } from '../../components/ServiceUnavailable.tsx';
import { EVERY_BUCKET, listDepartments, searchResources } from '../../lib/api/catalog.ts';
import { whenAvailable } from '../../lib/api/errors.ts';
import { browseState } from '../../lib/emptySearch.ts';
import { label } from '../../lib/i18n/labels.ts';
import { getPrefs } from '../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getPrefs();
  return { title: t.departments.title };
}

/** 提供部门: every department with open data, most datasets first. */
export default async function DepartmentsPage() {
  const { t, locale } = await getPrefs();
  const loaded = await whenAvailable(() =>
    Promise.all([
      listDepartments(),
      searchResources({ ...browseState(), pageSize: 1, facetSize: EVERY_BUCKET }),
    ]),
  );
  if (!loaded.ok) return <ServiceUnavailable t={t} />;
  const [departments, browse] = loaded.value;
  const counts = new Map(browse.facets.department.map((b) => [b.value, b.count]));
  const rows = departments
    .map((d) => ({ ...d, count: counts.get(d.code) ?? 0 }))
    .filter((d) => d.count > 0)
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN'));
  return (
    <div className="container section">
      <h1>{t.departments.title}</h1>
      <p className="lead">{t.departments.lead}</p>
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">{t.departments.title}</caption>
          <thead>
            <tr>
              <th scope="col">{t.departments.title}</th>
              <th scope="col">{t.departments.region}</th>
              <th scope="col">{t.departments.kind}</th>
              <th scope="col" className="num">
                {t.departments.datasets}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.code}>
                <th scope="row">
                  <Link href={`/departments/${d.code}`} lang="zh-CN">
                    {d.name}
                  </Link>
                </th>
                <td lang="zh-CN">{d.regionName}</td>
                <td>{label('departmentKind', d.kind, locale)}</td>
                <td className="num">{t.departments.datasetCount(d.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
