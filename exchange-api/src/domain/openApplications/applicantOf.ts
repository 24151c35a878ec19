import type { Pool } from 'pg';
import { authorize, requirePrincipalActor, resolveLocalUser, type Actor } from '@gx/platform';

/** The local user id of a developer acting on their own applications (401/403 otherwise). */
export async function applicantOf(pool: Pool, actor: Actor): Promise<string> {
  authorize(actor, 'openapp.apply', {}, 'write');
  return resolveLocalUser(pool, requirePrincipalActor(actor));
}
