import type { Metadata } from 'next';
import { FlashMessage } from '../../../components/console/FlashMessage.tsx';
import { readFlash } from '../../../lib/console/flash.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import { stewardText } from '../../../lib/i18n/console/steward.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import '../resources/steward.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: stewardText(locale).importTitle };
}

/** Excel 导入导出: the template, the upload form (a background job), and the export. */
export default async function ImportPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const gate = await requireStaff('/console/import', 'import');
  if (!gate.ok) return gate.page;
  const [{ locale }, params] = await Promise.all([getPrefs(), searchParams]);
  const t = stewardText(locale);
  const flash = await readFlash(params.flash);
  const department = gate.staff.departmentCode ?? '';
  return (
    <>
      <h1>{t.importTitle}</h1>
      <p className="lead">{t.importLead}</p>
      <FlashMessage flash={flash} />
      <div className="steward-steps">
        <section className="steward-card" aria-labelledby="template-title">
          <h2 id="template-title">{t.templateTitle}</h2>
          <p>
            <a className="button" href="/console/import/template" download>
              {t.templateLink}
            </a>
          </p>
        </section>
        <section className="steward-card" aria-labelledby="upload-title">
          <h2 id="upload-title">{t.uploadTitle}</h2>
          <form
            method="post"
            action="/console/import/action"
            encType="multipart/form-data"
            className="console-form"
          >
            <label htmlFor="import-file">
              {t.fileLabel}
              <input
                id="import-file"
                name="file"
                type="file"
                required
                accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              />
            </label>
            <p>
              <button type="submit" className="button primary">
                {t.upload}
              </button>
            </p>
          </form>
        </section>
      </div>
      <section className="steward-card" aria-labelledby="export-title">
        <h2 id="export-title">{t.exportTitle}</h2>
        <p>{t.exportLead}</p>
        <p>
          <a
            className="button"
            href={`/console/import/export?department=${encodeURIComponent(department)}`}
            download
          >
            {t.exportLink}
          </a>
        </p>
      </section>
    </>
  );
}
