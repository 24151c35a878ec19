import type { Metadata } from 'next';
import { CopyButton } from '../../../components/CopyButton.tsx';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import { ConfirmedAction } from '../../../components/console/ConfirmedAction.tsx';
import { RegionTree } from '../../../components/console/authority/RegionTree.tsx';
import { takeSecret } from '../../../lib/auth/revealOnce.ts';
import { organisationOverview } from '../../../lib/console/authority/organisationApi.ts';
import { readFlash } from '../../../lib/console/flash.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { authorityText } from '../../../lib/i18n/console/authority.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import { queryParam } from '../../../lib/queryParam.ts';
import './organisation.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: authorityText(locale).organisationTitle };
}

/**
 * 组织机构 (platform admin): the region tree, departments with their details (editable),
 * statutory functions per department, and department systems — register (the secret shown
 * once, here, after the redirect), rotate, disable. Every form posts to ./action.
 */
export default async function OrganisationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const gate = await requireStaff('/console/organisation', 'organisation');
  if (!gate.ok) return gate.page;
  const { staff } = gate;
  const { locale } = await getPrefs();
  const a = authorityText(locale);
  const [flash, data] = await Promise.all([readFlash(params.flash), organisationOverview(staff)]);
  const secret = takeSecret(queryParam(params.reveal), staff.session.sub);
  const editing = data.departments.find((d) => d.code === queryParam(params.edit));
  const departmentName = new Map(data.departments.map((d) => [d.code, d.name]));
  const functionsBy = new Map<string, typeof data.functions>();
  for (const f of data.functions) {
    functionsBy.set(f.departmentCode, [...(functionsBy.get(f.departmentCode) ?? []), f]);
  }

  return (
    <div className="organisation">
      <h1>{a.organisationTitle}</h1>
      <p className="lead">{a.organisationLead}</p>
      <FlashMessage flash={flash} />
      {secret ? (
        <section className="notice organisation-secret" aria-labelledby="secret-title">
          <h2 id="secret-title">{a.secretTitle}</h2>
          <p>{a.secretText(secret.keyName)}</p>
          <p className="organisation-secret-value">
            <code data-secret>{secret.secret}</code>{' '}
            <CopyButton text={secret.secret} label={a.copy} done={a.copied} />
          </p>
        </section>
      ) : null}

      <nav className="organisation-toc" aria-label={a.organisationTitle}>
        <a href="#systems">{a.systemsTitle}</a>
        <a href="#departments">{a.departmentsTitle}</a>
        <a href="#functions">{a.functionsTitle}</a>
        <a href="#regions">{a.regionsTitle}</a>
      </nav>

      <section aria-labelledby="systems" className="organisation-section">
        <h2 id="systems">{a.systemsTitle}</h2>
        <p>{a.systemsLead}</p>
        {data.systems.length === 0 ? (
          <p>{a.noSystems}</p>
        ) : (
          <div className="table-scroll">
            <table className="console-table" data-table="systems">
              <thead>
                <tr>
                  <th scope="col">{a.systemName}</th>
                  <th scope="col">{a.clientId}</th>
                  <th scope="col">{a.department}</th>
                  <th scope="col">{a.systemStatus}</th>
                  <th scope="col">{a.createdAt}</th>
                  <th scope="col">{a.actions}</th>
                </tr>
              </thead>
              <tbody>
                {data.systems.map((s) => (
                  <tr key={s.clientId} data-client={s.clientId}>
                    <th scope="row">
                      {s.name}
                      {s.description ? (
                        <span className="organisation-note">{s.description}</span>
                      ) : null}
                    </th>
                    <td>
                      <code>{s.clientId}</code>
                    </td>
                    <td>{departmentName.get(s.departmentCode) ?? s.departmentCode}</td>
                    <td>
                      <span className={`organisation-status status-${s.status}`}>
                        {a.systemStatuses[s.status] ?? s.status}
                      </span>
                    </td>
                    <td>{formatDateTime(s.createdAt)}</td>
                    <td>
                      {s.status === 'active' ? (
                        <div className="organisation-actions">
                          <ConfirmedAction
                            action="/console/organisation/action"
                            op="rotate-system"
                            fields={{ clientId: s.clientId }}
                            label={a.rotate}
                            question={a.rotateQuestion(s.name)}
                            confirm={a.rotateConfirm}
                            subject={s.name}
                          />
                          <ConfirmedAction
                            action="/console/organisation/action"
                            op="disable-system"
                            fields={{ clientId: s.clientId }}
                            label={a.disable}
                            question={a.disableQuestion(s.name)}
                            confirm={a.disableConfirm}
                            subject={s.name}
                            danger
                          />
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
        <form
          method="post"
          action="/console/organisation/action"
          className="console-form organisation-register"
          aria-labelledby="register-title"
        >
          <h3 id="register-title">{a.registerTitle}</h3>
          <input type="hidden" name="op" value="register-system" />
          <label>
            {a.department}
            <select name="departmentCode" required defaultValue="">
              <option value="" disabled>
                —
              </option>
              {data.departments.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {a.systemName}
            <input name="name" required maxLength={200} />
          </label>
          <label>
            {a.clientId}
            <input
              name="clientId"
              pattern="[a-z0-9][a-z0-9\-]{2,99}"
              maxLength={100}
              aria-describedby="client-id-hint"
            />
            <span className="hint" id="client-id-hint">
              {a.clientIdHint}
            </span>
          </label>
          <label>
            {a.systemDescription}
            <textarea name="description" rows={2} maxLength={2000} />
          </label>
          <p>
            <button type="submit" className="button primary">
              {a.register}
            </button>
          </p>
        </form>
      </section>

      <section aria-labelledby="departments" className="organisation-section">
        <h2 id="departments">{a.departmentsTitle}</h2>
        {editing ? (
          <form
            method="post"
            action="/console/organisation/action"
            className="console-form organisation-edit"
            aria-labelledby="edit-title"
            id="edit"
          >
            <h3 id="edit-title">{a.editDepartmentTitle(editing.name)}</h3>
            <input type="hidden" name="op" value="update-department" />
            <input type="hidden" name="code" value={editing.code} />
            <label>
              {a.shortName}
              <input name="shortName" maxLength={100} defaultValue={editing.shortName ?? ''} />
            </label>
            <label>
              {a.contactName}
              <input name="contactName" maxLength={100} defaultValue={editing.contactName ?? ''} />
            </label>
            <label>
              {a.contactPhone}
              <input
                name="contactPhone"
                type="tel"
                maxLength={40}
                pattern="[0-9+() \-]*"
                defaultValue={editing.contactPhone ?? ''}
                aria-describedby="phone-hint"
              />
              <span className="hint" id="phone-hint">
                {a.contactPhoneHint}
              </span>
            </label>
            <label>
              {a.contactEmail}
              <input
                name="contactEmail"
                type="email"
                maxLength={200}
                defaultValue={editing.contactEmail ?? ''}
              />
            </label>
            <p className="inline-actions">
              <button type="submit" className="button primary">
                {a.save}
              </button>
              <a className="button" href="/console/organisation#departments">
                {a.cancel}
              </a>
            </p>
          </form>
        ) : null}
        <div className="table-scroll">
          <table className="console-table" data-table="departments">
            <thead>
              <tr>
                <th scope="col">{a.department}</th>
                <th scope="col">{a.departmentKind}</th>
                <th scope="col">{a.region}</th>
                <th scope="col">{a.creditCode}</th>
                <th scope="col">{a.contact}</th>
                <th scope="col">{a.actions}</th>
              </tr>
            </thead>
            <tbody>
              {data.departments.map((d) => (
                <tr key={d.code} data-department={d.code}>
                  <th scope="row">
                    {d.name}
                    <span className="organisation-note">
                      <code>{d.code}</code>
                      {d.shortName ? `（${d.shortName}）` : ''}
                    </span>
                  </th>
                  <td>{a.kindNames[d.kind] ?? d.kind}</td>
                  <td>{d.regionName}</td>
                  <td>
                    <code>{d.unifiedSocialCreditCode ?? '—'}</code>
                  </td>
                  <td>
                    {[d.contactName, d.contactPhone, d.contactEmail].filter(Boolean).join(' · ') ||
                      '—'}
                  </td>
                  <td>
                    <a href={`/console/organisation?edit=${encodeURIComponent(d.code)}#edit`}>
                      {a.edit}
                      <span className="visually-hidden">：{d.name}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="functions" className="organisation-section">
        <h2 id="functions">{a.functionsTitle}</h2>
        {data.departments.map((d) => {
          const list = functionsBy.get(d.code) ?? [];
          return (
            <details key={d.code} className="organisation-functions">
              <summary>
                {d.name}（{list.length}）
              </summary>
              {list.length === 0 ? (
                <p>{a.functionsNone}</p>
              ) : (
                <table className="console-table">
                  <caption className="visually-hidden">{a.functionsOf(d.name)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{a.functionCode}</th>
                      <th scope="col">{a.functionName}</th>
                      <th scope="col">{a.functionResources}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((f) => (
                      <tr key={f.code}>
                        <th scope="row">
                          <code>{f.code}</code>
                        </th>
                        <td>
                          {f.name}
                          {f.description ? (
                            <span className="organisation-note">{f.description}</span>
                          ) : null}
                        </td>
                        <td>{f.resourceCount}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </details>
          );
        })}
      </section>

      <section aria-labelledby="regions" className="organisation-section">
        <h2 id="regions">{a.regionsTitle}</h2>
        <RegionTree regions={data.regions} levels={a.levels} label={a.regionsTitle} />
      </section>
    </div>
  );
}
