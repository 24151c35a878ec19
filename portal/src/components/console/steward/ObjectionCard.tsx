import type { ReactNode } from 'react';
import { accountOf } from '../../../lib/console/evidenceRows.ts';
import type { Objection } from '../../../lib/console/steward/feedback.ts';
import { readableValue } from '../../../lib/console/steward/correctionForm.ts';
import { formatDateTime } from '../../../lib/format.ts';
import type { StewardText } from '../../../lib/i18n/console/steward.ts';

/** states in which the provider owes an answer: only then does its due time matter */
const AWAITING_ANSWER = new Set(['open', 'reopened']);

/**
 * One data objection as either party reads it: the provider sees who raised it and "our answer";
 * the raising department sees the provider and "the provider's answer". Fields are named by
 * their labels, the field name beside (the exchange records names only). The forms for the
 * steps the viewer may take come as children.
 */
export function ObjectionCard({
  objection: o,
  labels,
  party,
  text: t,
  children,
}: {
  objection: Objection;
  /** the labels of the resource's information items by field name; a name not in it stands */
  labels: ReadonlyMap<string, string>;
  /** the other party, whose name the card shows */
  party: { kind: 'raiser' } | { kind: 'provider'; label: string; answerLabel: string };
  text: StewardText;
  children?: ReactNode;
}) {
  const field = (name: string) => (labels.has(name) ? `${labels.get(name)}（${name}）` : name);
  return (
    <li aria-labelledby={`o-${o.id}`} data-objection-number={o.number}>
      <h2 id={`o-${o.id}`}>
        {o.resource.name}{' '}
        <span className="badge badge-plain">{t.objectionState[o.state] ?? o.stateLabel}</span>{' '}
        {o.overdue ? <span className="badge steward-overdue">{t.objectionOverdue}</span> : null}
      </h2>
      <dl className="steward-facts">
        <dt>{t.objectionNumber}</dt>
        <dd className="steward-code">{o.number}</dd>
        {party.kind === 'raiser' ? (
          <>
            <dt>{t.objectionRaiser}</dt>
            <dd>{o.raiser.department?.name ?? t.raiserKind[o.raiser.kind] ?? o.raiser.kind}</dd>
          </>
        ) : (
          <>
            <dt>{party.label}</dt>
            <dd>{o.provider.name}</dd>
          </>
        )}
        {AWAITING_ANSWER.has(o.state) ? (
          <>
            <dt>{t.objectionDue}</dt>
            <dd>{formatDateTime(o.dueAt)}</dd>
          </>
        ) : null}
        {o.recordKey ? (
          <>
            <dt>{t.objectionRecord}</dt>
            <dd className="steward-code">{o.recordKey}</dd>
          </>
        ) : null}
        {o.fields.length > 0 ? (
          <>
            <dt>{t.objectionFields}</dt>
            <dd>{o.fields.map(field).join('、')}</dd>
          </>
        ) : null}
        <dt>{t.objectionDescription}</dt>
        <dd>{o.description}</dd>
        {o.claimedValues ? (
          <>
            <dt>{t.objectionClaimed}</dt>
            <dd>
              {Object.entries(o.claimedValues)
                .map(([k, v]) => `${field(k)}：${readableValue(v, t)}`)
                .join('；')}
            </dd>
          </>
        ) : null}
        {o.evidenceLinks.length > 0 ? (
          <>
            <dt>{t.objectionLinks}</dt>
            <dd>
              <ul className="steward-links">
                {o.evidenceLinks.map((href) => (
                  <li key={href}>
                    <a href={href} rel="noopener noreferrer nofollow">
                      {href}
                    </a>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {o.answer ? (
          <>
            <dt>{party.kind === 'provider' ? party.answerLabel : t.objectionAnswer}</dt>
            <dd>
              {t.decisions[o.answer.decision] ?? o.answer.decision}
              {o.answer.reply ? `：${o.answer.reply}` : ''}（{formatDateTime(o.answer.at)}）
            </dd>
          </>
        ) : null}
        {o.correction ? (
          <>
            <dt>{t.objectionCorrection}</dt>
            <dd data-correction>
              <ul className="steward-links">
                {o.correction.changes.map((c) => (
                  <li key={c.field}>
                    {field(c.field)}：{readableValue(c.before, t) || t.correctRecordEmpty} →{' '}
                    {readableValue(c.after, t) || t.correctRecordEmpty}
                  </li>
                ))}
              </ul>
              {o.correction.comment ? `${o.correction.comment}（` : '（'}
              {t.correctionBy(
                o.correction.byName ?? accountOf(o.correction.by) ?? '',
                // only the provider's steward corrects a record (更正记录)
                o.provider.name,
                formatDateTime(o.correction.at),
              )}
              ）
            </dd>
          </>
        ) : null}
      </dl>
      {children}
    </li>
  );
}
