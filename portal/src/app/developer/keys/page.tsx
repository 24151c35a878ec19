import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import { CopyButton } from '../../../components/CopyButton.tsx';
import { ConfirmStep } from '../../../components/developer/ConfirmStep.tsx';
import {
  NotADeveloper,
  SessionProblem,
  SignInPrompt,
} from '../../../components/developer/SignInPrompt.tsx';
import { UsageChart } from '../../../components/developer/UsageChart.tsx';
import { ServiceUnavailable } from '../../../components/ServiceUnavailable.tsx';
import { apiKeyUsage, listMyApiKeys } from '../../../lib/api/apiKeys.ts';
import { listMyApplications } from '../../../lib/api/openApplications.ts';
import { whenAvailable } from '../../../lib/api/errors.ts';
import { takeSecret } from '../../../lib/auth/revealOnce.ts';
import { readFlash } from '../../../lib/console/flash.ts';
import { currentSession } from '../../../lib/auth/currentSession.ts';
import { offeredApiKeyActions } from '../../../lib/developerDocuments.ts';
import { formatDate, formatDateTime, formatNumber } from '../../../lib/format.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import { queryParam } from '../../../lib/queryParam.ts';

export const dynamic = 'force-dynamic';

const SELF = '/developer/keys';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getPrefs();
  return { title: t.developer.keysTitle };
}

/**
 * 我的 API key: the developer's keys with their usage, a form to create one, rotate and revoke
 * (after a confirmation step, so it works without JavaScript). A new secret is shown once, on
 * the page the create/rotate POST redirects to, and is gone on reload.
 */
export default async function ApiKeysPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ t, locale }, session, params, actions] = await Promise.all([
    getPrefs(),
    currentSession(),
    searchParams,
    offeredApiKeyActions(),
  ]);
  if (session.kind === 'signed-out') return <SignInPrompt t={t} next={SELF} />;
  if (session.kind === 'invalid') return <SessionProblem t={t} next={SELF} />;
  if (session.kind === 'renew') {
    const back = new URLSearchParams(
      Object.entries(params).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
    ).toString();
    redirect(`/auth/renew?next=${encodeURIComponent(back ? `${SELF}?${back}` : SELF)}`);
  }
  const { accessToken, sub } = session.session;
  const loaded = await whenAvailable(async () => {
    const keys = await listMyApiKeys(accessToken);
    if (keys.kind !== 'ok') return keys;
    const [usage, applications] = await Promise.all([
      Promise.all(keys.data.map((key) => apiKeyUsage(accessToken, key.id))),
      listMyApplications(accessToken),
    ]);
    // a key claimed from an approved 开放申请 is limited to its dataset, until its validity ends
    const claimedBy = new Map(
      (applications.kind === 'ok' ? applications.data : []).flatMap((a) =>
        a.apiKeyId ? [[a.apiKeyId, a] as const] : [],
      ),
    );
    return {
      kind: 'ok' as const,
      data: keys.data.map((key, i) => ({
        key,
        usage: usage[i]!,
        application: claimedBy.get(key.id),
      })),
    };
  });
  if (!loaded.ok) return <ServiceUnavailable t={t} />;
  if (loaded.value.kind !== 'ok') return <NotADeveloper t={t} next={SELF} answer={loaded.value} />;
  const keys = loaded.value.data;
  const revealed = takeSecret(queryParam(params.reveal), sub);
  const confirming = keys.find(
    (k) => k.key.id === queryParam(params.confirm) && k.key.status === 'active',
  );
  // sealed by the key action: a link cannot make this page say anything
  const flash = await readFlash(params.flash);
  const error = queryParam(params.error);
  const errorText =
    error === 'name'
      ? t.developer.errorName
      : error === 'conflict'
        ? t.developer.errorConflict
        : error
          ? t.developer.errorFailed
          : undefined;
  const actionLabel = (action: string) => t.developer.action[action] ?? action;

  return (
    <div className="container section">
      <p className="breadcrumb">
        <Link href="/developer">{t.developer.title}</Link>
      </p>
      <h1>{t.developer.keysTitle}</h1>
      <p className="lead">{t.developer.keysLead}</p>

      {revealed ? (
        <section className="secret-box" aria-labelledby="secret-title" role="status">
          <h2 id="secret-title">{t.developer.newSecretTitle}</h2>
          <p>
            {revealed.kind === 'created'
              ? t.developer.newSecretCreated(revealed.keyName)
              : t.developer.newSecretRotated(revealed.keyName)}
          </p>
          <div className="code-sample">
            <div className="code-head">
              <span>API key</span>
              <CopyButton
                text={revealed.secret}
                label={t.developer.copy}
                done={t.developer.copied}
              />
            </div>
            <pre tabIndex={0}>
              <code id="new-key-secret">{revealed.secret}</code>
            </pre>
          </div>
          <p className="note">{t.developer.newSecretHint}</p>
        </section>
      ) : null}
      <FlashMessage flash={flash} />
      {errorText ? (
        <p className="notice notice-error" role="alert">
          {errorText}
        </p>
      ) : null}

      {confirming ? (
        <ConfirmStep
          t={t}
          title={t.developer.revokeConfirmTitle(confirming.key.name)}
          text={t.developer.revokeConfirmText}
          action="/developer/keys/action"
          fields={{ op: 'revoke', id: confirming.key.id, name: confirming.key.name }}
          button={t.developer.revokeConfirmButton}
          back={SELF}
        />
      ) : null}

      <section aria-labelledby="create-title" className="section">
        <h2 id="create-title">{t.developer.createTitle}</h2>
        <form method="post" action="/developer/keys/action" className="key-form">
          <input type="hidden" name="op" value="create" />
          <label htmlFor="key-name">{t.developer.nameLabel}</label>
          <input id="key-name" name="name" required maxLength={100} autoComplete="off" />
          <fieldset>
            <legend>{t.developer.actionsLabel}</legend>
            {actions.map((action) => (
              <label key={action} className="check">
                <input
                  type="checkbox"
                  name="actions"
                  value={action}
                  defaultChecked={action === 'read'}
                />{' '}
                {actionLabel(action)}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="button primary">
            {t.developer.createButton}
          </button>
        </form>
      </section>

      <section aria-labelledby="list-title" className="section">
        <h2 id="list-title">{t.developer.listTitle}</h2>
        {keys.length === 0 ? (
          <p>{t.developer.none}</p>
        ) : (
          <div className="table-scroll">
            {/* named by the section's heading, not by a caption that would say it twice; on a
                phone each row reads as a card, each cell named by its data-label */}
            <table className="data-table keys-table" aria-labelledby="list-title">
              <thead>
                <tr>
                  <th scope="col">{t.developer.colName}</th>
                  <th scope="col">{t.developer.colActions}</th>
                  <th scope="col">{t.developer.colLimits}</th>
                  <th scope="col">{t.developer.colStatus}</th>
                  <th scope="col">{t.developer.colValidUntil}</th>
                  <th scope="col">{t.developer.colCreated}</th>
                  <th scope="col">{t.developer.colLastUsed}</th>
                  <th scope="col">{t.developer.colManage}</th>
                </tr>
              </thead>
              <tbody>
                {keys.map(({ key, application }) => (
                  <tr key={key.id} data-key-id={key.keyId}>
                    <th scope="row">
                      {key.name}
                      <span className="key-meta">
                        {t.developer.colKeyId} <code>{key.keyId}</code>
                      </span>
                      {application ? (
                        <span className="key-meta">
                          {t.developer.onlyDataset}
                          <Link
                            href={`/datasets/${encodeURIComponent(application.resourceCode)}`}
                            lang="zh-CN"
                          >
                            {application.resourceName}
                          </Link>
                        </span>
                      ) : null}
                    </th>
                    <td data-label={t.developer.colActions}>
                      {t.list(key.actions.map(actionLabel))}
                    </td>
                    <td data-label={t.developer.colLimits}>
                      {t.developer.limits(
                        formatNumber(key.rateLimitPerSecond, locale),
                        formatNumber(key.dailyQuota, locale),
                      )}
                    </td>
                    <td data-label={t.developer.colStatus}>
                      {key.status === 'active' ? (
                        <span className="badge badge-open-open">{t.developer.statusActive}</span>
                      ) : (
                        <span className="badge badge-plain">{t.developer.statusRevoked}</span>
                      )}
                    </td>
                    <td data-label={t.developer.colValidUntil}>
                      {application?.validUntil
                        ? formatDate(application.validUntil)
                        : t.developer.noExpiry}
                    </td>
                    <td data-label={t.developer.colCreated}>{formatDateTime(key.createdAt)}</td>
                    <td data-label={t.developer.colLastUsed}>
                      {key.lastUsedAt ? formatDateTime(key.lastUsedAt) : t.developer.never}
                    </td>
                    <td data-label={t.developer.colManage}>
                      {key.status === 'active' ? (
                        <div className="inline-actions">
                          <form method="post" action="/developer/keys/action">
                            <input type="hidden" name="op" value="rotate" />
                            <input type="hidden" name="id" value={key.id} />
                            <button
                              type="submit"
                              className="button small"
                              aria-label={t.labelled(t.developer.rotate, key.name)}
                            >
                              {t.developer.rotate}
                            </button>
                          </form>
                          <Link
                            href={`${SELF}?confirm=${key.id}#confirm`}
                            className="button small danger"
                            aria-label={t.labelled(t.developer.revoke, key.name)}
                          >
                            {t.developer.revoke}
                          </Link>
                        </div>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {keys.length ? (
        <section aria-labelledby="usage-title" className="section">
          <h2 id="usage-title">{t.developer.usageSection}</h2>
          {keys.map(({ key, usage }) => (
            <UsageChart
              key={key.id}
              id={`usage-${key.keyId}`}
              days={usage}
              keyName={key.name}
              t={t}
              locale={locale}
            />
          ))}
        </section>
      ) : null}
    </div>
  );
}
