import type { Metadata } from 'next';
import Link from 'next/link';
import { ImportProgress } from '../../../../components/console/steward/ImportProgress.tsx';
import { ServiceUnavailable } from '../../../../components/ServiceUnavailable.tsx';
import { whenAvailable } from '../../../../lib/api/errors.ts';
import { requireStaff } from '../../../../lib/console/requireStaff.tsx';
import {
  getImport,
  JOB_ID,
  type ImportJob,
  type WorkbookProblem,
} from '../../../../lib/console/steward/imports.ts';
import { stewardText, type StewardText } from '../../../../lib/i18n/console/steward.ts';
import { getPrefs } from '../../../../lib/prefs.ts';
import '../../resources/steward.css';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: stewardText(locale).jobTitle };
}

/**
 * The wrong cells of one sheet, laid out like the sheet: the row number at the left as Excel
 * shows it, the column letter with its header, what the cell held, and what is wrong.
 */
function SheetProblems({
  sheet,
  problems,
  t,
}: {
  sheet: string;
  problems: WorkbookProblem[];
  t: StewardText;
}) {
  const id = `sheet-${sheet}`;
  return (
    <section aria-labelledby={id}>
      <h3 id={id} className="steward-sheet-name">
        {sheet}
      </h3>
      <div className="table-scroll" role="region" aria-label={sheet} tabIndex={0}>
        <table className="steward-sheet">
          <thead>
            <tr>
              <th scope="col">{t.colRow}</th>
              <th scope="col">{t.colColumn}</th>
              <th scope="col">{t.colValue}</th>
              <th scope="col">{t.colProblem}</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p, i) => (
              <tr key={`${p.path}-${i}`}>
                <th scope="row" className="steward-rowhead">
                  {p.row ?? t.sheetLevel}
                </th>
                <td className="steward-cell">
                  {p.column ? `${p.column}` : p.row ? t.rowLevel : '—'}
                  {p.header ? ` ${p.header}` : ''}
                </td>
                <td className={`steward-cell${p.column ? ' steward-bad' : ''}`}>
                  {p.value === undefined || p.value === null || p.value === '' ? '—' : p.value}
                </td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Outcome({ job, t }: { job: ImportJob; t: StewardText }) {
  if (job.status === 'succeeded' && job.result) {
    const r = job.result;
    return (
      <>
        <div className="notice notice-done" role="status">
          <p>{t.jobSucceeded(r.created, r.updated, r.unchanged ?? 0, r.items)}</p>
        </div>
        <h2>{t.importedTitle}</h2>
        <table className="console-table">
          <thead>
            <tr>
              <th scope="col">{t.colRowNo}</th>
              <th scope="col">{t.colName}</th>
              <th scope="col">{t.colAction}</th>
              <th scope="col">{t.colCode}</th>
            </tr>
          </thead>
          <tbody>
            {r.resources.map((res) => (
              <tr key={res.row}>
                <th scope="row">{res.row}</th>
                <td>
                  {res.code ? (
                    <Link href={`/console/resources/${res.code}`}>{res.name}</Link>
                  ) : (
                    res.name
                  )}
                </td>
                <td>
                  {res.action === 'create'
                    ? t.importCreate
                    : res.action === 'unchanged'
                      ? t.importUnchanged
                      : t.importUpdate}
                </td>
                <td className="steward-code">{res.code ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    );
  }
  if (job.status === 'failed') {
    const bySheet = new Map<string, WorkbookProblem[]>();
    for (const p of job.errors) bySheet.set(p.sheet, [...(bySheet.get(p.sheet) ?? []), p]);
    return (
      <>
        <div className="notice notice-error" role="alert">
          <p>{job.errors.length > 0 ? t.jobFailed : `${t.jobFailedDetail}${job.detail ?? ''}`}</p>
        </div>
        {job.errors.length > 0 ? (
          <section aria-labelledby="errors-title">
            <h2 id="errors-title">{t.errorsTitle(job.errors.length)}</h2>
            {[...bySheet].map(([sheet, problems]) => (
              <SheetProblems key={sheet} sheet={sheet} problems={problems} t={t} />
            ))}
          </section>
        ) : null}
        <p>
          <Link className="button primary" href="/console/import">
            {t.uploadAgain}
          </Link>
        </p>
      </>
    );
  }
  return null;
}

/** 导入进度: the job as the catalog reports it; a reload shows the same state. */
export default async function ImportJobPage({ params }: Props) {
  const { id } = await params;
  const gate = await requireStaff(`/console/import/${id}`, 'import');
  if (!gate.ok) return gate.page;
  const { locale, t: site } = await getPrefs();
  const t = stewardText(locale);
  const loaded = JOB_ID.test(id)
    ? await whenAvailable(() => getImport(gate.staff.accessToken, id))
    : ({ ok: true, value: { ok: false, status: 404, problem: undefined } } as const);
  if (!loaded.ok) return <ServiceUnavailable t={site} />;
  const answer = loaded.value;
  return (
    <>
      <p className="breadcrumb">
        <Link href="/console/import">{t.importTitle}</Link>
      </p>
      <h1>{t.jobTitle}</h1>
      {answer.ok ? (
        <>
          <ImportProgress
            locale={locale}
            id={id}
            initial={{
              status: answer.data.status,
              phase: answer.data.phase,
              processedRows: answer.data.processedRows,
              totalRows: answer.data.totalRows,
            }}
          />
          <Outcome job={answer.data} t={t} />
        </>
      ) : (
        <p className="notice notice-error" role="alert">
          {t.jobNotFound}
        </p>
      )}
    </>
  );
}
