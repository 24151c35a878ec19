import type { ReadableDiffRow } from '../../../lib/diffText.ts';
import type { StewardText } from '../../../lib/i18n/console/steward.ts';

/** A diff as 字段 / 原值 / 新值 (readableDiff's rows): one change of the history, or several. */
export function DiffTable({ rows, t }: { rows: readonly ReadableDiffRow[]; t: StewardText }) {
  return (
    <table className="console-table steward-diff">
      <thead>
        <tr>
          <th scope="col">{t.diffField}</th>
          <th scope="col">{t.diffBefore}</th>
          <th scope="col">{t.diffAfter}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d, i) => (
          <tr key={`${d.path}-${i}`}>
            <th scope="row">{d.field}</th>
            <td className="steward-before">{d.before}</td>
            <td className="steward-after">{d.after}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
