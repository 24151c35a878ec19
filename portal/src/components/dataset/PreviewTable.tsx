import Link from 'next/link';
import type { OpenColumn, OpenRecord } from '../../lib/api/openData.ts';
import { formatCell } from '../../lib/format.ts';
import type { Messages } from '../../lib/i18n/messages.ts';

/**
 * One page of the preview, with plain links to the previous and next pages (the page number is
 * in the URL, so paging works without JavaScript and lands back on the table).
 */
export function PreviewTable({
  columns,
  records,
  page,
  pageSize,
  hasNext,
  href,
  t,
}: {
  columns: OpenColumn[];
  records: OpenRecord[];
  page: number;
  pageSize: number;
  hasNext: boolean;
  href: (page: number) => string;
  t: Messages;
}) {
  const from = (page - 1) * pageSize + 1;
  const to = from + records.length - 1;
  const caption = `${t.dataset.preview}：${t.dataset.previewNote(from, to)}`;
  return (
    <>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table className="data-table preview-table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                #
              </th>
              {columns.map((column) => (
                <th scope="col" key={column.name}>
                  {column.label}
                  {column.unit ? <span className="unit">（{column.unit}）</span> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody lang="zh-CN">
            {records.map((record, i) => (
              <tr key={i}>
                <td className="num">{from + i}</td>
                {columns.map((column) => (
                  <td
                    key={column.name}
                    className={
                      column.dataType === 'integer' || column.dataType === 'number'
                        ? 'num'
                        : undefined
                    }
                  >
                    {formatCell(record[column.name], column.dataType)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label={`${t.dataset.preview} · ${t.pagination.label}`}>
        {page > 1 ? (
          <Link href={href(page - 1)} rel="prev">
            ‹ {t.pagination.previous}
          </Link>
        ) : (
          <span className="disabled" aria-hidden="true">
            ‹ {t.pagination.previous}
          </span>
        )}
        <span className="pager-status" aria-current="page">
          {t.pagination.page(page)}（{t.dataset.previewNote(from, to)}）
        </span>
        {hasNext ? (
          <Link href={href(page + 1)} rel="next">
            {t.pagination.next} ›
          </Link>
        ) : (
          <span className="disabled" aria-hidden="true">
            {t.pagination.next} ›
          </span>
        )}
      </nav>
    </>
  );
}
