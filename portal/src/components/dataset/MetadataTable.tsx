import Link from 'next/link';
import type { Resource } from '../../lib/api/catalog.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { label } from '../../lib/i18n/labels.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import type { Messages } from '../../lib/i18n/messages.ts';

/** A value as the department wrote it (Chinese, whatever the page's language). */
const zh = (text: string | null | undefined) => (text ? <span lang="zh-CN">{text}</span> : null);

/** The directory entry's core metadata (政务信息资源目录编制指南), in the visitor's language. */
export function MetadataTable({
  resource: r,
  t,
  locale,
}: {
  resource: Resource;
  t: Messages;
  locale: Locale;
}) {
  const rows: [string, React.ReactNode][] = [
    [t.meta.code, <code key="code">{r.code}</code>],
    [
      t.meta.provider,
      <Link
        key="provider"
        href={`/departments/${encodeURIComponent(r.provider.code)}`}
        lang="zh-CN"
      >
        {r.provider.name}
      </Link>,
    ],
    [t.meta.region, <span lang="zh-CN">{r.regionName ?? r.regionCode}</span>],
    [
      t.meta.theme,
      <Link key="theme" href={`/themes/${encodeURIComponent(r.theme.code)}`} lang="zh-CN">
        {r.theme.name}
      </Link>,
    ],
    [t.meta.serviceCategory, zh(r.serviceCategory)],
    [t.meta.keywords, zh(r.keywords?.length ? r.keywords.join('、') : null)],
    [t.meta.format, label('format', r.format, locale)],
    [t.meta.sharingType, label('sharingType', r.sharingType, locale)],
    [t.meta.sharingConditions, zh(r.sharingConditions)],
    [
      t.meta.sharingMethods,
      r.sharingMethods?.length
        ? r.sharingMethods.map((m) => label('sharingMethod', m, locale)).join('、')
        : null,
    ],
    [t.meta.openType, label('openType', r.openType, locale)],
    [t.meta.openConditions, zh(r.openConditions)],
    [t.meta.updateCycle, label('updateCycle', r.updateCycle, locale)],
    [t.meta.publishDate, formatDate(r.publishDate)],
    [t.meta.dataUpdatedAt, r.dataUpdatedAt ? formatDateTime(r.dataUpdatedAt) : t.dataset.never],
    [t.meta.sourceSystem, zh(r.sourceSystem)],
    [t.meta.function, zh(r.function ? r.function.name : null)],
    [t.meta.dataGrade, label('dataGrade', r.dataGrade ?? 'general', locale)],
    [t.meta.contactName, zh(r.contactName)],
    [t.meta.contactPhone, r.contactPhone],
    [
      t.meta.contactEmail,
      r.contactEmail ? (
        <a key="mail" href={`mailto:${r.contactEmail}`}>
          {r.contactEmail}
        </a>
      ) : null,
    ],
    [t.meta.schemaVersion, r.schemaVersion ? `v${r.schemaVersion}` : null],
  ];
  return (
    <table className="meta-table">
      <tbody>
        {rows
          .filter(([, value]) => value !== null && value !== undefined && value !== '')
          .map(([name, value]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{value}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}
