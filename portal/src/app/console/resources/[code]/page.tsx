import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ConfirmedAction } from '../../../../components/console/ConfirmedAction.tsx';
import { FlashMessage } from '../../../../components/console/FlashMessage.tsx';
import { DiffTable } from '../../../../components/console/steward/DiffTable.tsx';
import { ResourceEditor } from '../../../../components/console/steward/ResourceEditor.tsx';
import {
  Compatibility,
  SchemaComparison,
} from '../../../../components/console/steward/SchemaComparison.tsx';
import { StatusBadge } from '../../../../components/console/steward/StatusBadge.tsx';
import { ServiceUnavailable } from '../../../../components/ServiceUnavailable.tsx';
import { whenAvailable } from '../../../../lib/api/errors.ts';
import { readFlash } from '../../../../lib/console/flash.ts';
import { requireStaff } from '../../../../lib/console/requireStaff.tsx';
import { personLabel } from '../../../../lib/console/evidenceRows.ts';
import { unsealDraft } from '../../../../lib/console/steward/carriedDraft.ts';
import { historyNames, readableDiff, type HistoryNames } from '../../../../lib/diffText.ts';
import { editorStateOf } from '../../../../lib/console/steward/editorState.ts';
import { lastStepOf, reviewCommentIsCurrent } from '../../../../lib/console/steward/reviewState.ts';
import {
  getHistory,
  getResource,
  getSchemaPreview,
  getSchemaVersions,
  listFunctions,
  listThemes,
  RESOURCE_CODE,
  type HistoryEntry,
  type Resource,
  type SchemaPreview,
  type SchemaVersion,
} from '../../../../lib/console/steward/resources.ts';
import { formatDateTime } from '../../../../lib/format.ts';
import { stewardText, type StewardText } from '../../../../lib/i18n/console/steward.ts';
import { getPrefs } from '../../../../lib/prefs.ts';
import '../steward.css';

export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ code: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [{ locale }, { code }] = await Promise.all([getPrefs(), params]);
  return { title: `${stewardText(locale).resourcesTitle} · ${code}` };
}

/** The record schema this draft would publish, and how it compares with the last version. */
function SchemaSection({
  preview,
  versions,
  t,
}: {
  preview: SchemaPreview | undefined;
  versions: SchemaVersion[];
  t: StewardText;
}) {
  return (
    <section className="steward-section" aria-labelledby="schema-title">
      <h2 id="schema-title">{t.schemaTitle}</h2>
      <p className="hint">{t.schemaLead}</p>
      {preview ? (
        <>
          <SchemaComparison preview={preview} t={t} />
          <details className="steward-json">
            <summary>{t.showJsonSchema}</summary>
            <pre tabIndex={0}>{JSON.stringify(preview.jsonSchema, null, 2)}</pre>
          </details>
        </>
      ) : null}
      <h3>{t.versionsTitle}</h3>
      {versions.length === 0 ? (
        <p>{t.noVersions}</p>
      ) : (
        <table className="console-table">
          <thead>
            <tr>
              <th scope="col">{t.colVersion}</th>
              <th scope="col">{t.colCompatibility}</th>
              <th scope="col">{t.colCreated}</th>
              <th scope="col">{t.colBy}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <th scope="row">v{v.version}</th>
                <td>
                  <Compatibility value={v.compatibility} t={t} />
                </td>
                <td>{formatDateTime(v.createdAt)}</td>
                <td>{personLabel(v.createdBy, v.createdByName, v.createdBy)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** 变更历史: who did what when, each change as 字段 / 原值 / 新值. */
function HistorySection({
  history,
  names,
  t,
}: {
  history: HistoryEntry[];
  /** the names of coded values by diff path: themes, statutory functions, the provider */
  names: HistoryNames;
  t: StewardText;
}) {
  return (
    <section className="steward-section" aria-labelledby="history-title">
      <h2 id="history-title">{t.historyTitle}</h2>
      {history.length === 0 ? (
        <p>{t.noHistory}</p>
      ) : (
        <ol className="steward-history">
          {[...history].reverse().map((h) => (
            <li key={h.id}>
              <p className="steward-history-head">
                <strong>{t.action[h.action] ?? h.action}</strong> ·{' '}
                {personLabel(h.actor, h.actorName, h.actor)} · {formatDateTime(h.at)}
                {h.toStatus ? (
                  <>
                    {' '}
                    →{' '}
                    <span className="badge badge-plain">{t.status[h.toStatus] ?? h.toStatus}</span>
                  </>
                ) : null}
              </p>
              {h.comment ? <p className="steward-history-comment">{h.comment}</p> : null}
              {readableDiff(h.diff, names, t).length === 0 ? (
                <p className="hint">{t.noDiff}</p>
              ) : (
                <DiffTable rows={readableDiff(h.diff, names, t)} t={t} />
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** A non-draft entry, read-only: the metadata and items as they stand. */
function ReadOnly({ resource: r, t }: { resource: Resource; t: StewardText }) {
  const rows: [string, string][] = [
    [t.field.abstract!, r.abstract],
    [t.field.themeCode!, r.theme.name],
    [t.field.format!, t.format[r.format] ?? r.format],
    [t.field.sharingType!, t.sharingType[r.sharingType] ?? r.sharingType],
    [
      t.field.sharingMethods!,
      (r.sharingMethods ?? []).map((m) => t.sharingMethod[m] ?? m).join('、') || '—',
    ],
    [t.field.openType!, t.openType[r.openType] ?? r.openType],
    [t.field.updateCycle!, t.updateCycle[r.updateCycle] ?? r.updateCycle],
    [t.field.dataGrade!, r.dataGrade ? (t.grade[r.dataGrade] ?? r.dataGrade) : '—'],
  ];
  return (
    <section className="steward-section" aria-labelledby="meta-title">
      <h2 id="meta-title">{t.metaLegend}</h2>
      <table className="console-table steward-meta">
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t.itemsLegend}</h3>
      <div className="table-scroll" role="region" aria-label={t.itemsLegend} tabIndex={0}>
        <table className="console-table">
          <thead>
            <tr>
              <th scope="col">{t.item.name}</th>
              <th scope="col">{t.item.label}</th>
              <th scope="col">{t.item.dataType}</th>
              <th scope="col">{t.item.maxLength}</th>
              <th scope="col">{t.item.dataGrade}</th>
              <th scope="col">{t.item.isKey}</th>
              <th scope="col">{t.item.isPersonal}</th>
            </tr>
          </thead>
          <tbody>
            {r.items.map((i) => (
              <tr key={i.name}>
                <th scope="row" className="steward-code">
                  {i.name}
                </th>
                <td>{i.label}</td>
                <td>{t.dataType[i.dataType] ?? i.dataType}</td>
                <td>{i.maxLength ?? '—'}</td>
                <td>{t.grade[i.dataGrade] ?? i.dataGrade}</td>
                <td>{i.isKey ? t.yes : t.no}</td>
                <td>{i.isPersonal ? t.yes : t.no}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/**
 * One entry of my department: a draft opens in the editor with 提交审核; any other state is
 * shown read-only (published entries may be reopened with 修订 or retired with 下线, each after
 * confirming). Below: the record schema with its compatibility, and the history.
 */
export default async function ResourcePage({ params, searchParams }: Props) {
  const [{ code }, query] = await Promise.all([params, searchParams]);
  if (!RESOURCE_CODE.test(code)) notFound();
  const gate = await requireStaff(`/console/resources/${code}`, 'resources');
  if (!gate.ok) return gate.page;
  const { locale, t: site } = await getPrefs();
  const t = stewardText(locale);
  const token = gate.staff.accessToken;
  const loaded = await whenAvailable(() =>
    Promise.all([
      getResource(token, code),
      getSchemaPreview(token, code),
      getSchemaVersions(token, code),
      getHistory(token, code),
      listThemes(),
      listFunctions(gate.staff.departmentCode ?? ''),
      readFlash(query.flash),
      unsealDraft(query.draft),
    ]),
  );
  if (!loaded.ok) return <ServiceUnavailable t={site} />;
  const [resource, preview, versions, history, themes, functions, flash, carried] = loaded.value;
  if (!resource.ok) notFound();
  const r = resource.data;
  const mine = r.provider.code === gate.staff.departmentCode && !r.harvest;
  const editable = mine && r.status === 'draft';
  const lastStep = history.ok ? lastStepOf(history.data) : undefined;
  const commentIsCurrent = reviewCommentIsCurrent(r, lastStep);

  return (
    <>
      <p className="breadcrumb">
        <Link href="/console/resources">{t.backToList}</Link>
      </p>
      <div className="steward-head">
        <h1>{r.name}</h1>
        <StatusBadge resource={r} lastStep={lastStep} t={t} />
      </div>
      <p className="steward-code">
        {t.colCode}：{r.code} · {r.provider.name}
      </p>
      <FlashMessage flash={flash} />
      {r.reviewComment ? (
        commentIsCurrent ? (
          <div className="notice steward-review-comment">
            <p>
              <strong>{t.reviewComment}：</strong>
              {r.reviewComment}
            </p>
          </div>
        ) : (
          <div className="steward-review-comment steward-review-comment-previous">
            <p className="hint">
              <strong>{t.previousReviewComment}：</strong>
              {r.reviewComment}
            </p>
          </div>
        )
      ) : null}
      {editable ? (
        <section className="steward-section steward-submit" aria-labelledby="submit-title">
          <h2 id="submit-title">{t.submitTitle}</h2>
          <p className="hint">{t.submitLead}</p>
          <form method="post" action="/console/resources/action" className="console-form">
            <input type="hidden" name="op" value="submit" />
            <input type="hidden" name="code" value={r.code} />
            <label htmlFor="submit-comment">
              {t.submitComment}
              <textarea id="submit-comment" name="comment" rows={2} maxLength={4000} />
            </label>
            <p>
              <button type="submit" className="button primary">
                {t.submit}
              </button>
            </p>
          </form>
        </section>
      ) : null}
      {editable ? (
        <section className="steward-section" aria-labelledby="editor-title">
          <h2 id="editor-title">{t.editTitle}</h2>
          <ResourceEditor
            locale={locale}
            action="/console/resources/action"
            code={r.code}
            revision={r.revision}
            initial={carried ?? editorStateOf(r)}
            themes={themes}
            functions={functions}
          />
        </section>
      ) : (
        <>
          {mine && r.status === 'published' ? (
            <div className="steward-actions">
              <p className="hint steward-actions-hint">{t.readOnly}</p>
              {/* reopening takes the entry off the directory until it is approved again: the
                  steward confirms, having read what stops meanwhile and what goes on */}
              <ConfirmedAction
                action="/console/resources/action"
                op="revise"
                fields={{ code: r.code }}
                label={t.revise}
                question={t.reviseQuestion}
                confirm={t.reviseConfirm}
                subject={r.name}
              />
              {/* the catalog lets the provider's steward retire a published entry, a reason optional */}
              <ConfirmedAction
                action="/console/resources/action"
                op="retire"
                fields={{ code: r.code }}
                label={t.retire}
                question={t.retireQuestion}
                confirm={t.retireConfirm}
                subject={r.name}
                danger
              >
                <label htmlFor="retire-comment">
                  {t.retireReason}
                  <textarea id="retire-comment" name="comment" rows={2} maxLength={4000} />
                </label>
              </ConfirmedAction>
            </div>
          ) : null}
          <ReadOnly resource={r} t={t} />
        </>
      )}
      <SchemaSection
        preview={preview.ok ? preview.data : undefined}
        versions={versions.ok ? versions.data : []}
        t={t}
      />
      <HistorySection
        history={history.ok ? history.data : []}
        names={historyNames({ code: r.code, provider: r.provider, themes, functions }, t)}
        t={t}
      />
    </>
  );
}
