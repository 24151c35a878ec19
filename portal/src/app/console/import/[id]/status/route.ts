import { usableSession } from '../../../../../lib/auth/usableSession.ts';
import { getImport, JOB_ID } from '../../../../../lib/console/steward/imports.ts';

export const dynamic = 'force-dynamic';

/**
 * The progress bar's poll: the job's state and counts only (the page renders the outcome).
 * Answers with the steward's own token, so only the person who started the job sees it.
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const { id } = await params;
  const usable = await usableSession(request);
  if (!usable) return Response.json({ status: 'unauthenticated' }, { status: 401 });
  if (!JOB_ID.test(id)) return Response.json({ status: 'not-found' }, { status: 404 });
  const job = await getImport(usable.session.accessToken, id).catch(() => undefined);
  if (!job) return Response.json({ status: 'unavailable' }, { status: 503 });
  if (!job.ok) return Response.json({ status: 'not-found' }, { status: 404 });
  const { status, phase, processedRows, totalRows } = job.data;
  const headers = new Headers({ 'cache-control': 'no-store' });
  for (const cookie of usable.cookies) headers.append('Set-Cookie', cookie);
  return Response.json({ status, phase, processedRows, totalRows }, { headers });
}
