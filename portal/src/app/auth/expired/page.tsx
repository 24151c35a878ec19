import type { Metadata } from 'next';
import { SessionProblem } from '../../../components/developer/SignInPrompt.tsx';
import { safeNext } from '../../../lib/auth/session.ts';
import { getPrefs } from '../../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getPrefs();
  return { title: t.developer.expiredTitle };
}

/** Where a failed sign-in or an ended session lands: a friendly page with a way back in. */
export default async function SessionExpiredPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ t }, params] = await Promise.all([getPrefs(), searchParams]);
  const reason = params.reason;
  const text =
    reason === 'login'
      ? t.developer.loginFailedText
      : reason === 'unavailable'
        ? t.developer.unavailableText
        : undefined;
  return <SessionProblem t={t} next={safeNext(params.next)} text={text} />;
}
