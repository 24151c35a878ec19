import { usableSession } from '../../../../lib/auth/usableSession.ts';
import { workbookDownload } from '../../../../lib/console/steward/imports.ts';

export const dynamic = 'force-dynamic';

const DEPARTMENT = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** 导出本部门资源: the department's entries as a workbook in the template's layout. */
export async function GET(request: Request): Promise<Response> {
  const usable = await usableSession(request);
  if (!usable) return Response.redirect(new URL('/console/import', request.url), 303);
  const department = new URL(request.url).searchParams.get('department') ?? '';
  if (!DEPARTMENT.test(department))
    return new Response('缺少部门编码。', {
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  const response = await workbookDownload(
    usable.session.accessToken,
    `/v1/excel/export?department=${encodeURIComponent(department)}`,
  );
  for (const cookie of usable.cookies) response.headers.append('Set-Cookie', cookie);
  return response;
}
