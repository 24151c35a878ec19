import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Pool } from 'pg';

/**
 * oidc-provider's storage in PostgreSQL (table `oidc_payloads`), so that sessions, grants,
 * refresh tokens and dynamically registered clients (department systems) survive restarts and
 * are shared by every process: the exchange API registers a system's client by writing here.
 */
export function postgresAdapterFactory(pool: Pool) {
  return class PostgresAdapter implements Adapter {
    readonly type: string;

    constructor(name: string) {
      this.type = name;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      await pool.query(
        `INSERT INTO oidc_payloads (id, type, payload, grant_id, user_code, uid, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(secs => $7::int) END)
         ON CONFLICT (id, type) DO UPDATE
           SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id, user_code = EXCLUDED.user_code,
               uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
        [
          id,
          this.type,
          JSON.stringify(payload),
          payload.grantId ?? null,
          payload.userCode ?? null,
          payload.uid ?? null,
          expiresIn ?? null,
        ],
      );
    }

    private async findWhere(
      column: 'id' | 'uid' | 'user_code',
      value: string,
    ): Promise<AdapterPayload | undefined> {
      const { rows } = await pool.query<{ payload: AdapterPayload; consumed_at: Date | null }>(
        `SELECT payload, consumed_at FROM oidc_payloads
          WHERE ${column} = $1 AND type = $2 AND (expires_at IS NULL OR expires_at > now())`,
        [value, this.type],
      );
      const row = rows[0];
      if (!row) return undefined;
      return row.consumed_at
        ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) }
        : row.payload;
    }

    find(id: string) {
      return this.findWhere('id', id);
    }

    findByUid(uid: string) {
      return this.findWhere('uid', uid);
    }

    findByUserCode(userCode: string) {
      return this.findWhere('user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      await pool.query(`UPDATE oidc_payloads SET consumed_at = now() WHERE id = $1 AND type = $2`, [
        id,
        this.type,
      ]);
    }

    async destroy(id: string): Promise<void> {
      await pool.query(`DELETE FROM oidc_payloads WHERE id = $1 AND type = $2`, [id, this.type]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await pool.query(`DELETE FROM oidc_payloads WHERE grant_id = $1`, [grantId]);
    }
  };
}

/** Client metadata of a department system (client credentials only). */
export function systemClientMetadata(clientId: string, clientSecret: string) {
  return {
    client_id: clientId,
    client_secret: clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
  };
}

/** Write (or replace) a system's client in the provider's storage. */
export async function saveSystemClient(
  pool: Pick<Pool, 'query'>,
  clientId: string,
  clientSecret: string,
): Promise<void> {
  await pool.query(
    `INSERT INTO oidc_payloads (id, type, payload) VALUES ($1, 'Client', $2)
     ON CONFLICT (id, type) DO UPDATE SET payload = EXCLUDED.payload`,
    [clientId, JSON.stringify(systemClientMetadata(clientId, clientSecret))],
  );
}

export async function deleteSystemClient(
  pool: Pick<Pool, 'query'>,
  clientId: string,
): Promise<void> {
  await pool.query(`DELETE FROM oidc_payloads WHERE id = $1 AND type = 'Client'`, [clientId]);
}
