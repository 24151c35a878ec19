import { usableSession } from '../../../../lib/auth/usableSession.ts';
import { workbookDownload } from '../../../../lib/console/steward/imports.ts';

export const dynamic = 'force-dynamic';

/** 下载编目模板: the catalog's template for the signed-in steward (it lists their functions). */
export async function GET(request: Request): Promise<Response> {
  const usable = await usableSession(request);
  if (!usable) return Response.redirect(new URL('/console/import', request.url), 303);
  const response = await workbookDownload(usable.session.accessToken, '/v1/excel/template');
  for (const cookie of usable.cookies) response.headers.append('Set-Cookie', cookie);
  return response;
}
