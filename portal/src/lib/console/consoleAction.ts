import { ServiceUnavailableError } from '../api/errors.ts';
import { foreignOrigin, sameOrigin, type Session } from '../auth/session.ts';
import { usableSession } from '../auth/usableSession.ts';
import { sealFlash, type Flash } from './flash.ts';

export { problemPlace, problemText } from './problemText.ts';

/** What a console form handler answers: where to go next and what to tell the person there. */
export interface ActionOutcome {
  /** a path of the portal (default: the page the form belongs to) */
  to?: string;
  flash?: Flash;
  /** more query parameters for the page gone to */
  query?: Record<string, string>;
}

async function redirect(self: string, outcome: ActionOutcome, cookies: string[]) {
  const target = new URL(outcome.to ?? self, 'http://portal.invalid');
  for (const [k, v] of Object.entries(outcome.query ?? {})) target.searchParams.set(k, v);
  if (outcome.flash) target.searchParams.set('flash', await sealFlash(outcome.flash));
  const headers = new Headers({
    Location: `${target.pathname}${target.search}`,
    'Cache-Control': 'no-store',
  });
  for (const cookie of cookies) headers.append('Set-Cookie', cookie);
  return new Response(null, { status: 303, headers });
}

/**
 * Every console form posts to a route handler that runs through here: the CSRF origin check,
 * the form, a usable (renewed if stale) session, then `handle`, and always a 303 back to a
 * console page with the outcome as a flash message. The APIs decide what the person may do;
 * a refused call comes back as their problem text, never as a crash.
 */
export async function consoleAction(
  request: Request,
  self: string,
  handle: (input: {
    form: FormData;
    session: Session;
    accessToken: string;
  }) => Promise<ActionOutcome>,
): Promise<Response> {
  if (!sameOrigin(request)) return foreignOrigin();
  const form = await request.formData().catch(() => undefined);
  const usable = await usableSession(request);
  if (!usable) return redirect(self, {}, []);
  if (!form)
    return redirect(self, { flash: { kind: 'error', text: '表单内容无效，请重试。' } }, []);
  try {
    const outcome = await handle({
      form,
      session: usable.session,
      accessToken: usable.session.accessToken,
    });
    return await redirect(self, outcome, usable.cookies);
  } catch (error) {
    if (error instanceof ServiceUnavailableError) {
      return redirect(
        self,
        { flash: { kind: 'error', text: '服务暂不可用，操作未完成，请稍后重试。' } },
        usable.cookies,
      );
    }
    throw error;
  }
}

/** A form field as trimmed text ('' when absent). */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}
