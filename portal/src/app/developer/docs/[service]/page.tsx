import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ApiOperation } from '../../../../components/developer/ApiOperation.tsx';
import { groupByTag } from '../../../../lib/apiDocs.ts';
import { OpenApiDescription } from '../../../../components/developer/OpenApiDescription.tsx';
import {
  isDocService,
  openDataDescriptionUrl,
  serviceDocs,
} from '../../../../lib/developerDocuments.ts';
import { getPrefs } from '../../../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ service: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { service } = await params;
  // as in the page, so that the 404's title is 页面不存在 (not-found.tsx)
  if (!isDocService(service)) notFound();
  const { t } = await getPrefs();
  const docs = await serviceDocs(service, t.developer.code);
  return { title: docs ? `${docs.title} · ${t.developer.docsTitle}` : t.developer.docsTitle };
}

/**
 * One service's whole API documentation (exchange-api, catalog, connectors), grouped by tag in
 * the order the spec first uses them, with a table of contents. Unknown services are 404s.
 */
export default async function ServiceDocsPage({ params }: Props) {
  const { service } = await params;
  if (!isDocService(service)) notFound();
  const { t, locale } = await getPrefs();
  const docs = await serviceDocs(service, t.developer.code);
  if (!docs) {
    return (
      <div className="container section">
        <h1>{t.developer.docsTitle}</h1>
        <p className="notice">{t.developer.docsUnavailable}</p>
      </div>
    );
  }
  const groups = groupByTag(docs.operations);
  const groupId = (index: number) => `tag-${index + 1}`;
  return (
    <div className="container section">
      <nav aria-label={t.dataset.breadcrumb} className="breadcrumb">
        <ol>
          <li>
            <Link href="/developer">{t.nav.developer}</Link>
          </li>
          <li>
            <Link href="/developer/docs">{t.developer.docsTitle}</Link>
          </li>
          <li>
            <span aria-current="page">{docs.title}</span>
          </li>
        </ol>
      </nav>
      <h1>{docs.title}</h1>
      {docs.description ? <p className="lead">{docs.description}</p> : null}
      <p>
        <code>{docs.baseUrl}</code> · {t.developer.docsOperationCount(docs.operations.length)}
      </p>
      {service === 'exchange-api' ? (
        <OpenApiDescription url={openDataDescriptionUrl()} t={t} />
      ) : null}
      <nav aria-labelledby="contents-title" className="docs-contents">
        <h2 id="contents-title">{t.developer.docsContents}</h2>
        <ul>
          {groups.map((group, index) => (
            <li key={group.tag}>
              <a href={`#${groupId(index)}`}>{group.tag}</a>
              <ul>
                {group.operations.map((op) => (
                  <li key={op.id}>
                    <a href={`#${op.id}`}>
                      <span className="http-method">{op.method}</span> <code>{op.path}</code>
                    </a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </nav>
      {groups.map((group, index) => (
        <section
          key={group.tag}
          id={groupId(index)}
          className="docs-tag"
          aria-labelledby={`${groupId(index)}-title`}
        >
          <h2 id={`${groupId(index)}-title`}>{group.tag}</h2>
          {group.operations.map((op) => (
            <ApiOperation key={`${op.method}-${op.path}`} op={op} t={t} locale={locale} level={3} />
          ))}
        </section>
      ))}
    </div>
  );
}
