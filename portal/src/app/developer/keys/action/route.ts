import {
  createApiKey,
  revokeApiKey,
  rotateApiKey,
  type CreateApiKeyBody,
} from '../../../../lib/api/apiKeys.ts';
import { ServiceUnavailableError } from '../../../../lib/api/errors.ts';
import { holdSecret } from '../../../../lib/auth/revealOnce.ts';
import { foreignOrigin, sameOrigin } from '../../../../lib/auth/session.ts';
import { usableSession } from '../../../../lib/auth/usableSession.ts';
import { offeredApiKeyActions } from '../../../../lib/developerDocuments.ts';
import { sealFlash } from '../../../../lib/console/flash.ts';
import { UUID } from '../../../../lib/ids.ts';
import { getPrefs } from '../../../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

const SELF = '/developer/keys';

function back(query: Record<string, string>, cookies: string[] = []): Response {
  const search = new URLSearchParams(query).toString();
  const headers = new Headers({
    Location: search ? `${SELF}?${search}` : SELF,
    'Cache-Control': 'no-store',
  });
  for (const cookie of cookies) headers.append('Set-Cookie', cookie);
  return new Response(null, { status: 303, headers });
}

/**
 * The key list's forms (create, rotate, revoke) post here; the answer is always a 303 back to
 * the list, with a one-time handle for a new secret (never the secret itself) or a sealed
 * flash message (lib/console/flash.ts) in the URL.
 * CSRF: SameSite=Lax session cookie plus the Origin/Referer check.
 */
export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return foreignOrigin('请求来源无效，请返回“我的 API key”页面后重试。');
  const form = await request.formData().catch(() => undefined);
  // signed out or the session cannot be renewed: the list page says what to do
  const usable = await usableSession(request);
  if (!usable || !form) return back({});
  const { session, cookies } = usable;
  const op = form.get('op');
  const id = String(form.get('id') ?? '');
  try {
    if (op === 'create') {
      const name = String(form.get('name') ?? '').trim();
      const offered = await offeredApiKeyActions();
      const actions = form
        .getAll('actions')
        .map(String)
        .filter((a) => offered.includes(a));
      if (!name || name.length > 100 || actions.length === 0)
        return back({ error: 'name' }, cookies);
      const body: CreateApiKeyBody = {
        name,
        actions: [...new Set(actions)] as CreateApiKeyBody['actions'],
      };
      const created = await createApiKey(session.accessToken, body);
      if (created.kind !== 'ok') {
        return back({ error: created.kind === 'not-found' ? 'name' : created.kind }, cookies);
      }
      const reveal = holdSecret({
        owner: session.sub,
        keyName: created.data.apiKey.name,
        kind: 'created',
        secret: created.data.key,
      });
      return back({ reveal }, cookies);
    }
    if (!UUID.test(id)) return back({ error: 'failed' }, cookies);
    if (op === 'rotate') {
      const rotated = await rotateApiKey(session.accessToken, id);
      if (rotated.kind !== 'ok') return back({ error: rotated.kind }, cookies);
      const reveal = holdSecret({
        owner: session.sub,
        keyName: rotated.data.apiKey.name,
        kind: 'rotated',
        secret: rotated.data.key,
      });
      return back({ reveal }, cookies);
    }
    if (op === 'revoke') {
      const name = String(form.get('name') ?? '');
      const result = await revokeApiKey(session.accessToken, id);
      if (result !== 'ok') return back({ error: result }, cookies);
      // sealed: the list shows only what the portal itself said, never text from a link
      const { t } = await getPrefs();
      const text = name ? t.developer.revoked(name) : t.developer.revokedUnnamed;
      return back({ flash: await sealFlash({ kind: 'done', text }) }, cookies);
    }
    return back({ error: 'failed' }, cookies);
  } catch (error) {
    if (error instanceof ServiceUnavailableError) return back({ error: 'failed' }, cookies);
    throw error;
  }
}
