import type { Pool } from 'pg';
import { NotFoundError } from '@gx/platform';

/** The usage window: whole days back from now, as the portal says 近30天. */
export interface UsageWindow {
  days: number;
  /** the window's start (now minus `days` days) */
  since: Date;
}

/** How often one open resource was used in the window. */
export interface OpenUsageCounts {
  /** successful open-data API calls: record queries and record gets */
  calls: number;
  /** successful downloads (CSV, JSON, XLSX) */
  downloads: number;
}

export interface PopularOpenResource extends OpenUsageCounts {
  code: string;
  name: string;
  openType: 'open' | 'conditional';
  providerCode: string;
  providerName: string;
}

const DAY_MS = 86_400_000;

/** The window ending now; `now` is a parameter so that callers and tests agree on one instant. */
export function usageWindow(days: number, now: Date = new Date()): UsageWindow {
  return { days, since: new Date(now.getTime() - days * DAY_MS) };
}

// The predicates match the partial indexes of migration 20261122000000_open_usage word for
// word, so each count is an index-only scan over the window. Previews are not use: the portal's
// dataset pages read them on every view. Entries name resources by code and outlive them, so
// the ranking joins the directory last and keeps only what is published and open right now: a
// resource retired or closed since it was used never shows, and a non-open code never has
// `open-data` entries in the first place. Counts only, per resource: nothing about who called.
const CALLS = `operation = 'open-data' AND outcome = 'ok' AND details ->> 'access' IN ('query', 'get')`;
const DOWNLOADS = `operation = 'open-data' AND outcome = 'ok' AND details ->> 'access' = 'download'`;

const POPULAR_SQL = `
WITH calls AS (
  SELECT resource_code, count(*) AS n FROM evidence_entries
   WHERE ${CALLS} AND recorded_at >= $1 GROUP BY resource_code
), downloads AS (
  SELECT resource_code, count(*) AS n FROM evidence_entries
   WHERE ${DOWNLOADS} AND recorded_at >= $1 GROUP BY resource_code
), used AS (
  SELECT coalesce(c.resource_code, d.resource_code) AS code,
         coalesce(c.n, 0) AS calls, coalesce(d.n, 0) AS downloads
    FROM calls c FULL JOIN downloads d ON d.resource_code = c.resource_code
)
SELECT r.code, r.name, r.open_type AS "openType", d.code AS "providerCode",
       d.name AS "providerName", u.calls::int AS calls, u.downloads::int AS downloads
  FROM used u
  JOIN resources r ON r.code = u.code
  JOIN departments d ON d.id = r.provider_id
 WHERE r.status = 'published' AND r.open_type IN ('open', 'conditional')
 ORDER BY u.calls + u.downloads DESC, u.downloads DESC, r.code
 LIMIT $2`;

export interface ListPopularOpenResourcesOptions {
  pool: Pool;
  days: number;
  limit: number;
  now?: Date;
}

/**
 * 最常用数据: the published open resources (无条件开放 and 有条件开放) ranked by their API calls
 * and downloads together in the last `days` days, downloads breaking ties. Public: the figures are
 * per resource only, and resources nobody may see openly are never listed.
 */
export async function listPopularOpenResources({
  pool,
  days,
  limit,
  now,
}: ListPopularOpenResourcesOptions): Promise<UsageWindow & { items: PopularOpenResource[] }> {
  const window = usageWindow(days, now);
  const { rows } = await pool.query<PopularOpenResource>(POPULAR_SQL, [window.since, limit]);
  return { ...window, items: rows };
}

const USAGE_SQL = `
SELECT (SELECT count(*) FROM evidence_entries
         WHERE ${CALLS} AND recorded_at >= $2 AND resource_code = r.code)::int AS calls,
       (SELECT count(*) FROM evidence_entries
         WHERE ${DOWNLOADS} AND recorded_at >= $2 AND resource_code = r.code)::int AS downloads
  FROM resources r
 WHERE r.code = $1 AND r.status = 'published' AND r.open_type IN ('open', 'conditional')`;

export interface GetOpenResourceUsageOptions {
  pool: Pool;
  code: string;
  days: number;
  now?: Date;
}

/**
 * 近N天调用 / 下载 of one published open resource, for its dataset page. Unknown, unpublished and
 * 不予开放 resources answer 404 alike, as every open-data endpoint does.
 */
export async function getOpenResourceUsage({
  pool,
  code,
  days,
  now,
}: GetOpenResourceUsageOptions): Promise<UsageWindow & OpenUsageCounts & { code: string }> {
  const window = usageWindow(days, now);
  const row = (await pool.query<OpenUsageCounts>(USAGE_SQL, [code, window.since])).rows[0];
  if (!row) throw new NotFoundError(`没有代码为 ${code} 的开放数据资源`);
  return { code, ...window, ...row };
}
