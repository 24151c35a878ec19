import type { SchemaPreview } from '../../../lib/console/steward/resources.ts';
import type { StewardText } from '../../../lib/i18n/console/steward.ts';

/** A record schema version's compatibility with the one before, as a badge. */
export function Compatibility({ value, t }: { value: string; t: StewardText }) {
  return (
    <span className={`badge steward-compat steward-compat-${value}`}>
      {t.compatibility[value] ?? value}
    </span>
  );
}

/**
 * The record schema an entry's items would publish, against the last published version (the
 * catalog's comparison, `GET /v1/resources/{code}/schema`): the new version or 结构未变, its
 * compatibility, a breaking change said plainly, and each change field by field. The steward
 * sees it while editing, the approver before deciding: the same words on both pages.
 */
export function SchemaComparison({
  preview,
  t,
  breakingHint = t.breakingHint,
}: {
  preview: SchemaPreview;
  t: StewardText;
  /** what a breaking change asks of the reader (the steward's hint by default) */
  breakingHint?: string;
}) {
  return (
    <>
      <p className="steward-schema-summary">
        {preview.unchanged
          ? t.schemaUnchanged
          : t.schemaVersion(preview.version, preview.basedOnVersion)}{' '}
        <Compatibility value={preview.compatibility} t={t} />
      </p>
      {preview.compatibility === 'breaking' ? (
        <p className="notice notice-error">{breakingHint}</p>
      ) : null}
      {preview.changes.length > 0 ? (
        <table className="console-table steward-schema-changes">
          <caption className="visually-hidden">{t.schemaTitle}</caption>
          <thead>
            <tr>
              <th scope="col">{t.changeField}</th>
              <th scope="col">{t.changeKind}</th>
              <th scope="col">{t.changeDetail}</th>
              <th scope="col">{t.changeBreaking}</th>
            </tr>
          </thead>
          <tbody>
            {preview.changes.map((c, i) => (
              <tr key={`${c.field}-${i}`}>
                <th scope="row" className="steward-code">
                  {c.field}
                </th>
                <td>{t.changeKinds[c.change] ?? c.change}</td>
                <td>{c.detail}</td>
                <td>{c.breaking ? t.compatibleNo : t.compatibleYes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
