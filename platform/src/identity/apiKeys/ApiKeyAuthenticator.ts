import type { Pool } from 'pg';
import { ApiKeyRequiredError, QuotaExceededError } from '../../errors/errors.ts';
import type { Actor } from '../Actor.ts';
import { parseApiKey } from './apiKeyFormat.ts';

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** seconds until the window resets */
  resetSeconds: number;
}

export interface ApiKeyAuthentication {
  actor: Extract<Actor, { kind: 'api-key' }>;
  rateLimit: RateLimitState;
  dailyQuota: { limit: number; used: number };
}

interface Row {
  id: string;
  key_id: string;
  owner_id: string;
  actions: string[];
  resources: string[];
  daily_quota: number;
  rate_limit_per_second: number;
  window_count: number;
  day_count: string;
  seconds_to_midnight: number;
}

// One round trip per call: find the active key by id and secret hash, count the call in the
// current one-second window and in today's usage (both shared by every API process through
// PostgreSQL), and touch last_used_at at most once a minute. A revoked or rotated key stops
// matching immediately because nothing is cached.
const AUTHENTICATE_SQL = `
WITH k AS (
  SELECT id, key_id, owner_id, actions, resources, daily_quota, rate_limit_per_second, last_used_at
    FROM api_keys
   WHERE key_id = $1 AND secret_hash = $2 AND status = 'active'
), w AS (
  INSERT INTO api_key_rate_windows AS r (api_key_id, window_start, count)
  SELECT id, date_trunc('second', clock_timestamp()), 1 FROM k
  ON CONFLICT (api_key_id, window_start) DO UPDATE SET count = r.count + 1
  RETURNING count
), d AS (
  INSERT INTO api_key_usage_daily AS u (api_key_id, day, count)
  SELECT id, (clock_timestamp() AT TIME ZONE 'Asia/Shanghai')::date, 1 FROM k
  ON CONFLICT (api_key_id, day) DO UPDATE SET count = u.count + 1
  RETURNING count
), touched AS (
  UPDATE api_keys SET last_used_at = now()
   WHERE id = (SELECT id FROM k)
     AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
  RETURNING id
)
SELECT k.id, k.key_id, k.owner_id, k.actions, k.resources, k.daily_quota, k.rate_limit_per_second,
       w.count AS window_count, d.count AS day_count,
       ceil(extract(epoch FROM (date_trunc('day', clock_timestamp() AT TIME ZONE 'Asia/Shanghai')
             + interval '1 day' - clock_timestamp() AT TIME ZONE 'Asia/Shanghai')))::int AS seconds_to_midnight
  FROM k, w, d`;

/**
 * Authenticates developer API keys and enforces their rate limit and daily quota across every
 * API process (the counters live in PostgreSQL; see docs/adr/0004-api-key-limits-in-postgresql.md).
 */
export class ApiKeyAuthenticator {
  private readonly pool: Pool;
  private cleanup: NodeJS.Timeout | undefined;

  constructor(pool: Pool) {
    this.pool = pool;
  }

  /** Periodically drop expired one-second windows. */
  startHousekeeping(intervalMs = 30_000): void {
    this.cleanup ??= setInterval(() => {
      this.pool
        .query(
          `DELETE FROM api_key_rate_windows WHERE window_start < now() - interval '10 seconds'`,
        )
        .catch(() => undefined);
    }, intervalMs);
    this.cleanup.unref();
  }

  stop(): void {
    if (this.cleanup) clearInterval(this.cleanup);
    this.cleanup = undefined;
  }

  async authenticate(key: string): Promise<ApiKeyAuthentication> {
    const parsed = parseApiKey(key);
    if (!parsed) throw new ApiKeyRequiredError('API key 格式无效');
    const { rows } = await this.pool.query<Row>(AUTHENTICATE_SQL, [
      parsed.keyId,
      parsed.secretHash,
    ]);
    const row = rows[0];
    if (!row) throw new ApiKeyRequiredError('API key 无效、已轮换或已吊销');

    const used = Number(row.day_count);
    const rateLimit: RateLimitState = {
      limit: row.rate_limit_per_second,
      remaining: Math.max(0, row.rate_limit_per_second - row.window_count),
      resetSeconds: 1,
    };
    if (used > row.daily_quota) {
      throw new QuotaExceededError(
        `今日调用次数已达上限 (${row.daily_quota})`,
        row.seconds_to_midnight,
        {
          quota: row.daily_quota,
        },
      );
    }
    if (row.window_count > row.rate_limit_per_second) {
      throw new QuotaExceededError(`调用频率超过每秒 ${row.rate_limit_per_second} 次的限制`, 1, {
        rateLimit: row.rate_limit_per_second,
      });
    }
    return {
      actor: {
        kind: 'api-key',
        keyId: row.key_id,
        apiKeyId: row.id,
        ownerId: row.owner_id,
        actions: row.actions,
        resources: row.resources,
      },
      rateLimit,
      dailyQuota: { limit: row.daily_quota, used },
    };
  }
}
