import { consoleAction, field, problemText } from '../../../../lib/console/consoleAction.ts';
import {
  disableSystem,
  registerSystem,
  rotateSystemSecret,
  updateDepartment,
  type DepartmentChanges,
  type SystemCredentials,
} from '../../../../lib/console/authority/organisationApi.ts';
import { holdSecret } from '../../../../lib/auth/revealOnce.ts';
import { authorityText } from '../../../../lib/i18n/console/authority.ts';
import { getPrefs } from '../../../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

const SELF = '/console/organisation';
const CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const CLIENT_ID = /^[a-z0-9][a-z0-9-]{2,99}$/;

/** '' (a cleared field) becomes null: the API's way to remove a detail. */
const orNull = (value: string) => (value === '' ? null : value);

/**
 * The organisation page's forms: a department's details, and a system's registration, secret
 * rotation and disabling. A new secret goes to the page through the one-time store (never in
 * the URL); the API decides whether the person may do any of it.
 */
export async function POST(request: Request): Promise<Response> {
  const { locale } = await getPrefs();
  const a = authorityText(locale);
  return consoleAction(request, SELF, async ({ form, session, accessToken }) => {
    const op = field(form, 'op');
    const failed = (problem: unknown, query: Record<string, string> = {}) => ({
      flash: { kind: 'error' as const, text: problemText(problem, a.systemFailed) },
      query,
    });
    const reveal = (credentials: SystemCredentials, text: string) => {
      const { system } = credentials;
      if (!credentials.clientSecret) {
        const k = credentials.keycloak;
        return {
          flash: {
            kind: 'done' as const,
            text: k
              ? `${text}${a.keycloakNote(k.clientId ?? system.clientId, k.instructions ?? '')}`
              : text,
          },
        };
      }
      const id = holdSecret({
        owner: session.sub,
        keyName: `${system.name}（${system.clientId}）`,
        kind: 'created',
        secret: credentials.clientSecret,
      });
      return { flash: { kind: 'done' as const, text }, query: { reveal: id } };
    };

    if (op === 'update-department') {
      const code = field(form, 'code');
      if (!CODE.test(code)) return failed(undefined);
      const changes: DepartmentChanges = {
        shortName: orNull(field(form, 'shortName')),
        contactName: orNull(field(form, 'contactName')),
        contactPhone: orNull(field(form, 'contactPhone')),
        contactEmail: orNull(field(form, 'contactEmail')),
      };
      const saved = await updateDepartment(accessToken, code, changes);
      if (!saved.ok)
        return {
          flash: { kind: 'error', text: problemText(saved.problem, a.departmentSaveFailed) },
          query: { edit: code },
        };
      return { flash: { kind: 'done', text: a.departmentSaved(saved.data.name) } };
    }

    if (op === 'register-system') {
      const departmentCode = field(form, 'departmentCode');
      const name = field(form, 'name');
      const clientId = field(form, 'clientId');
      const description = field(form, 'description');
      if (!CODE.test(departmentCode))
        return { flash: { kind: 'error', text: a.departmentRequired } };
      if (!name) return { flash: { kind: 'error', text: a.nameRequired } };
      const registered = await registerSystem(accessToken, {
        departmentCode,
        name,
        ...(clientId ? { clientId } : {}),
        ...(description ? { description } : {}),
      });
      if (!registered.ok) return failed(registered.problem);
      return reveal(registered.data, a.registered(registered.data.system.name));
    }

    const clientId = field(form, 'clientId');
    if (!CLIENT_ID.test(clientId)) return failed(undefined);
    if (op === 'rotate-system') {
      const rotated = await rotateSystemSecret(accessToken, clientId);
      if (!rotated.ok) return failed(rotated.problem);
      return reveal(rotated.data, a.rotated(rotated.data.system.name));
    }
    if (op === 'disable-system') {
      const disabled = await disableSystem(accessToken, clientId);
      if (!disabled.ok) return failed(disabled.problem);
      return { flash: { kind: 'done', text: a.disabled(disabled.data.name) } };
    }
    return failed(undefined);
  });
}
