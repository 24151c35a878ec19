import type { Resource } from '../../lib/api/catalog.ts';
import { label } from '../../lib/i18n/labels.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import type { Messages } from '../../lib/i18n/messages.ts';

/** 信息项: the dataset's fields as the department described them. */
export function ItemsTable({
  resource,
  t,
  locale,
}: {
  resource: Resource;
  t: Messages;
  locale: Locale;
}) {
  const yes = (flag: boolean) => (flag ? t.dataset.yes : '—');
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t.dataset.items}>
      <table className="data-table">
        <caption className="visually-hidden">{t.dataset.items}</caption>
        <thead>
          <tr>
            <th scope="col">{t.items.label}</th>
            <th scope="col">{t.items.name}</th>
            <th scope="col">{t.items.dataType}</th>
            <th scope="col">{t.items.unit}</th>
            <th scope="col">{t.items.key}</th>
            <th scope="col">{t.items.required}</th>
            <th scope="col">{t.items.personal}</th>
            <th scope="col">{t.items.description}</th>
          </tr>
        </thead>
        <tbody>
          {resource.items.map((item) => (
            <tr key={item.name}>
              <th scope="row" lang="zh-CN">
                {item.label}
              </th>
              <td>
                <code>{item.name}</code>
              </td>
              <td>{label('dataType', item.dataType, locale)}</td>
              <td>{item.unit ?? '—'}</td>
              <td>{yes(item.isKey)}</td>
              <td>{yes(item.isRequired)}</td>
              <td>{yes(item.isPersonal)}</td>
              <td lang="zh-CN">{item.description ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
