import type { ApiExample } from '../../lib/apiExamples.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import type { Messages } from '../../lib/i18n/messages.ts';
import { ApiParametersTable } from '../ApiParametersTable.tsx';
import { CopyButton } from '../CopyButton.tsx';
import { OpenApiDescription } from '../developer/OpenApiDescription.tsx';
import { textIn } from '../../lib/i18n/textIn.ts';

function CodeSample({ title, code, t }: { title: string; code: string; t: Messages }) {
  return (
    <div className="code-sample">
      <div className="code-head">
        <span>{title}</span>
        <CopyButton text={code} label={t.dataset.copy} done={t.dataset.copied} />
      </div>
      <pre tabIndex={0}>
        <code>{code}</code>
      </pre>
    </div>
  );
}

/** 接口调用: each open-data operation with its parameters and ready-to-copy requests. */
export function ApiTab({
  examples,
  t,
  locale,
  descriptionUrl,
}: {
  examples: ApiExample[] | undefined;
  t: Messages;
  locale: Locale;
  /** the open-data API's OpenAPI description, which the TypeScript examples' types come from */
  descriptionUrl: string;
}) {
  if (!examples) return <p className="notice">{t.dataset.apiSpecUnavailable}</p>;
  return (
    <div className="api-tab">
      <p>{t.dataset.apiIntro}</p>
      {examples.map((example) => (
        <section
          key={example.operationId}
          className="api-operation"
          aria-labelledby={`op-${example.operationId}`}
        >
          <h3 id={`op-${example.operationId}`}>
            <span className="http-method">{example.method}</span> <code>{example.path}</code>
          </h3>
          <p>
            {textIn(example.summary, locale)}{' '}
            <span className={example.anonymous ? 'badge badge-open-open' : 'badge badge-plain'}>
              {example.anonymous ? t.dataset.apiAnonymous : t.dataset.apiKeyNeeded}
            </span>
          </p>
          {example.parameters.length > 0 ? (
            <ApiParametersTable
              parameters={example.parameters}
              t={t}
              locale={locale}
              caption={
                <caption className="visually-hidden">
                  {t.labelled(t.dataset.apiParams, example.path)}
                </caption>
              }
            />
          ) : null}
          <CodeSample title={t.dataset.apiCurl} code={example.curl} t={t} />
          <CodeSample title={t.dataset.apiTs} code={example.typescript} t={t} />
        </section>
      ))}
      <OpenApiDescription url={descriptionUrl} t={t} />
    </div>
  );
}
