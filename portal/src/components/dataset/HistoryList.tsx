import type { ResourceChange } from '../../lib/api/catalog.ts';
import { formatDateTime } from '../../lib/format.ts';
import { label } from '../../lib/i18n/labels.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import type { Messages } from '../../lib/i18n/messages.ts';

const show = (value: unknown) => {
  if (value === undefined || value === null || value === '') return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
};

/** 变更记录: who changed the entry, when, and which fields (newest first). */
export function HistoryList({
  changes,
  t,
  locale,
}: {
  changes: ResourceChange[];
  t: Messages;
  locale: Locale;
}) {
  if (changes.length === 0) return <p>{t.dataset.historyEmpty}</p>;
  return (
    <ol className="history">
      {[...changes].reverse().map((change) => (
        <li key={change.id}>
          <p className="history-head">
            <time dateTime={change.at}>{formatDateTime(change.at)}</time>
            <strong>{label('changeAction', change.action, locale)}</strong>
            <span className="history-actor">{change.actor}</span>
          </p>
          {change.comment ? <p className="history-comment">“{change.comment}”</p> : null}
          {change.diff.length > 0 ? (
            <details>
              <summary>{t.dataset.historyFields(change.diff.length)}</summary>
              <ul className="history-diff">
                {change.diff.slice(0, 50).map((d) => (
                  <li key={d.path}>
                    <code>{d.path}</code>：{show(d.before)} → {show(d.after)}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
