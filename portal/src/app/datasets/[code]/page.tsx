import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { OpenBadge, PlainBadge, SharingBadge } from '../../../components/Badges.tsx';
import { Chart } from '../../../components/Chart.tsx';
import { ServiceUnavailable } from '../../../components/ServiceUnavailable.tsx';
import { ApiTab } from '../../../components/dataset/ApiTab.tsx';
import { ApplyForm, type ApplyError } from '../../../components/dataset/ApplyForm.tsx';
import { HarvestedNotice } from '../../../components/dataset/HarvestedNotice.tsx';
import { Downloads } from '../../../components/dataset/Downloads.tsx';
import { HistoryList } from '../../../components/dataset/HistoryList.tsx';
import { ItemsTable } from '../../../components/dataset/ItemsTable.tsx';
import { MetadataTable } from '../../../components/dataset/MetadataTable.tsx';
import { PreviewTable } from '../../../components/dataset/PreviewTable.tsx';
import { ReportForm, type ReportError } from '../../../components/dataset/ReportForm.tsx';
import {
  REVIEW_PAGE_SIZE,
  Reviews,
  type ReviewNotice,
} from '../../../components/dataset/Reviews.tsx';
import { portalConfig } from '../../../config.ts';
import {
  getResource,
  getResourceHistory,
  listThemes,
  type Resource,
  type ResourceChange,
  type Theme,
} from '../../../lib/api/catalog.ts';
import { whenAvailable, type Outcome } from '../../../lib/api/errors.ts';
import {
  readPreviewWindow,
  type OpenColumn,
  type PreviewWindow,
} from '../../../lib/api/openData.ts';
import { getDatasetUsage, type DatasetUsage } from '../../../lib/api/openUsage.ts';
import {
  listMyApplications,
  listPurposes,
  type Purpose,
} from '../../../lib/api/openApplications.ts';
import { listReviews, type ReviewPage } from '../../../lib/api/reviews.ts';
import { currentSession } from '../../../lib/auth/currentSession.ts';
import { unsealForm } from '../../../lib/console/carriedForm.ts';
import { historyNames } from '../../../lib/diffText.ts';
import { listFunctions } from '../../../lib/console/steward/resources.ts';
import { buildApiExamples, type ApiExample } from '../../../lib/apiExamples.ts';
import { chooseChart, type ChartColumn, type ChartSpec } from '../../../lib/chart/chooseChart.ts';
import { openDataDescriptionUrl } from '../../../lib/developerDocuments.ts';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import { stewardText } from '../../../lib/i18n/console/steward.ts';
import { label } from '../../../lib/i18n/labels.ts';
import type { Messages } from '../../../lib/i18n/messages.ts';
import { liveApplicationFor, type ApplicationState } from '../../../lib/liveApplication.ts';
import { openDataApiDescription } from '../../../lib/openApiDocuments.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import { pageNumber, single, type QueryParams } from '../../../lib/searchState.ts';

export const dynamic = 'force-dynamic';

/** catalog.yaml's resource code pattern: anything else cannot exist, so it is a 404 at once */
const CODE = /^[1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}$/;
const PREVIEW_PAGE_SIZE = 20;
/** 25 pages of 20: the preview is a look at the data, the download is the data */
const MAX_PREVIEW_PAGE = 25;
/** the chart is drawn from the first records (the API offers no aggregate) */
const CHART_SAMPLE = 200;

type Tab = 'overview' | 'api' | 'history';

/** the metadata and the page ask for the same entry: one request per page view */
const getResourceOnce = cache(getResource);
type Props = { params: Promise<{ code: string }>; searchParams: Promise<QueryParams> };

async function loadResource(code: string): Promise<Resource> {
  if (!CODE.test(code)) notFound();
  const result = await getResourceOnce(code);
  if (result.kind !== 'ok') notFound();
  return result.data;
}

/**
 * notFound() here too, not only in the page: the page's own 404 would keep this segment's
 * metadata (the bare site name); thrown here, the title is not-found.tsx's 页面不存在.
 */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { code } = await params;
  if (!CODE.test(code)) notFound();
  const result = await getResourceOnce(code).catch(() => undefined);
  if (result && result.kind !== 'ok') notFound();
  return result ? { title: result.data.name, description: result.data.abstract } : {};
}

function Tabs({ code, tab, t }: { code: string; tab: Tab; t: Messages }) {
  const base = `/datasets/${encodeURIComponent(code)}`;
  const tabs: [Tab, string, string][] = [
    ['overview', t.dataset.tabOverview, base],
    ['api', t.dataset.tabApi, `${base}?tab=api`],
    ['history', t.dataset.tabHistory, `${base}?tab=history`],
  ];
  return (
    <nav className="tabs" aria-label={t.dataset.tabs}>
      <ul>
        {tabs.map(([id, name, href]) => (
          <li key={id}>
            <Link href={href} aria-current={tab === id ? 'page' : undefined}>
              {name}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

interface DatasetData {
  resource: Resource;
  /** undefined: not asked (other tab, not open) or the exchange did not answer */
  preview?: Outcome<PreviewWindow>;
  /**
   * an open dataset whose first page of records came back empty: published before its data
   * was loaded. Downloads would be empty files, so the page says 暂无数据 instead.
   */
  isEmpty: boolean;
  chart: ChartSpec | null;
  /** history tab only: the changes, and what names their coded values */
  history: DatasetHistory;
  apiExamples?: ApiExample[];
  /** 有条件开放 overview only: the purpose codes the 申请使用 form offers */
  purposes: Purpose[];
  /** overview only: 近30天调用/下载; undefined when the exchange did not answer */
  usage?: DatasetUsage;
}

/** The preview window and the chart's sample; the page still shows without them. */
async function loadPreview(code: string, page: number) {
  const offset = (page - 1) * PREVIEW_PAGE_SIZE;
  if (offset + PREVIEW_PAGE_SIZE <= CHART_SAMPLE) {
    // one walk serves both the page and the chart
    const sample = await readPreviewWindow(code, 0, CHART_SAMPLE);
    const preview: Outcome<PreviewWindow> =
      sample.kind === 'ok'
        ? {
            kind: 'ok',
            data: {
              columns: sample.data.columns,
              records: sample.data.records.slice(offset, offset + PREVIEW_PAGE_SIZE),
              hasMore:
                sample.data.records.length > offset + PREVIEW_PAGE_SIZE || sample.data.hasMore,
            },
          }
        : sample;
    return { preview, sample };
  }
  const [preview, sample] = await Promise.all([
    readPreviewWindow(code, offset, PREVIEW_PAGE_SIZE),
    readPreviewWindow(code, 0, CHART_SAMPLE),
  ]);
  return { preview, sample };
}

interface DatasetHistory {
  changes: ResourceChange[];
  themes: Theme[];
  functions: { code: string; name: string }[];
}

const NO_HISTORY: DatasetHistory = { changes: [], themes: [], functions: [] };

/**
 * The entry's changes, with the public lists that name their coded values (themes, the
 * provider's statutory functions); without those lists the codes stand.
 */
async function loadHistory(resource: Resource): Promise<DatasetHistory> {
  const [changes, themes, functions] = await Promise.all([
    getResourceHistory(resource.code),
    listThemes().catch(() => []),
    listFunctions(resource.provider.code).catch(() => []),
  ]);
  return { changes, themes, functions };
}

/** The usage figures are a nicety: without the exchange the page still shows. */
async function loadUsage(code: string): Promise<DatasetUsage | undefined> {
  const loaded = await whenAvailable(() => getDatasetUsage(code));
  return loaded.ok && loaded.value.kind === 'ok' ? loaded.value.data : undefined;
}

/**
 * The preview's columns with what the directory says of them that the preview does not: which
 * are the record's key (never a chart's measure).
 */
function chartColumns(columns: OpenColumn[], resource: Resource): ChartColumn[] {
  const keys = new Set(resource.items.filter((item) => item.isKey).map((item) => item.name));
  return columns.map((column) => ({ ...column, isKey: keys.has(column.name) }));
}

async function loadDataset(code: string, tab: Tab, page: number): Promise<DatasetData> {
  const resource = await loadResource(code);
  let preview: Outcome<PreviewWindow> | undefined;
  let chart: ChartSpec | null = null;
  let isEmpty = false;
  // a harvested entry's data is in its source catalogue: the exchange has none to preview
  if (tab === 'overview' && resource.openType === 'open' && !resource.harvest) {
    const loaded = await whenAvailable(() => loadPreview(code, page));
    if (loaded.ok) {
      preview = loaded.value.preview;
      const { sample } = loaded.value;
      chart =
        sample.kind === 'ok'
          ? chooseChart(chartColumns(sample.data.columns, resource), sample.data.records)
          : null;
      isEmpty = sample.kind === 'ok' && sample.data.records.length === 0;
    }
  }
  const [history, apiExamples, purposes, usage] = await Promise.all([
    tab === 'history' ? loadHistory(resource) : Promise.resolve(NO_HISTORY),
    tab === 'api' && !resource.harvest ? loadApiExamples(resource) : Promise.resolve(undefined),
    tab === 'overview' && resource.openType === 'conditional'
      ? listPurposes('open-data')
      : Promise.resolve([]),
    tab === 'overview' ? loadUsage(code) : Promise.resolve(undefined),
  ]);
  return {
    // a refresh that left no records is no data a visitor can use: 数据更新 says 尚无数据
    resource: isEmpty ? { ...resource, dataUpdatedAt: null } : resource,
    preview,
    isEmpty,
    chart,
    history,
    apiExamples,
    purposes,
    usage,
  };
}

/**
 * 数据集详情: metadata, fields, chart, preview and downloads (概览), ready-to-copy API requests
 * (接口调用), and the entry's change history (变更记录). Unknown, unpublished and non-open codes
 * are 404s, as the catalog answers them.
 */
export default async function DatasetPage({ params, searchParams }: Props) {
  const [{ code }, query] = await Promise.all([params, searchParams]);
  const { t, locale } = await getPrefs();
  const tabParam = single(query.tab);
  const tab: Tab = tabParam === 'api' || tabParam === 'history' ? tabParam : 'overview';
  const page = pageNumber(query.page, MAX_PREVIEW_PAGE);
  const loaded = await whenAvailable(() => loadDataset(code, tab, page));
  if (!loaded.ok) return <ServiceUnavailable t={t} />;
  const { resource, preview, isEmpty, chart, history, apiExamples, purposes, usage } = loaded.value;
  const session = tab === 'overview' ? await currentSession() : undefined;
  const signedIn = session?.kind === 'active' || session?.kind === 'renew';
  const accessToken = session?.kind === 'active' ? session.session.accessToken : undefined;
  // a refused form's content, sealed for this person (see carriedForm.ts)
  const owner = signedIn ? session.session.sub : undefined;
  const reviewPage = pageNumber(query.reviews, 1000);
  const conditional = tab === 'overview' && resource.openType === 'conditional';
  const [reviews, live, applyCarried, reviewCarried, reportCarried] = await Promise.all([
    tab === 'overview' ? loadReviews(code, reviewPage, accessToken) : undefined,
    conditional && accessToken ? loadLiveApplication(code, accessToken) : undefined,
    conditional && owner ? unsealForm('portal-apply-form', query.form, owner) : undefined,
    tab === 'overview' && owner ? unsealForm('portal-review-form', query.form, owner) : undefined,
    tab === 'overview' && owner ? unsealForm('portal-report-form', query.form, owner) : undefined,
  ]);
  const reviewParam = single(query.review);
  const reviewNotice = (['saved', 'deleted', 'input', 'failed'] as const).find(
    (e) => e === reviewParam,
  ) as ReviewNotice | undefined;
  const applyParam = single(query.apply);
  const applyError = (['input', 'conflict', 'failed'] as const).find((e) => e === applyParam) as
    ApplyError | undefined;
  const reportParam = single(query.report);
  const reportError = (['input', 'failed'] as const).find((e) => e === reportParam) as
    ReportError | undefined;
  const base = `/datasets/${encodeURIComponent(code)}`;
  const isOpen = resource.openType === 'open';
  // the history names fields and coded values in the steward's words
  const words = stewardText(locale);

  return (
    <div className="container section dataset">
      <nav aria-label={t.dataset.breadcrumb} className="breadcrumb">
        <ol>
          <li>
            <Link href="/">{t.nav.home}</Link>
          </li>
          <li>
            <Link href="/search">{t.nav.search}</Link>
          </li>
          <li>
            <span aria-current="page" lang="zh-CN">
              {resource.name}
            </span>
          </li>
        </ol>
      </nav>

      <header className="dataset-header">
        <h1 lang="zh-CN">{resource.name}</h1>
        <p className="dataset-badges">
          <OpenBadge openType={resource.openType} locale={locale} />
          <SharingBadge sharingType={resource.sharingType} locale={locale} />
          <PlainBadge>{label('format', resource.format, locale)}</PlainBadge>
        </p>
        <dl className="key-facts">
          <div>
            <dt>{t.meta.provider}</dt>
            <dd>
              <Link
                href={`/departments/${encodeURIComponent(resource.provider.code)}`}
                lang="zh-CN"
              >
                {resource.provider.name}
              </Link>
            </dd>
          </div>
          <div>
            <dt>{t.dataset.updateCycle}</dt>
            <dd>{label('updateCycle', resource.updateCycle, locale)}</dd>
          </div>
          <div>
            <dt>{t.dataset.lastUpdate}</dt>
            <dd>
              {resource.dataUpdatedAt ? (
                <time dateTime={resource.dataUpdatedAt}>
                  {formatDateTime(resource.dataUpdatedAt)}
                </time>
              ) : (
                t.dataset.never
              )}
            </dd>
          </div>
          <div>
            <dt>{t.meta.publishDate}</dt>
            <dd>{formatDate(resource.publishDate)}</dd>
          </div>
          {usage ? (
            <div>
              <dt>{t.dataset.usage}</dt>
              <dd data-testid="dataset-usage">
                {t.home.popularUsage(usage.calls, usage.downloads)}
              </dd>
            </div>
          ) : null}
        </dl>
      </header>

      <Tabs code={code} tab={tab} t={t} />

      {tab === 'overview' ? (
        <div className="tab-panel">
          <section aria-labelledby="abstract-title">
            <h2 id="abstract-title">{t.dataset.abstract}</h2>
            <p className="abstract" lang="zh-CN">
              {resource.abstract}
            </p>
          </section>

          {resource.openType === 'conditional' && !resource.harvest ? (
            <ApplyForm
              resource={resource}
              signedIn={signedIn}
              purposes={purposes}
              error={applyError}
              locale={locale}
              live={live}
              carried={applyCarried}
              t={t}
            />
          ) : null}

          {resource.harvest ? (
            <HarvestedNotice harvest={resource.harvest} t={t} />
          ) : isEmpty ? (
            <section aria-labelledby="no-data-title" className="notice" data-testid="no-data">
              <h2 id="no-data-title">{t.dataset.noData}</h2>
              <p>{t.dataset.noDataExplanation}</p>
            </section>
          ) : (
            <section aria-labelledby="downloads-title">
              <h2 id="downloads-title">{t.dataset.downloads}</h2>
              <Downloads resource={resource} baseUrl={portalConfig().PUBLIC_EXCHANGE_URL} t={t} />
            </section>
          )}

          {chart ? (
            <section aria-labelledby="chart-title">
              <h2 id="chart-title">{t.dataset.chart}</h2>
              <Chart chart={chart} t={t} locale={locale} id="dataset-chart" />
            </section>
          ) : null}

          {isEmpty || resource.harvest ? null : (
            <section id="preview" aria-labelledby="preview-title">
              <h2 id="preview-title">{t.dataset.preview}</h2>
              {!isOpen ? (
                <p className="notice">{t.dataset.previewConditional}</p>
              ) : preview === undefined || preview.kind !== 'ok' ? (
                <p className="notice">
                  {preview?.kind === 'refused'
                    ? t.dataset.previewConditional
                    : t.dataset.previewUnavailable}
                </p>
              ) : preview.data.records.length === 0 && page > 1 ? (
                <p className="notice">
                  {t.dataset.previewBeyond}{' '}
                  <Link href={`${base}#preview`}>{t.dataset.previewFirstPage}</Link>
                </p>
              ) : preview.data.records.length === 0 ? (
                <p className="notice">{t.dataset.previewEmpty}</p>
              ) : (
                <>
                  <PreviewTable
                    columns={preview.data.columns}
                    records={preview.data.records}
                    page={page}
                    pageSize={PREVIEW_PAGE_SIZE}
                    hasNext={preview.data.hasMore && page < MAX_PREVIEW_PAGE}
                    href={(p) => `${base}${p > 1 ? `?page=${p}` : ''}#preview`}
                    t={t}
                  />
                  <p className="note">
                    {t.dataset.previewCap(MAX_PREVIEW_PAGE * PREVIEW_PAGE_SIZE)}
                  </p>
                </>
              )}
            </section>
          )}

          <section aria-labelledby="items-title">
            <h2 id="items-title">
              {t.dataset.items}{' '}
              <span className="count-note">{t.dataset.itemCount(resource.items.length)}</span>
            </h2>
            <ItemsTable resource={resource} t={t} locale={locale} />
          </section>

          <section aria-labelledby="metadata-title">
            <h2 id="metadata-title">{t.dataset.metadata}</h2>
            <MetadataTable resource={resource} t={t} locale={locale} />
          </section>

          {reviews ? (
            <Reviews
              code={resource.code}
              reviews={reviews}
              page={reviewPage}
              signedIn={signedIn}
              notice={reviewNotice}
              carried={reviewCarried}
              t={t}
            />
          ) : null}

          <ReportForm
            resource={resource}
            signedIn={signedIn}
            error={reportError}
            carried={reportCarried}
            t={t}
          />
        </div>
      ) : null}

      {tab === 'api' ? (
        <section className="tab-panel" aria-labelledby="api-title">
          <h2 id="api-title">{t.dataset.tabApi}</h2>
          {resource.harvest ? (
            <HarvestedNotice harvest={resource.harvest} t={t} />
          ) : (
            <ApiTab
              examples={apiExamples}
              t={t}
              locale={locale}
              descriptionUrl={openDataDescriptionUrl()}
            />
          )}
        </section>
      ) : null}

      {tab === 'history' ? (
        <section className="tab-panel" aria-labelledby="history-title">
          <h2 id="history-title">{t.dataset.tabHistory}</h2>
          <HistoryList
            changes={history.changes}
            names={historyNames(
              { code: resource.code, provider: resource.provider, ...history },
              words,
            )}
            t={t}
            words={words}
            locale={locale}
          />
        </section>
      ) : null}
    </div>
  );
}

/**
 * The developer's live (待审核 or 已批准) application for the dataset, when the exchange says
 * so; without an answer the form is offered (the exchange still refuses a second one).
 */
async function loadLiveApplication(
  code: string,
  accessToken: string,
): Promise<ApplicationState | undefined> {
  try {
    const answers = await Promise.all([
      listMyApplications(accessToken, 'submitted'),
      listMyApplications(accessToken, 'approved'),
    ]);
    const mine = answers.flatMap((a) => (a.kind === 'ok' ? a.data : []));
    return liveApplicationFor(mine, code);
  } catch {
    return undefined;
  }
}

/**
 * The dataset's reviews, with the caller's own when signed in; a stale token is read again
 * without it, and a catalog that does not answer leaves the section out (the page still shows).
 */
async function loadReviews(
  code: string,
  page: number,
  accessToken?: string,
): Promise<ReviewPage | undefined> {
  try {
    let answer = await listReviews(code, page, REVIEW_PAGE_SIZE, accessToken);
    if (answer.kind === 'refused') answer = await listReviews(code, page, REVIEW_PAGE_SIZE);
    return answer.kind === 'ok' ? answer.data : undefined;
  } catch {
    return undefined;
  }
}

async function loadApiExamples(resource: Resource) {
  const description = await openDataApiDescription();
  if (!description) return undefined;
  // the key as the records API reads it: the value of a one-field key, a JSON array of the
  // values in the items' order for several (["15路",1]), as the exchange's recordKey writes it
  const keyFields = resource.items.filter((item) => item.isKey).map((item) => item.name);
  let exampleKey: string | undefined;
  if (keyFields.length > 0 && resource.openType === 'open') {
    const first = await readPreviewWindow(resource.code, 0, 1);
    const record = first.kind === 'ok' ? first.data.records[0] : undefined;
    const values = keyFields.map((field) => record?.[field]);
    if (values.every((v) => typeof v === 'string' || typeof v === 'number')) {
      exampleKey = values.length === 1 ? String(values[0]) : JSON.stringify(values);
    }
  }
  return buildApiExamples({
    document: description.document,
    apiKeyHeader: description.apiKeyHeader,
    baseUrl: portalConfig().PUBLIC_EXCHANGE_URL,
    code: resource.code,
    openType: resource.openType,
    exampleKey,
    placeholders: (await getPrefs()).t.developer.code,
  });
}
