import type { Pool } from 'pg';
import { saveSystemClient } from '../identity/provider/PostgresAdapter.ts';
import { hashPassword } from '../identity/passwords.ts';
import {
  DATA_AUTHORITY_CODE,
  DEMO_DEPARTMENTS,
  DEMO_PASSWORD,
  DEMO_REGIONS,
  DEMO_SYSTEMS,
  DEMO_USERS,
} from './demoOrganisation.ts';

/** Client secret of a demo system on the embedded provider (documented in the README). */
export function demoSystemSecret(clientId: string): string {
  return `${clientId}.Demo2026`;
}

/**
 * Seed the demo city on first start: regions, departments, accounts (password DEMO_PASSWORD),
 * department systems with their OIDC clients. Does nothing when any region exists, so it never
 * touches a database that holds real data.
 */
export async function seedDemo(pool: Pool): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // serialise concurrent starters; the check below then sees the winner's rows
    await client.query('LOCK TABLE regions IN SHARE ROW EXCLUSIVE MODE');
    const { rowCount } = await client.query('SELECT 1 FROM regions LIMIT 1');
    if (rowCount) {
      await client.query('ROLLBACK');
      return false;
    }
    const regionIds = new Map<string, string>();
    for (const region of DEMO_REGIONS) {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO regions (code, name, level, parent_id) VALUES ($1, $2, $3, $4) RETURNING id`,
        [
          region.code,
          region.name,
          region.level,
          region.parentCode ? regionIds.get(region.parentCode) : null,
        ],
      );
      regionIds.set(region.code, rows[0]!.id);
    }
    const departmentIds = new Map<string, string>();
    for (const d of DEMO_DEPARTMENTS) {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO departments (code, name, short_name, unified_social_credit_code, kind, region_id, contact_name, contact_phone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          d.code,
          d.name,
          d.shortName,
          d.unifiedSocialCreditCode,
          d.kind,
          regionIds.get(d.regionCode),
          d.contactName,
          d.contactPhone,
        ],
      );
      departmentIds.set(d.code, rows[0]!.id);
    }
    await client.query(`UPDATE departments SET is_data_authority = true WHERE code = $1`, [
      DATA_AUTHORITY_CODE,
    ]);
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const u of DEMO_USERS) {
      await client.query(
        `INSERT INTO users (username, display_name, email, kind, roles, department_id, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          u.username,
          u.displayName,
          u.email,
          u.kind,
          u.roles,
          u.departmentCode ? departmentIds.get(u.departmentCode) : null,
          passwordHash,
        ],
      );
    }
    for (const s of DEMO_SYSTEMS) {
      await client.query(
        `INSERT INTO service_systems (department_id, name, client_id, description) VALUES ($1, $2, $3, $4)`,
        [departmentIds.get(s.departmentCode), s.name, s.clientId, s.description],
      );
      await saveSystemClient(client, s.clientId, demoSystemSecret(s.clientId));
    }
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
