import type { Metadata } from 'next';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import { ServiceUnavailable } from '../../../components/ServiceUnavailable.tsx';
import { whenAvailable } from '../../../lib/api/errors.ts';
import { getEntry } from '../../../lib/console/approver/api.ts';
import { getGrant } from '../../../lib/console/consumer/api.ts';
import { grantBasis } from '../../../lib/console/consumer/objectionForm.ts';
import { readFlash } from '../../../lib/console/flash.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import {
  connectorStatus,
  connectorThroughput,
  latestDeadLetters,
  listConnectors,
} from '../../../lib/console/steward/connectors.ts';
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
 * much it moved (records in/out, lag), its dead letters with reasons, and pause / resume.
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
    const [list, throughput, flash] = await Promise.all([
      listConnectors(token),
      connectorThroughput(),
      readFlash(params.flash),
    ]);
    if (!list.ok) return undefined;
    const details = await Promise.all(
      list.data.map(async (c) => {
        const [status, dead, resource, grant] = await Promise.all([
          connectorStatus(token, c.name),
          latestDeadLetters(token, c.name),
          // names for the codes; without an answer the code stands
          c.resource ? getEntry(token, c.resource).catch(() => undefined) : undefined,
          c.grant ? getGrant(token, c.grant).catch(() => undefined) : undefined,
        ]);
        return {
          connector: c,
          status: status.ok ? status.data : undefined,
          dead: dead.ok ? dead.data : undefined,
          resourceName: resource?.ok ? resource.data.name : undefined,
          grantName: grant?.ok ? grantName(grant.data) : undefined,
        };
      }),
    );
    return { details, throughput, flash };
  });
  if (!loaded.ok || !loaded.value) return <ServiceUnavailable t={site} />;
  const { details, throughput, flash } = loaded.value;
  const n = (v: number | undefined) =>
    v === undefined ? t.metricsUnavailable : formatNumber(v, locale);

  return (
    <>
      <h1>{t.connectorsTitle}</h1>
      <p className="lead">{t.connectorsLead}</p>
      <FlashMessage flash={flash} />
      {details.length === 0 ? (
        <p className="empty-result">{t.noConnectors}</p>
      ) : (
        <ul className="steward-cards">
          {details.map(({ connector: c, status, dead, resourceName, grantName }) => {
            const state =
              status?.state ??
              (c.state === 'paused' ? 'PAUSED' : c.state === 'stopped' ? 'STOPPED' : 'UNASSIGNED');
            const failed = status?.tasks.filter((task) => task.lastError) ?? [];
            const lastError = failed.sort((a, b) =>
              String(b.lastErrorAt ?? '').localeCompare(String(a.lastErrorAt ?? '')),
            )[0];
            const figures = throughput.get(c.name);
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
                  <dt>{t.lastError}</dt>
                  <dd>
                    {lastError?.lastError
                      ? `${lastError.lastError}（${formatDateTime(lastError.lastErrorAt)}）`
                      : t.noError}
                  </dd>
                </dl>
                <ul className="steward-figures" aria-label={t.connectorsTitle}>
                  <li>
                    <strong>{n(figures?.recordsIn)}</strong>
                    {t.recordsIn}
                  </li>
                  <li>
                    <strong>{n(figures?.recordsOut)}</strong>
                    {t.recordsOut}
                  </li>
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
                <form
                  method="post"
                  action="/console/connectors/action"
                  className="steward-inline-form"
                >
                  <input type="hidden" name="name" value={c.name} />
                  {c.state === 'running' ? (
                    <button type="submit" name="op" value="pause" className="button">
                      {t.pause}
                    </button>
                  ) : (
                    <button type="submit" name="op" value="resume" className="button primary">
                      {t.resume}
                    </button>
                  )}
                </form>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
