import type { Pool } from 'pg';
import type { PrincipalActor } from './Actor.ts';

/**
 * The local `users` row of a person, for things they own (API keys). Tokens of the embedded
 * provider carry our user id as `sub`; Keycloak's do not, so a person first seen through
 * Keycloak is provisioned by username just in time, with the roles and department the token
 * states.
 */
export async function resolveLocalUser(pool: Pool, actor: PrincipalActor): Promise<string> {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(actor.subject)) {
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM users WHERE id = $1 AND username = $2`,
      [actor.subject, actor.username],
    );
    if (rows[0]) return rows[0].id;
  }
  const { rows } = await pool.query<{ id: string }>(
    `WITH dept AS (SELECT id FROM departments WHERE code = $4)
     INSERT INTO users (username, display_name, kind, roles, department_id)
     SELECT $1, $2, $3::user_kind, $5, (SELECT id FROM dept)
      WHERE $3 = 'developer' OR EXISTS (SELECT 1 FROM dept)
     ON CONFLICT ((lower(username))) DO UPDATE SET roles = EXCLUDED.roles
     RETURNING id`,
    [
      actor.username,
      actor.displayName ?? actor.username,
      actor.kind === 'developer' ? 'developer' : 'staff',
      actor.departmentCode ?? null,
      actor.roles,
    ],
  );
  if (!rows[0])
    throw new Error(
      `cannot provision ${actor.username}: unknown department ${actor.departmentCode}`,
    );
  return rows[0].id;
}
