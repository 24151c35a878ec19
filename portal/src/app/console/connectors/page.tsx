import type { Metadata } from 'next';
import Link from 'next/link';
import { ConfirmedAction } from '../../../components/console/ConfirmedAction.tsx';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import { ServiceUnavailable } from '../../../components/ServiceUnavailable.tsx';
import { whenAvailable } from '../../../lib/api/errors.ts';
import { getEntry } from '../../../lib/console/approver/api.ts';
import { getGrant } from '../../../lib/console/consumer/api.ts';
import { grantBasis } from '../../../lib/console/consumer/objectionForm.ts';
import { readFlash } from '../../../lib/console/flash.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import {
  connectorOffsets,
  connectorStatus,
  connectorThroughput,
  latestDeadLetters,
  listConnectors,
  listPlugins,
  type ConnectorOffsets,
} from '../../../lib/console/steward/connectors.ts';
import { offsetsText } from '../../../lib/console/steward/connectorForm.ts';
import { formatDateTime, formatNumber } from '../../../lib/format.ts';
import { stewardText } from '../../../lib/i18n/console/steward.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import '../resources/steward.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: stewardText(locale).connectorsTitle };
}

/**
 * 连接器: my department's connectors, each with what it does now (status and last error), how
 * much it moved (records in/out, lag), where it resumes (位点), its dead letters with reasons, and
 * what the steward may do with it: pause / resume, stop, restart, 修改配置, and — confirmed first
 * — 重新同步存量 (a sink: its grant's stored records again), 重置位点 (a stopped connector only,
 * as the API requires) and 删除. 新建连接器 has its own page.
 */
export default async function ConnectorsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const gate = await requireStaff('/console/connectors', 'connectors');
  if (!gate.ok) return gate.page;
  const [{ locale, t: site }, params] = await Promise.all([getPrefs(), searchParams]);
  const t = stewardText(locale);
  const token = gate.staff.accessToken;
  const grantName = (grant: Parameters<typeof grantBasis>[0]) => {
    const basis = grantBasis(grant);
    return basis.resourceName
      ? t.connectorGrantName(basis.resourceName, basis.providerName)
      : undefined;
  };
  const loaded = await whenAvailable(async () => {
    const [list, throughput, flash, plugins] = await Promise.all([
      listConnectors(token),
      connectorThroughput(),
      readFlash(params.flash),
      listPlugins(token),
    ]);
    if (!list.ok) return undefined;
    // a source's position is worded by its plugin's position schema (without it: its own words
    // for the built-in plugins, else the JSON)
    const positionSchemas = new Map(
      (plugins.ok ? plugins.data : []).map((p) => [p.type, p.positionSchema]),
    );
    const details = await Promise.all(
      list.data.map(async (c) => {
        const [status, dead, offsets, resource, grant] = await Promise.all([
          connectorStatus(token, c.name),
          latestDeadLetters(token, c.name),
          connectorOffsets(token, c.name),
          // names for the codes; without an answer the code stands
          c.resource ? getEntry(token, c.resource).catch(() => undefined) : undefined,
          c.grant ? getGrant(token, c.grant).catch(() => undefined) : undefined,
        ]);
        return {
          connector: c,
          status: status.ok ? status.data : undefined,
          dead: dead.ok ? dead.data : undefined,
          offsets: offsets.ok ? offsets.data : undefined,
          resourceName: resource?.ok ? resource.data.name : undefined,
          grantName: grant?.ok ? grantName(grant.data) : undefined,
        };
      }),
    );
    return { details, throughput, flash, positionSchemas };
  });
  if (!loaded.ok || !loaded.value) return <ServiceUnavailable t={site} />;
  const { details, throughput, flash, positionSchemas } = loaded.value;
  const n = (v: number | undefined) =>
    v === undefined ? t.metricsUnavailable : formatNumber(v, locale);

  return (
    <>
      <h1>{t.connectorsTitle}</h1>
      <p className="lead">{t.connectorsLead}</p>
      <FlashMessage flash={flash} />
      <p className="inline-actions">
        <Link href="/console/connectors/new" className="button primary">
          {t.newConnector}
        </Link>
      </p>
      {details.length === 0 ? (
        <p className="empty-result">{t.noConnectors}</p>
      ) : (
        <ul className="steward-cards">
          {details.map(({ connector: c, status, dead, offsets, resourceName, grantName }) => {
            // what the status API says the connector does; without its answer, what was asked
            // of it is not what it does, so the badge says it does not know
            const state = status?.state ?? 'UNKNOWN';
            const failed = status?.tasks.filter((task) => task.lastError) ?? [];
            const lastError = failed.sort((a, b) =>
              String(b.lastErrorAt ?? '').localeCompare(String(a.lastErrorAt ?? '')),
            )[0];
            const figures = throughput.get(c.name);
            // offsets change only once the connector is stopped and no live worker holds a task
            const resettable = c.state === 'stopped' && (status?.tasks.length ?? 0) === 0;
            return (
              <li key={c.name} aria-labelledby={`c-${c.name}`}>
                <h2 id={`c-${c.name}`}>
                  <span className="steward-code">{c.name}</span>{' '}
                  <span className={`badge steward-state-${state}`}>
                    {t.connectorState[state] ?? state}
                  </span>
                </h2>
                <dl className="steward-facts">
                  <dt>{t.connectorType}</dt>
                  <dd>
                    {t.connectorKind[c.kind] ?? c.kind} · {c.type}
                  </dd>
                  {c.resource ? (
                    <>
                      <dt>{t.connectorResource}</dt>
                      <dd>
                        {resourceName ?? null}{' '}
                        <span className={resourceName ? 'hint steward-code' : 'steward-code'}>
                          {c.resource}
                        </span>
                      </dd>
                    </>
                  ) : null}
                  {c.grant ? (
                    <>
                      <dt>{t.connectorGrant}</dt>
                      <dd>{grantName ?? <span className="steward-code">{c.grant}</span>}</dd>
                    </>
                  ) : null}
                  <dt>{t.offsets}</dt>
                  <dd>
                    {offsets ? (
                      <OffsetsText
                        offsets={offsets}
                        source={{ type: c.type, positionSchema: positionSchemas.get(c.type) }}
                        t={t}
                      />
                    ) : (
                      t.metricsUnavailable
                    )}
                  </dd>
                  <dt>{t.lastError}</dt>
                  <dd>
                    {lastError?.lastError
                      ? `${lastError.lastError}（${formatDateTime(lastError.lastErrorAt)}）`
                      : t.noError}
                  </dd>
                </dl>
                <ul className="steward-figures" aria-label={t.connectorsTitle}>
                  {/* a source only reads in (into the exchange), a sink only writes out: the
                      other counter of each is always 0 and says nothing */}
                  {c.kind === 'source' ? (
                    <li>
                      <strong>{n(figures?.recordsIn)}</strong>
                      {t.recordsIn}
                    </li>
                  ) : (
                    <li>
                      <strong>{n(figures?.recordsOut)}</strong>
                      {t.recordsOut}
                    </li>
                  )}
                  <li>
                    <strong>{n(dead?.total ?? figures?.deadLetters)}</strong>
                    {t.deadLetters}
                  </li>
                  {c.kind === 'sink' ? (
                    <li>
                      <strong>{n(figures?.lag)}</strong>
                      {t.lag}
                    </li>
                  ) : null}
                </ul>
                {dead && dead.items.length > 0 ? (
                  <details>
                    <summary>
                      {t.latestDeadLetters}（{dead.items.length}）
                    </summary>
                    <table className="console-table">
                      <thead>
                        <tr>
                          <th scope="col">{t.deadLetterAt}</th>
                          <th scope="col">{t.deadLetterReason}</th>
                          <th scope="col">{t.deadLetterContext}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {dead.items.map((d) => (
                          <tr key={`${d.partition}-${d.offset}`}>
                            <th scope="row">{formatDateTime(d.at)}</th>
                            <td>{d.reason ?? '—'}</td>
                            <td className="steward-code">
                              {Object.entries(d.context)
                                .map(([k, v]) => `${k}=${v}`)
                                .join(' ') || `#${d.offset}`}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </details>
                ) : (
                  <p className="hint">{t.noDeadLetters}</p>
                )}
                <div className="steward-connector-actions">
                  <form method="post" action="/console/connectors/action">
                    <input type="hidden" name="name" value={c.name} />
                    {c.state === 'running' ? (
                      <button type="submit" name="op" value="pause" className="button small">
                        {t.pause}
                        <span className="visually-hidden">：{c.name}</span>
                      </button>
                    ) : (
                      <button
                        type="submit"
                        name="op"
                        value="resume"
                        className="button small primary"
                      >
                        {t.resume}
                        <span className="visually-hidden">：{c.name}</span>
                      </button>
                    )}{' '}
                    {c.state !== 'stopped' ? (
                      <>
                        <button type="submit" name="op" value="stop" className="button small">
                          {t.stop}
                          <span className="visually-hidden">：{c.name}</span>
                        </button>{' '}
                        <button type="submit" name="op" value="restart" className="button small">
                          {t.restart}
                          <span className="visually-hidden">：{c.name}</span>
                        </button>
                      </>
                    ) : null}
                  </form>
                  <Link href={`/console/connectors/${c.name}/config`} className="button small">
                    {t.editConfig}
                    <span className="visually-hidden">：{c.name}</span>
                  </Link>
                  {c.kind === 'sink' ? (
                    <ConfirmedAction
                      action="/console/connectors/action"
                      op="initial-load"
                      fields={{ name: c.name }}
                      label={t.initialLoad}
                      question={t.initialLoadQuestion(c.name)}
                      confirm={t.initialLoadConfirm}
                      subject={c.name}
                    />
                  ) : null}
                  {resettable ? (
                    <ConfirmedAction
                      action="/console/connectors/action"
                      op="reset"
                      fields={{ name: c.name }}
                      label={t.resetOffsets}
                      question={t.resetQuestion(c.name)}
                      confirm={t.resetConfirm}
                      subject={c.name}
                    />
                  ) : null}
                  <ConfirmedAction
                    action="/console/connectors/action"
                    op="delete"
                    fields={{ name: c.name }}
                    label={t.deleteConnector}
                    question={t.deleteQuestion(c.name)}
                    confirm={t.deleteConfirm}
                    subject={c.name}
                    danger
                  />
                </div>
                {c.state === 'stopped' && !resettable ? (
                  <p className="hint">{t.resetWaiting}</p>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

/**
 * Where the connector resumes, in words: a source's position (its stored JSON kept under
 * 原始位点 for operators, who set positions in that shape), a sink's partitions.
 */
function OffsetsText({
  offsets,
  source,
  t,
}: {
  offsets: ConnectorOffsets;
  source: { type: string; positionSchema?: object };
  t: ReturnType<typeof stewardText>;
}) {
  const lines = offsetsText(offsets, t, source);
  const raw =
    offsets.kind === 'source' && offsets.position !== null && offsets.position !== undefined
      ? JSON.stringify(offsets.position)
      : undefined;
  return (
    <>
      {lines.length === 1 ? (
        <span className="steward-position">{lines[0]}</span>
      ) : (
        <ul className="steward-offsets">
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {raw ? (
        <details className="steward-raw-position">
          <summary>{t.rawPosition}</summary>
          <code className="steward-code">{raw}</code>
        </details>
      ) : null}
    </>
  );
}
