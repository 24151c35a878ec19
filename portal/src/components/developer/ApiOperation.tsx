import type { AuthMode, DocOperation } from '../../lib/apiDocs.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import type { Messages } from '../../lib/i18n/messages.ts';
import { textIn } from '../../lib/i18n/textIn.ts';
import { ApiParametersTable } from '../ApiParametersTable.tsx';
import { CopyButton } from '../CopyButton.tsx';

function authLabel(mode: AuthMode, t: Messages): string {
  if (mode === 'anonymous') return t.developer.docsAnonymous;
  return mode === 'apiKey' ? t.developer.docsKeyNeeded : t.developer.docsBearer;
}

/**
 * One operation of the API documentation: method and path, summary, who may call and how,
 * parameters, request body fields, responses and a curl request. The section's id is the
 * operationId, so `#listPopularOpenResources` links to it.
 */
export function ApiOperation({
  op,
  t,
  locale,
  level,
}: {
  op: DocOperation;
  t: Messages;
  locale: Locale;
  /** the heading level of the operation's title on its page */
  level: 2 | 3;
}) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section id={op.id} className="api-operation" aria-labelledby={`${op.id}-title`}>
      <Heading id={`${op.id}-title`} className="docs-op-title">
        <span className="http-method">{op.method}</span> <code>{op.path}</code>
      </Heading>
      <p>
        {textIn(op.summary, locale)}{' '}
        {op.authModes.map((mode) => (
          <span
            key={mode}
            className={mode === 'anonymous' ? 'badge badge-open-open' : 'badge badge-plain'}
          >
            {authLabel(mode, t)}
          </span>
        ))}
      </p>
      {op.roles ? <p className="note">{t.labelled(t.developer.docsRoles, op.roles)}</p> : null}
      {op.description ? <p className="note">{textIn(op.description, locale)}</p> : null}
      {op.parameters.length ? (
        <ApiParametersTable
          parameters={op.parameters}
          t={t}
          locale={locale}
          caption={<caption>{t.developer.docsParams}</caption>}
        />
      ) : null}
      {op.requestBody ? (
        <div className="table-scroll">
          <table className="data-table compact">
            <caption>
              {t.developer.docsBody}（<code>{op.requestBody.mediaType}</code>，
              {op.requestBody.required
                ? t.developer.docsBodyRequired
                : t.developer.docsBodyOptional}
              ）
            </caption>
            {op.requestBody.fields.length ? (
              <>
                <thead>
                  <tr>
                    <th scope="col">{t.dataset.apiParamName}</th>
                    <th scope="col">{t.developer.docsFieldType}</th>
                    <th scope="col">{t.dataset.apiParamRequired}</th>
                    <th scope="col">{t.dataset.apiParamDescription}</th>
                  </tr>
                </thead>
                <tbody>
                  {op.requestBody.fields.map((field) => (
                    <tr key={field.name}>
                      <th scope="row">
                        <code>{field.name}</code>
                      </th>
                      <td>
                        <code>{field.type}</code>
                      </td>
                      <td>{field.required ? t.dataset.yes : t.dataset.no}</td>
                      <td>{textIn(field.description, locale) || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </>
            ) : (
              <tbody>
                <tr>
                  <td>{textIn(op.requestBody.description, locale) || '—'}</td>
                </tr>
              </tbody>
            )}
          </table>
        </div>
      ) : null}
      <div className="table-scroll">
        <table className="data-table compact">
          <caption>{t.developer.docsResponses}</caption>
          <thead>
            <tr>
              <th scope="col">{t.developer.docsStatus}</th>
              <th scope="col">{t.developer.docsMeaning}</th>
            </tr>
          </thead>
          <tbody>
            {op.responses.map((r) => (
              <tr key={r.status}>
                <th scope="row">
                  <code>{r.status}</code>
                </th>
                <td>{textIn(r.description, locale) || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="code-sample">
        <div className="code-head">
          <span>{t.developer.docsExample}</span>
          <CopyButton text={op.example} label={t.dataset.copy} done={t.dataset.copied} />
        </div>
        <pre tabIndex={0}>
          <code>{op.example}</code>
        </pre>
      </div>
    </section>
  );
}
