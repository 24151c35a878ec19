import { cache } from 'react';
import type { paths } from '@gx/schemas/generated/exchange-api';
import { exchangeClient } from '../api/clients.ts';
import { ServiceUnavailableError } from '../api/errors.ts';
import { currentSession } from '../auth/currentSession.ts';
import type { Session } from '../auth/session.ts';

export type Me = paths['/v1/me']['get']['responses']['200']['content']['application/json'];
export type StaffRole = 'platform-admin' | 'steward' | 'approver' | 'auditor';

/** A signed-in member of staff as the exchange sees them (`GET /v1/me`). */
export interface Staff {
  session: Session;
  accessToken: string;
  me: Me;
  name: string;
  username: string;
  departmentCode: string | undefined;
  roles: ReadonlySet<StaffRole>;
}

export type StaffState =
  | { kind: 'signed-out' }
  /** a cookie that does not decrypt, or tokens the platform no longer accepts */
  | { kind: 'invalid' }
  /** the access token is stale: the page sends the browser through /auth/renew */
  | { kind: 'renew' }
  /** signed in, but not staff (a developer): the console is not theirs */
  | { kind: 'not-staff'; name: string }
  | { kind: 'unavailable' }
  | { kind: 'ok'; staff: Staff };

const STAFF_ROLES: readonly StaffRole[] = ['platform-admin', 'steward', 'approver', 'auditor'];

/**
 * Who is using the console, asked once per request (React `cache`): the layout and the page both
 * need it. The roles come from the exchange, never from the browser; the APIs enforce the same
 * rules again on every call, so the console only decides what to show.
 */
export const currentStaff = cache(async (): Promise<StaffState> => {
  const state = await currentSession();
  if (state.kind === 'signed-out' || state.kind === 'invalid') return { kind: state.kind };
  if (state.kind === 'renew') return { kind: 'renew' };
  const { session } = state;
  let answer;
  try {
    answer = await exchangeClient().GET('/v1/me', {
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
  } catch (error) {
    if (error instanceof ServiceUnavailableError) return { kind: 'unavailable' };
    throw error;
  }
  if (answer.response.status === 401) return { kind: 'invalid' };
  if (!answer.data) return { kind: 'unavailable' };
  const me = answer.data;
  const roles = new Set(
    (me.roles ?? []).filter((r): r is StaffRole => (STAFF_ROLES as string[]).includes(r)),
  );
  if (me.kind !== 'user' || roles.size === 0) {
    return { kind: 'not-staff', name: me.displayName ?? session.name };
  }
  return {
    kind: 'ok',
    staff: {
      session,
      accessToken: session.accessToken,
      me,
      name: me.displayName ?? session.name,
      username: me.username ?? session.sub,
      departmentCode: me.departmentCode,
      roles,
    },
  };
});

/** `Authorization: Bearer …` for an API call made on the member of staff's behalf. */
export function bearer(staff: Pick<Staff, 'accessToken'>): { authorization: string } {
  return { authorization: `Bearer ${staff.accessToken}` };
}

export function hasAnyRole(staff: Staff, roles: readonly StaffRole[]): boolean {
  return roles.some((r) => staff.roles.has(r));
}
