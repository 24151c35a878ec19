import type { ResourceChange } from '../../lib/api/catalog.ts';
import { readableDiff, type HistoryNames } from '../../lib/diffText.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { StewardText } from '../../lib/i18n/console/steward.ts';
import { label } from '../../lib/i18n/labels.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import type { Messages } from '../../lib/i18n/messages.ts';

const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

/**
 * 变更记录: who changed the entry, when, and which fields (newest first), the fields and their
 * values in words as the steward's console reads them (readableDiff), not JSON pointers and codes.
 */
export function HistoryList({
  changes,
  names,
  t,
  words,
  locale,
}: {
  changes: ResourceChange[];
  /** the names of coded values by diff path (historyNames) */
  names: HistoryNames;
  t: Messages;
  /** the directory's field names and coded values (the steward's words, in the page's language) */
  words: StewardText;
  locale: Locale;
}) {
  if (changes.length === 0) return <p>{t.dataset.historyEmpty}</p>;
  return (
    <ol className="history">
      {[...changes].reverse().map((change) => {
        const rows = readableDiff(change.diff, names, words);
        return (
          <li key={change.id}>
            <p className="history-head">
              <time dateTime={change.at}>{formatDateTime(change.at)}</time>
              <strong>{label('changeAction', change.action, locale)}</strong>
              <span className="history-actor">{change.actor}</span>
            </p>
            {change.comment ? <p className="history-comment">“{change.comment}”</p> : null}
            {rows.length > 0 ? (
              <details>
                <summary>{t.dataset.historyFields(rows.length)}</summary>
                <ul className="history-diff">
                  {rows.slice(0, 50).map((d, i) => (
                    <li key={`${d.path}-${i}`}>
                      {t.labelled(d.field, `${clip(d.before)} → ${clip(d.after)}`)}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
