import type { Pool } from 'pg';
import type { Role } from '../../demo/demoOrganisation.ts';

export interface AccountRecord {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  kind: 'staff' | 'developer';
  roles: Role[];
  departmentCode: string | null;
  regionCode: string | null;
  passwordHash: string | null;
  status: 'active' | 'disabled';
}

const SELECT_ACCOUNT = `
SELECT u.id, u.username, u.display_name AS "displayName", u.email, u.kind, u.roles,
       d.code AS "departmentCode", r.code AS "regionCode", u.password_hash AS "passwordHash", u.status
  FROM users u
  LEFT JOIN departments d ON d.id = u.department_id
  LEFT JOIN regions r ON r.id = d.region_id`;

export async function findAccountById(pool: Pool, id: string): Promise<AccountRecord | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await pool.query<AccountRecord>(`${SELECT_ACCOUNT} WHERE u.id = $1`, [id]);
  return rows[0];
}

export async function findAccountByLogin(
  pool: Pool,
  login: string,
): Promise<AccountRecord | undefined> {
  // usernames and emails are each unique whatever their case; should a login be one account's
  // username and another's email (a Keycloak-provisioned username may hold `@`), the username wins
  const { rows } = await pool.query<AccountRecord>(
    `${SELECT_ACCOUNT} WHERE lower(u.username) = lower($1) OR lower(u.email) = lower($1)
      ORDER BY lower(u.username) = lower($1) DESC LIMIT 1`,
    [login],
  );
  return rows[0];
}

export interface SystemRecord {
  clientId: string;
  departmentCode: string;
  regionCode: string;
  status: 'active' | 'disabled';
}

export async function findSystemByClientId(
  pool: Pool,
  clientId: string,
): Promise<SystemRecord | undefined> {
  const { rows } = await pool.query<SystemRecord>(
    `SELECT s.client_id AS "clientId", d.code AS "departmentCode", r.code AS "regionCode", s.status
       FROM service_systems s JOIN departments d ON d.id = s.department_id JOIN regions r ON r.id = d.region_id
      WHERE s.client_id = $1`,
    [clientId],
  );
  return rows[0];
}

/**
 * The claims our tokens carry about a person, shaped as Keycloak shapes them so that one
 * mapping (actorFromClaims) serves both issuers.
 */
export function accountClaims(account: AccountRecord) {
  return {
    preferred_username: account.username,
    name: account.displayName,
    ...(account.email ? { email: account.email, email_verified: true } : {}),
    ...(account.departmentCode ? { department: account.departmentCode } : {}),
    ...(account.regionCode ? { region: account.regionCode } : {}),
    realm_access: { roles: account.roles },
  };
}

export function systemClaims(system: SystemRecord) {
  return {
    preferred_username: `service-account-${system.clientId}`,
    department: system.departmentCode,
    region: system.regionCode,
    realm_access: { roles: ['system'] },
  };
}
