import type { Metadata } from 'next';
import Link from 'next/link';
import { ApiOperation } from '../../../components/developer/ApiOperation.tsx';
import { FilterSyntax } from '../../../components/developer/FilterSyntax.tsx';
import { searchResources } from '../../../lib/api/catalog.ts';
import { readPreviewWindow } from '../../../lib/api/openData.ts';
import { whenAvailable } from '../../../lib/api/errors.ts';
import { OpenApiDescription } from '../../../components/developer/OpenApiDescription.tsx';
import {
  openDataDescriptionUrl,
  openDataDocs,
  serviceIndex,
} from '../../../lib/developerDocuments.ts';
import { browseState } from '../../../lib/emptySearch.ts';
import { EXAMPLE_CANDIDATES, exampleDataset } from '../../../lib/exampleDataset.ts';
import { getPrefs } from '../../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getPrefs();
  return { title: t.developer.docsTitle };
}

/**
 * 接口文档: the open-data operations first (what outside developers use), then an index of every
 * service's full documentation (/developer/docs/[service]), all rendered on the server from
 * schemas/openapi.
 */
export default async function DeveloperDocsPage() {
  // the examples name a real 无条件开放 dataset with records, so they can be run as they are
  const newest = await whenAvailable(() =>
    searchResources({
      ...browseState({ openType: ['open'] }),
      pageSize: EXAMPLE_CANDIDATES,
      sort: 'recent',
    }),
  );
  const example = newest.ok
    ? await exampleDataset(newest.value.items, async (code) => {
        const preview = await readPreviewWindow(code, 0, 1);
        return preview.kind === 'ok' && preview.data.records.length > 0;
      })
    : undefined;
  const { t, locale } = await getPrefs();
  const [docs, services] = await Promise.all([
    openDataDocs(t.developer.code, example?.code),
    serviceIndex(t.developer.code),
  ]);
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
          <OpenApiDescription url={openDataDescriptionUrl()} t={t} />
          <nav aria-label={t.developer.docsOpenData} className="docs-toc">
            <ul>
              {docs.operations.map((op) => (
                <li key={op.id}>
                  <a href={`#${op.id}`}>
                    <span className="http-method">{op.method}</span> <code>{op.path}</code>
                  </a>
                </li>
              ))}
              <li>
                <a href="#filter">{t.developer.filterTitle}</a>
              </li>
              <li>
                <a href="#services">{t.developer.docsServices}</a>
              </li>
            </ul>
          </nav>
          {docs.operations.map((op) => (
            <ApiOperation key={op.id} op={op} t={t} locale={locale} level={2} />
          ))}
          <FilterSyntax t={t} />
        </>
      )}
      {services ? (
        <section id="services" className="api-operation" aria-labelledby="services-title">
          <h2 id="services-title">{t.developer.docsServices}</h2>
          <p>{t.developer.docsServicesLead}</p>
          <ul className="docs-services">
            {services.map((service) => (
              <li key={service.id}>
                <Link href={`/developer/docs/${service.id}`}>{service.title}</Link>{' '}
                <span className="note">{t.developer.docsOperationCount(service.count)}</span>
                {service.description ? <p className="note">{service.description}</p> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
