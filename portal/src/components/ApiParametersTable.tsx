import type { ReactNode } from 'react';
import type { Locale } from '../lib/i18n/locales.ts';
import type { Messages } from '../lib/i18n/messages.ts';
import { textIn } from '../lib/i18n/textIn.ts';

/** What the parameters table shows of one parameter (API tab and API docs alike). */
export interface ApiParameterRow {
  name: string;
  in: string;
  required: boolean;
  /** what the schema allows, e.g. `integer, 1–50, default 20` */
  allowed: string;
  description: string;
}

/** The parameters of one operation: name, where it goes, required, what it allows, meaning. */
export function ApiParametersTable({
  parameters,
  caption,
  t,
  locale,
}: {
  parameters: readonly ApiParameterRow[];
  caption: ReactNode;
  t: Messages;
  /** a `中文 / English` description shows the reader's half */
  locale: Locale;
}) {
  return (
    <div className="table-scroll">
      <table className="data-table compact">
        {caption}
        <thead>
          <tr>
            <th scope="col">{t.dataset.apiParamName}</th>
            <th scope="col">{t.dataset.apiParamIn}</th>
            <th scope="col">{t.dataset.apiParamRequired}</th>
            <th scope="col">{t.dataset.apiParamAllowed}</th>
            <th scope="col">{t.dataset.apiParamDescription}</th>
          </tr>
        </thead>
        <tbody>
          {parameters.map((p) => (
            <tr key={`${p.in}-${p.name}`}>
              <th scope="row">
                <code>{p.name}</code>
              </th>
              <td>
                {p.in === 'path'
                  ? t.dataset.apiInPath
                  : p.in === 'header'
                    ? t.dataset.apiInHeader
                    : t.dataset.apiInQuery}
              </td>
              <td>{p.required ? t.dataset.yes : t.dataset.no}</td>
              <td>
                <code>{p.allowed || '—'}</code>
              </td>
              <td>{textIn(p.description, locale) || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
