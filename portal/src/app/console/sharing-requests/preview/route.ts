import { previewPolicy } from '../../../../lib/console/approver/api.ts';
import {
  requestWithItems,
  SHARING_REQUEST_ID,
} from '../../../../lib/console/approver/requestItems.ts';
import { problemText } from '../../../../lib/console/consoleAction.ts';
import { ServiceUnavailableError } from '../../../../lib/api/errors.ts';
import { foreignOrigin, sameOrigin } from '../../../../lib/auth/session.ts';
import { usableSession } from '../../../../lib/auth/usableSession.ts';

export const dynamic = 'force-dynamic';

function json(body: unknown, status: number, cookies: string[] = []): Response {
  const headers = new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store' });
  for (const cookie of cookies) headers.append('Set-Cookie', cookie);
  return new Response(JSON.stringify(body), { status, headers });
}

/**
 * The policy editor's preview: the draft policy goes to the exchange's own preview (the compiled
 * policy delivery runs) with the approver's token. The resource is taken from the request on the
 * server, never from the browser; the exchange decides who may preview.
 */
export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return foreignOrigin();
  const usable = await usableSession(request);
  if (!usable) return json({ ok: false, message: '登录已失效，请重新登录。' }, 401);
  const body = (await request.json().catch(() => undefined)) as
    { requestId?: unknown; policy?: unknown } | undefined;
  const id = typeof body?.requestId === 'string' ? body.requestId : '';
  const policy = body?.policy as { fields?: unknown } | undefined;
  if (
    !SHARING_REQUEST_ID.test(id) ||
    !policy ||
    typeof policy !== 'object' ||
    !Array.isArray(policy.fields)
  )
    return json({ ok: false, message: '预览参数无效。' }, 400, usable.cookies);
  try {
    const token = usable.session.accessToken;
    const loaded = await requestWithItems(token, id);
    if (!loaded.ok)
      return json({ ok: false, message: problemText(loaded.problem, '没有这个共享申请。') }, 404);
    const code = String((loaded.data.request.resource as { code?: unknown }).code ?? '');
    const preview = await previewPolicy(token, code, policy as Parameters<typeof previewPolicy>[2]);
    if (!preview.ok)
      return json(
        { ok: false, message: problemText(preview.problem, '预览失败，请稍后重试。') },
        preview.status,
        usable.cookies,
      );
    return json({ ok: true, preview: preview.data }, 200, usable.cookies);
  } catch (error) {
    if (error instanceof ServiceUnavailableError)
      return json({ ok: false, message: '服务暂不可用，请稍后重试。' }, 503, usable.cookies);
    throw error;
  }
}
