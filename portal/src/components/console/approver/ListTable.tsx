import type { ReactNode } from 'react';

/**
 * A console list: an alert when it could not be read, a quiet box when it is empty, else a table
 * (scrolling sideways on narrow screens) with a caption for assistive tech, the column heads and
 * the rows given; `after` follows a table that has rows.
 */
export function ListTable({
  ok,
  rows,
  text,
  caption,
  head,
  children,
  after,
}: {
  ok: boolean;
  rows: number;
  text: { loadFailed: string; empty: string };
  caption: string;
  head: readonly string[];
  /** the `<tr>`s */
  children: ReactNode;
  after?: ReactNode;
}) {
  if (!ok)
    return (
      <p className="notice notice-error" role="alert">
        {text.loadFailed}
      </p>
    );
  if (rows === 0) return <p className="approver-empty">{text.empty}</p>;
  return (
    <>
      <div className="table-scroll">
        <table className="console-table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {head.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
      {after}
    </>
  );
}
