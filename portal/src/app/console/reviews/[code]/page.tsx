import type { Metadata } from 'next';
import Link from 'next/link';
import { NotLoaded } from '../../../../components/console/approver/NotLoaded.tsx';
import { FlashMessage } from '../../../../components/console/FlashMessage.tsx';
import { DiffTable } from '../../../../components/console/steward/DiffTable.tsx';
import { SchemaComparison } from '../../../../components/console/steward/SchemaComparison.tsx';
import { getEntry, getEntryHistory, getEntrySchema } from '../../../../lib/console/approver/api.ts';
import { changesSincePublication } from '../../../../lib/console/approver/changesSincePublication.ts';
import { reviewTrail } from '../../../../lib/console/approver/reviewTrail.ts';
import { personLabel } from '../../../../lib/console/evidenceRows.ts';
import { listFunctions, listThemes } from '../../../../lib/console/steward/resources.ts';
import { historyNames, readableDiff } from '../../../../lib/diffText.ts';
import { readFlash } from '../../../../lib/console/flash.ts';
import { requireStaff } from '../../../../lib/console/requireStaff.tsx';
import { formatDateTime } from '../../../../lib/format.ts';
import { approverText } from '../../../../lib/i18n/console/approver.ts';
import { stewardText } from '../../../../lib/i18n/console/steward.ts';
import { label } from '../../../../lib/i18n/labels.ts';
import { getPrefs } from '../../../../lib/prefs.ts';
import '../../../../components/console/approver/approver.css';
import '../../resources/steward.css';

export const dynamic = 'force-dynamic';

const CODE = /^[1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}$/;

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: approverText(locale).reviews.title };
}

/**
 * One entry under review, as the approver must judge it: the steward's note with this
 * submission and what was decided before (rejections with their reasons); what approving would
 * change — the record schema's compatibility with the last published version, as the steward's
 * page says it, and each field edited since that publication; its metadata, its information
 * items and the record schema they generate; then 审核通过 or 退回修改 with a comment.
 */
export default async function ReviewEntryPage({
  params,
  searchParams,
}: {
  params: Promise<{ code: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { code } = await params;
  const gate = await requireStaff(`/console/reviews/${encodeURIComponent(code)}`, 'reviews');
  if (!gate.ok) return gate.page;
  const [{ locale }, query] = await Promise.all([getPrefs(), searchParams]);
  const a = approverText(locale);
  const r = a.reviews;
  const token = gate.staff.accessToken;
  const [flash, entry, schema, history, themes] = await Promise.all([
    readFlash(query.flash),
    CODE.test(code) ? getEntry(token, code) : undefined,
    CODE.test(code) ? getEntrySchema(token, code) : undefined,
    CODE.test(code) ? getEntryHistory(token, code) : undefined,
    listThemes(),
  ]);
  const back = (
    <p className="breadcrumb">
      <Link href="/console/reviews">{a.back}</Link>
    </p>
  );
  if (!entry?.ok) {
    return (
      <NotLoaded
        back={{ href: '/console/reviews', label: a.back }}
        title={r.title}
        status={entry?.status}
        text={a}
      />
    );
  }
  const e = entry.data;
  const s = stewardText(locale);
  const trail = reviewTrail(history?.ok ? history.data : []);
  const edits = history?.ok ? changesSincePublication(history.data) : undefined;
  // coded values of the diff by name, as the steward's history shows them
  const names = historyNames(
    { code: e.code, provider: e.provider, themes, functions: await listFunctions(e.provider.code) },
    s,
  );
  const facts: [string, string | null | undefined][] = [
    [r.code, e.code],
    [r.provider, e.provider.name],
    [r.abstract, e.abstract],
    [r.theme, e.theme.name],
    [r.format, label('format', e.format, locale)],
    [r.updateCycle, a.cycles[e.updateCycle] ?? e.updateCycle],
    [r.grade, a.grades[e.dataGrade ?? ''] ?? e.dataGrade],
    [r.sharing, a.sharingTypes[e.sharingType]],
    [r.sharingConditions, e.sharingConditions],
    [r.sharingLegalBasis, e.sharingLegalBasis],
    [r.open, a.openTypes[e.openType]],
    [r.openConditions, e.openConditions],
    [r.function, e.function ? `${e.function.name}（${e.function.code}）` : null],
    [r.contact, [e.contactName, e.contactPhone, e.contactEmail].filter(Boolean).join('，')],
    [r.submittedAt, formatDateTime(e.updatedAt)],
  ];
  return (
    <>
      {back}
      <h1>{e.name}</h1>
      <FlashMessage flash={flash} />
      <section aria-labelledby="entry-trail" className="approver-section approver-trail">
        <h2 id="entry-trail">{r.trail}</h2>
        {trail.submission ? (
          <div className="approver-note">
            <h3>{r.note}</h3>
            {trail.submission.note ? (
              <blockquote>
                <p>{trail.submission.note}</p>
              </blockquote>
            ) : (
              <p>{r.noNote}</p>
            )}
            <p className="hint">
              {r.submittedBy(
                personLabel(
                  trail.submission.actor,
                  trail.submission.actorName,
                  trail.submission.actor,
                ) ?? '',
                formatDateTime(trail.submission.at),
              )}
            </p>
          </div>
        ) : null}
        <h3>{r.earlier}</h3>
        {trail.earlier.length === 0 ? (
          <p>{r.noEarlier}</p>
        ) : (
          <ol className="approver-earlier">
            {trail.earlier.map((h) => (
              <li key={h.id}>
                <p>
                  <strong>{label('changeAction', h.action, locale)}</strong> ·{' '}
                  {personLabel(h.actor, h.actorName, h.actor)} · {formatDateTime(h.at)}
                </p>
                {h.comment ? (
                  <p>
                    {r.stepComment}：{h.comment}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="entry-changes" className="approver-section approver-changes">
        <h2 id="entry-changes">{r.changes}</h2>
        <p className="hint">{r.changesLead}</p>
        {schema?.ok ? (
          <>
            <h3>{r.schemaCompatibility}</h3>
            <SchemaComparison preview={schema.data} t={s} breakingHint={r.breakingHint} />
          </>
        ) : null}
        <h3>{r.fieldChanges}</h3>
        {!history?.ok ? null : edits === undefined ? (
          <p>{r.firstPublication}</p>
        ) : edits.length === 0 ? (
          <p>{r.noFieldChanges}</p>
        ) : (
          <DiffTable rows={readableDiff(edits, names, s)} t={s} />
        )}
      </section>
      <section aria-labelledby="entry-meta" className="approver-section">
        <h2 id="entry-meta">{r.metadata}</h2>
        <dl className="approver-facts">
          {facts
            .filter(([, v]) => v)
            .map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
        </dl>
      </section>
      <section aria-labelledby="entry-items" className="approver-section">
        <h2 id="entry-items">{r.items}</h2>
        <div className="table-scroll">
          <table className="console-table">
            <thead>
              <tr>
                <th scope="col">{r.itemName}</th>
                <th scope="col">{r.itemLabel}</th>
                <th scope="col">{r.itemType}</th>
                <th scope="col">{r.itemGrade}</th>
                <th scope="col">{r.itemPersonal}</th>
                <th scope="col">{r.itemKey}</th>
              </tr>
            </thead>
            <tbody>
              {e.items.map((i) => (
                <tr key={i.name}>
                  <th scope="row">
                    <code>{i.name}</code>
                  </th>
                  <td>{i.label}</td>
                  <td>{a.dataTypes[i.dataType] ?? i.dataType}</td>
                  <td>{a.grades[i.dataGrade] ?? i.dataGrade}</td>
                  <td>{i.isPersonal ? r.yes : r.no}</td>
                  <td>{i.isKey ? r.yes : r.no}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {schema?.ok ? (
        <section aria-labelledby="entry-schema" className="approver-section">
          <h2 id="entry-schema">
            {r.schema} · {r.schemaVersion(schema.data.version)}
          </h2>
          <pre className="approver-json" tabIndex={0}>
            {JSON.stringify(schema.data.jsonSchema, null, 2)}
          </pre>
        </section>
      ) : null}
      <section aria-labelledby="entry-decide" className="approver-section approver-decide">
        <h2 id="entry-decide">{r.decide}</h2>
        {e.status !== 'in_review' ? (
          <p className="notice">{r.notInReview}</p>
        ) : (
          <form method="post" action="/console/reviews/action" className="console-form">
            <input type="hidden" name="code" value={e.code} />
            <input type="hidden" name="name" value={e.name} />
            <label>
              {r.comment}
              <textarea name="comment" rows={4} maxLength={4000} aria-describedby="comment-hint" />
              <span id="comment-hint" className="hint">
                {r.commentHint}
              </span>
            </label>
            <p className="inline-actions">
              <button type="submit" name="decision" value="approve" className="button primary">
                {r.approve}
              </button>
              <button type="submit" name="decision" value="reject" className="button">
                {r.reject}
              </button>
            </p>
          </form>
        )}
      </section>
    </>
  );
}
