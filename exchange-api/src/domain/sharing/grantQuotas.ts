import type { Pool } from 'pg';
import { QuotaExceededError } from '@gx/platform';
import type { Policy } from '../policy/compilePolicy.ts';

/** A grant's `policy.quotas` (schemas/json/exchange/policy.schema.json). */
export type GrantQuotas = NonNullable<Policy['quotas']>;

/** The quotas a policy sets, or undefined when it sets none (such grants pay nothing extra). */
export function grantQuotas(policy: Policy): GrantQuotas | undefined {
  const quotas = policy.quotas;
  return quotas?.recordsPerDay !== undefined || quotas?.requestsPerSecond !== undefined
    ? quotas
    : undefined;
}

// The calendar day is Asia/Shanghai's, as for API keys (ADR 0004), and the clock is the
// database's, the one every API process shares.
const TODAY = `(clock_timestamp() AT TIME ZONE 'Asia/Shanghai')::date`;
const SECONDS_TO_MIDNIGHT = `ceil(extract(epoch FROM (${TODAY} + 1) - clock_timestamp() AT TIME ZONE 'Asia/Shanghai'))::int`;

// One round trip: count the call in the grant's current one-second window (one row per grant,
// started afresh when a later second begins) and in today's usage. The window only moves
// forwards: a call whose second was read before it waited for the row lock may arrive after a
// call of the next second; it is counted in that newer window rather than setting the row back
// to its own second, which would restart the count and admit more calls than the quota.
const COUNT_CALL_SQL = `
WITH w AS (
  INSERT INTO grant_rate_windows AS r (grant_id, window_start, count)
  VALUES ($1::uuid, date_trunc('second', clock_timestamp()), 1)
  ON CONFLICT (grant_id) DO UPDATE
     SET count = CASE WHEN excluded.window_start > r.window_start THEN 1 ELSE r.count + 1 END,
         window_start = greatest(r.window_start, excluded.window_start)
  RETURNING count
), d AS (
  INSERT INTO grant_usage_daily AS u (grant_id, day, requests)
  VALUES ($1::uuid, ${TODAY}, 1)
  ON CONFLICT (grant_id, day) DO UPDATE SET requests = u.requests + 1
  RETURNING records
)
SELECT w.count AS window_count, d.records::text AS records,
       ${SECONDS_TO_MIDNIGHT} AS seconds_to_midnight
  FROM w, d`;

// All or nothing: the records are added only when today's total stays within the quota (the
// condition is checked on the locked, latest row, so concurrent charges cannot both slip in).
// `used` is today's total before this statement, for the refusal's detail.
const CHARGE_RECORDS_SQL = `
WITH charged AS (
  INSERT INTO grant_usage_daily AS u (grant_id, day, records)
  SELECT $1::uuid, ${TODAY}, $2::bigint WHERE $2::bigint <= $3::bigint
  ON CONFLICT (grant_id, day) DO UPDATE SET records = u.records + excluded.records
   WHERE u.records + excluded.records <= $3::bigint
  RETURNING records
)
SELECT (SELECT records::text FROM charged) AS records,
       (SELECT records::text FROM grant_usage_daily WHERE grant_id = $1::uuid AND day = ${TODAY})
         AS used,
       ${SECONDS_TO_MIDNIGHT} AS seconds_to_midnight`;

function dailyQuotaSpent(limit: number, used: number, wanted: number, secondsToMidnight: number) {
  const remaining = Math.max(0, limit - used);
  return new QuotaExceededError(
    wanted > remaining
      ? `本次需 ${wanted} 条记录，超出授权今日剩余的 ${remaining} 条（每日 ${limit} 条）`
      : `授权今日的记录配额已用完（每日 ${limit} 条）`,
    secondsToMidnight,
    { quota: 'recordsPerDay', limit, used, remaining },
  );
}

/**
 * Count one call under a grant that has quotas, across every API process. Refuses with
 * `QuotaExceededError` — retry after 1 s — beyond `requestsPerSecond` calls in the current
 * second, and — retry at midnight, Asia/Shanghai — once today's records are spent. Refused
 * calls count too: they are calls the consumer made.
 */
export async function countGrantCall(
  pool: Pool,
  grantId: string,
  quotas: GrantQuotas,
): Promise<void> {
  const { rows } = await pool.query<{
    window_count: number;
    records: string;
    seconds_to_midnight: number;
  }>({ name: 'grant-quota-call', text: COUNT_CALL_SQL, values: [grantId] });
  const row = rows[0]!;
  if (quotas.requestsPerSecond !== undefined && row.window_count > quotas.requestsPerSecond) {
    throw new QuotaExceededError(`授权的调用频率超过每秒 ${quotas.requestsPerSecond} 次的限制`, 1, {
      quota: 'requestsPerSecond',
      limit: quotas.requestsPerSecond,
    });
  }
  const used = Number(row.records);
  if (quotas.recordsPerDay !== undefined && used >= quotas.recordsPerDay)
    throw dailyQuotaSpent(quotas.recordsPerDay, used, 0, row.seconds_to_midnight);
}

/**
 * Charge `records` delivered records to today's usage of a grant, all or nothing: when they
 * would take the day past `recordsPerDay`, nothing is charged and `QuotaExceededError` says how
 * many remain (`remaining`), to be retried at midnight, Asia/Shanghai. Call it before the
 * records leave (before their evidence entry). A grant without a records-per-day quota is not
 * charged (no query). Reads go through `chargeDelivery` and `openForRead` (readRecords.ts),
 * which also record a refusal as evidence.
 */
export async function chargeGrantRecords(
  pool: Pool,
  grantId: string,
  quotas: GrantQuotas | undefined,
  records: number,
): Promise<void> {
  const limit = quotas?.recordsPerDay;
  if (limit === undefined || records <= 0) return;
  const { rows } = await pool.query<{
    records: string | null;
    used: string | null;
    seconds_to_midnight: number;
  }>({ name: 'grant-quota-charge', text: CHARGE_RECORDS_SQL, values: [grantId, records, limit] });
  const row = rows[0]!;
  if (row.records === null)
    throw dailyQuotaSpent(limit, Number(row.used ?? 0), records, row.seconds_to_midnight);
}
