import type { Metadata } from 'next';
import Link from 'next/link';
import { FlashMessage } from '../../../../components/console/FlashMessage.tsx';
import { ResourceEditor } from '../../../../components/console/steward/ResourceEditor.tsx';
import { readFlash } from '../../../../lib/console/flash.ts';
import { requireStaff } from '../../../../lib/console/requireStaff.tsx';
import { unsealDraft } from '../../../../lib/console/steward/carriedDraft.ts';
import { emptyEditorState } from '../../../../lib/console/steward/editorState.ts';
import { listFunctions, listThemes } from '../../../../lib/console/steward/resources.ts';
import { stewardText } from '../../../../lib/i18n/console/steward.ts';
import { getPrefs } from '../../../../lib/prefs.ts';
import '../steward.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: stewardText(locale).newTitle };
}

/** 新建资源: the editor, empty; saving creates the draft and opens its page. */
export default async function NewResource({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const gate = await requireStaff('/console/resources/new', 'resources');
  if (!gate.ok) return gate.page;
  const [{ locale }, params] = await Promise.all([getPrefs(), searchParams]);
  const t = stewardText(locale);
  const department = gate.staff.departmentCode ?? '';
  const [themes, functions, flash, carried] = await Promise.all([
    listThemes(),
    department ? listFunctions(department) : Promise.resolve([]),
    readFlash(params.flash),
    unsealDraft(params.draft),
  ]);
  return (
    <>
      <p className="breadcrumb">
        <Link href="/console/resources">{t.backToList}</Link>
      </p>
      <h1>{t.newTitle}</h1>
      <FlashMessage flash={flash} />
      <ResourceEditor
        locale={locale}
        action="/console/resources/action"
        initial={carried ?? emptyEditorState()}
        themes={themes}
        functions={functions}
      />
    </>
  );
}
