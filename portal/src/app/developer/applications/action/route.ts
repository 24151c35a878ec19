import {
  applyForOpenData,
  cancelApplication,
  claimApplicationKey,
  type OpenApplicationBody,
} from '../../../../lib/api/openApplications.ts';
import { ServiceUnavailableError } from '../../../../lib/api/errors.ts';
import { holdSecret } from '../../../../lib/auth/revealOnce.ts';
import { foreignOrigin, sameOrigin } from '../../../../lib/auth/session.ts';
import { usableSession } from '../../../../lib/auth/usableSession.ts';
import { carriedQuery } from '../../../../lib/console/carriedForm.ts';
import { sealFlash } from '../../../../lib/console/flash.ts';
import { UUID } from '../../../../lib/ids.ts';
import { getPrefs } from '../../../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

const SELF = '/developer/applications';
const CODE = /^[1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}$/;
const ACTIONS = ['read', 'download'] as const;

function redirectTo(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ Location: location, 'Cache-Control': 'no-store' });
  for (const cookie of cookies) headers.append('Set-Cookie', cookie);
  return new Response(null, { status: 303, headers });
}

const withQuery = (path: string, query: Record<string, string>, hash = '') => {
  const search = new URLSearchParams(query).toString();
  return `${path}${search ? `?${search}` : ''}${hash}`;
};

/** The form's text field, trimmed; undefined when blank or longer than `max`. */
function field(form: FormData, name: string, max: number): string | undefined {
  const value = String(form.get(name) ?? '').trim();
  return value && value.length <= max ? value : undefined;
}

/** The application form's body, or undefined when a field is missing or too long. */
function applicationBody(form: FormData, resourceCode: string): OpenApplicationBody | undefined {
  const purpose = field(form, 'purpose', 4000);
  const realName = field(form, 'realName', 100);
  const organisation = field(form, 'organisation', 100);
  const contact = field(form, 'contact', 100);
  const intendedUse = field(form, 'intendedUse', 4000);
  const purposeCode = field(form, 'purposeCode', 32);
  const actions = ACTIONS.filter((a) => form.getAll('actions').map(String).includes(a));
  if (!purpose || !realName || !organisation || !contact || !intendedUse || actions.length === 0)
    return undefined;
  return {
    resourceCode,
    purpose,
    realName,
    organisation,
    contact,
    intendedUse,
    actions,
    ...(purposeCode ? { purposeCode } : {}),
  };
}

/**
 * The 开放申请 forms post here: `apply` (from a 有条件开放 dataset page; back there with an error
 * and everything typed, sealed for this developer (see carriedForm.ts), or on to the list) and
 * `claim` (on the list; back with a one-time handle for the key, never the key itself, in the
 * URL) and `cancel` (撤回, from the list's confirmation step; back with the outcome as a sealed
 * flash). CSRF: SameSite=Lax session cookie plus the Origin/Referer check.
 */
export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return foreignOrigin();
  const form = await request.formData().catch(() => undefined);
  const usable = await usableSession(request);
  if (!usable || !form) return redirectTo(SELF);
  const { session, cookies } = usable;
  try {
    if (form.get('op') === 'apply') {
      const code = String(form.get('resourceCode') ?? '');
      if (!CODE.test(code)) return redirectTo(SELF, cookies);
      const page = `/datasets/${code}`;
      const refused = async (error: 'input' | 'conflict' | 'failed') => {
        const carried = await carriedQuery('portal-apply-form', form, session.sub);
        return redirectTo(withQuery(page, { apply: error, ...carried }, '#apply'), cookies);
      };
      const body = applicationBody(form, code);
      if (!body) return refused('input');
      let applied;
      try {
        applied = await applyForOpenData(session.accessToken, body);
      } catch (error) {
        if (error instanceof ServiceUnavailableError) return await refused('failed');
        throw error;
      }
      if (applied.kind === 'ok') {
        // sealed: the list shows only what the portal itself said, never text from a link
        const { t } = await getPrefs();
        const text = t.applications.submitted(applied.data.resourceName);
        const flash = await sealFlash({ kind: 'done', text });
        return redirectTo(withQuery(SELF, { flash }), cookies);
      }
      return refused(
        applied.kind === 'conflict'
          ? 'conflict'
          : applied.kind === 'not-found'
            ? 'input'
            : 'failed',
      );
    }
    if (form.get('op') === 'claim') {
      const id = String(form.get('id') ?? '');
      if (!UUID.test(id)) return redirectTo(withQuery(SELF, { error: 'failed' }), cookies);
      const claimed = await claimApplicationKey(session.accessToken, id);
      if (claimed.kind !== 'ok')
        return redirectTo(
          withQuery(SELF, { error: claimed.kind === 'conflict' ? 'claimed' : 'failed' }),
          cookies,
        );
      const reveal = holdSecret({
        owner: session.sub,
        keyName: claimed.data.apiKey.name,
        kind: 'created',
        secret: claimed.data.key,
      });
      return redirectTo(withQuery(SELF, { reveal }), cookies);
    }
    if (form.get('op') === 'cancel') {
      const id = String(form.get('id') ?? '');
      if (!UUID.test(id)) return redirectTo(withQuery(SELF, { error: 'failed' }), cookies);
      const { t } = await getPrefs();
      const m = t.applications;
      const cancelled = await cancelApplication(session.accessToken, id);
      const flash =
        cancelled.kind === 'ok'
          ? { kind: 'done' as const, text: m.withdrawn(cancelled.data.resourceName) }
          : {
              kind: 'error' as const,
              text: cancelled.kind === 'conflict' ? m.errorNotPending : m.errorFailed,
            };
      return redirectTo(withQuery(SELF, { flash: await sealFlash(flash) }), cookies);
    }
    return redirectTo(withQuery(SELF, { error: 'failed' }), cookies);
  } catch (error) {
    if (error instanceof ServiceUnavailableError)
      return redirectTo(withQuery(SELF, { error: 'failed' }), cookies);
    throw error;
  }
}
