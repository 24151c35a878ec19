import type { Pool } from 'pg';

/**
 * Tables that change on requests the platform refuses, by design: sign-in sessions and keys of
 * the identity provider, rate-limit windows and usage counters (a refused call still counts
 * against a quota), the evidence log (refusals of exchange calls are evidence too), and the
 * record log's and connect workers' leases and heartbeats, which move on a clock.
 */
const BOOKKEEPING = new Set([
  '_prisma_migrations',
  'oidc_payloads',
  'identity_keys',
  'api_key_usage_daily',
  'api_key_rate_windows',
  'grant_usage_daily',
  'grant_rate_windows',
  'evidence_entries',
  'evidence_chain_head',
  'evidence_keys',
  'connect_workers',
  'connector_tasks',
  'log_group_members',
  'log_group_assignments',
]);

/** Columns that move on any authenticated call, refused or not: when a key was last used. */
const BOOKKEEPING_COLUMNS: Record<string, string[]> = { api_keys: ['last_used_at'] };

/** Every business table of the schema, found at run time so new tables are covered. */
export async function businessTables(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  return rows.map((r) => r.name).filter((name) => !BOOKKEEPING.has(name));
}

/** Row count and a digest of every row of each table: equal fingerprints, equal data. */
export async function fingerprint(pool: Pool, tables: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all(
    tables.map(async (table) => {
      const skip = BOOKKEEPING_COLUMNS[table] ?? [];
      const row = skip.length ? `(to_jsonb(x) - $1::text[])::text` : 'x::text';
      const { rows } = await pool.query<{ n: string; d: string }>(
        `SELECT count(*)::text AS n,
                coalesce(md5(string_agg(md5(${row}), ',' ORDER BY md5(${row}))), '') AS d
           FROM "${table}" x`,
        skip.length ? [skip] : [],
      );
      out.set(table, `${rows[0]!.n}:${rows[0]!.d}`);
    }),
  );
  return out;
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter(
    (t) => before.get(t) !== after.get(t),
  );
}

/**
 * Wait (up to `timeoutMs`) for the work an accepted request left running in the background to
 * end: a harvest run (`POST /v1/harvest-sources/{id}/run`) answers at once and finishes its job
 * row later, which would otherwise be taken for a change made by the next operation's requests.
 */
export async function backgroundSettled(pool: Pool, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM harvest_jobs WHERE status = 'running'`,
    );
    if (rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
