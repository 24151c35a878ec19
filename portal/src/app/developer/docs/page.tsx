import type { Metadata } from 'next';
import Link from 'next/link';
import { ApiParametersTable } from '../../../components/ApiParametersTable.tsx';
import { CopyButton } from '../../../components/CopyButton.tsx';
import { searchResources } from '../../../lib/api/catalog.ts';
import { whenAvailable } from '../../../lib/api/errors.ts';
import { openDataDocs } from '../../../lib/developerDocuments.ts';
import { browseState } from '../../../lib/emptySearch.ts';
import { getPrefs } from '../../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getPrefs();
  return { title: t.developer.docsTitle };
}

/** 接口文档: the open-data operations, rendered on the server from schemas/openapi. */
export default async function DeveloperDocsPage() {
  // the examples name a real 无条件开放 dataset, so they can be run as they are
  const newest = await whenAvailable(() =>
    searchResources({ ...browseState({ openType: ['open'] }), pageSize: 1, sort: 'recent' }),
  );
  const example = newest.ok ? newest.value.items[0] : undefined;
  const [{ t }, docs] = await Promise.all([getPrefs(), openDataDocs(example?.code)]);
  return (
    <div className="container section">
      <h1>{t.developer.docsTitle}</h1>
      <p className="lead">{t.developer.docsLead}</p>
      {!docs ? (
        <p className="notice">{t.developer.docsUnavailable}</p>
      ) : (
        <>
          <p className="notice">{t.developer.docsAuth(docs.apiKeyHeader)}</p>
          {example ? (
            <p>
              {t.developer.docsExampleDataset}
              <Link href={`/datasets/${example.code}`} lang="zh-CN">
                {example.name}
              </Link>
              （<code>{example.code}</code>）
            </p>
          ) : null}
          <nav aria-label={t.developer.docsTitle} className="docs-toc">
            <ul>
              {docs.operations.map((op) => (
                <li key={op.id}>
                  <a href={`#${op.id}`}>
                    <span className="http-method">{op.method}</span> <code>{op.path}</code>
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          {docs.operations.map((op) => (
            <section
              key={op.id}
              id={op.id}
              className="api-operation"
              aria-labelledby={`${op.id}-title`}
            >
              <h2 id={`${op.id}-title`} className="docs-op-title">
                <span className="http-method">{op.method}</span> <code>{op.path}</code>
              </h2>
              <p>
                {op.summary}{' '}
                <span
                  className={
                    op.auth === 'anonymous' ? 'badge badge-open-open' : 'badge badge-plain'
                  }
                >
                  {op.auth === 'anonymous'
                    ? t.developer.docsAnonymous
                    : op.auth === 'apiKey'
                      ? t.developer.docsKeyNeeded
                      : t.developer.docsBearer}
                </span>
              </p>
              {op.description ? <p className="note">{op.description}</p> : null}
              {op.parameters.length ? (
                <ApiParametersTable
                  parameters={op.parameters}
                  t={t}
                  caption={<caption>{t.developer.docsParams}</caption>}
                />
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
                        <td>{r.description || '—'}</td>
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
          ))}
        </>
      )}
    </div>
  );
}
