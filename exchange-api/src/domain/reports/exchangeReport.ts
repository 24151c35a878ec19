import type { Actor } from '@gx/platform';
import type { Pool } from 'pg';
import { exchangeReportScope } from './exchangeReportScope.ts';

/**
 * The evidence operations that hand records to another department's system. Verification
 * answers yes/no without disclosing a record, ingestion is a provider's own upload, and
 * open-data downloads go to the public, so none of them counts as exchange volume.
 */
export const DELIVERY_OPERATIONS = ['query', 'get', 'export', 'subscription-delivery'] as const;

/** Days of exchange volume the report covers, today (Asia/Shanghai) included. */
export const VOLUME_DAYS = 30;

export interface ExchangeReport {
  /** the department the figures are restricted to; null for the whole city */
  departmentCode: string | null;
  requests: {
    /** requests decided by an approver (approved or rejected after waiting) */
    decided: number;
    /** median time from request to decision, in seconds; null when none was decided */
    medianSeconds: number | null;
    /** 90th percentile of the same, in seconds */
    p90Seconds: number | null;
    /** requests waiting for a decision */
    pending: number;
    /** waiting requests past their decision deadline */
    overdue: number;
  };
  /** records delivered per Asia/Shanghai day, oldest first, zero-filled */
  volume: { day: string; records: number; deliveries: number }[];
  generatedAt: string;
}

export interface ExchangeReportOptions {
  pool: Pool;
  actor: Actor;
  department?: string;
}

/**
 * 交换报表: how fast sharing requests are decided and how many records the exchange delivers,
 * for the whole city or one department. A department's requests are those addressed to it (its
 * approvers' turnaround); its volume is what was delivered from its resources or to its
 * systems. Turnaround counts only requests that waited for an approver: unconditional grants
 * and refusals are decided on the spot and would hide how long people take.
 */
export async function exchangeReport({
  pool,
  actor,
  department,
}: ExchangeReportOptions): Promise<ExchangeReport> {
  const only = (await exchangeReportScope({ pool, actor, department })) ?? null;
  const [requests, volume] = await Promise.all([
    pool.query<{
      decided: number;
      median: number | null;
      p90: number | null;
      pending: number;
      overdue: number;
    }>(
      `SELECT count(*) FILTER (WHERE decided)::int AS decided,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE decided) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE decided) AS p90,
              count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'pending' AND deadline_at < now())::int AS overdue
         FROM (SELECT s.status,
                      s.status IN ('approved', 'rejected') AND s.deadline_at IS NOT NULL
                        AND s.decided_at IS NOT NULL AS decided,
                      extract(epoch FROM s.decided_at - s.created_at)::float8 AS seconds,
                      s.deadline_at
                 FROM sharing_requests s
                 JOIN departments p ON p.id = s.provider_id
                WHERE $1::text IS NULL OR p.code = $1) AS r`,
      [only],
    ),
    pool.query<{ day: string; records: string; deliveries: string }>(
      `WITH delivered AS (
         SELECT (e.recorded_at AT TIME ZONE 'Asia/Shanghai')::date AS day, e.record_count
           FROM evidence_entries e
           LEFT JOIN resources r ON r.code = e.resource_code
           LEFT JOIN departments p ON p.id = r.provider_id
          WHERE e.operation = ANY($2::text[]) AND e.outcome = 'ok'
            AND e.recorded_at >= ((now() AT TIME ZONE 'Asia/Shanghai')::date - ($3::int - 1))
                                   AT TIME ZONE 'Asia/Shanghai'
            AND ($1::text IS NULL OR e.department_code = $1 OR p.code = $1))
       SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
              coalesce(sum(x.record_count), 0)::text AS records,
              count(x.day)::text AS deliveries
         FROM generate_series((now() AT TIME ZONE 'Asia/Shanghai')::date - ($3::int - 1),
                              (now() AT TIME ZONE 'Asia/Shanghai')::date, interval '1 day') AS d(day)
         LEFT JOIN delivered x ON x.day = d.day::date
        GROUP BY d.day
        ORDER BY d.day`,
      [only, DELIVERY_OPERATIONS, VOLUME_DAYS],
    ),
  ]);
  const r = requests.rows[0]!;
  const seconds = (v: number | null) => (v === null ? null : Math.round(Number(v)));
  return {
    departmentCode: only,
    requests: {
      decided: r.decided,
      medianSeconds: seconds(r.median),
      p90Seconds: seconds(r.p90),
      pending: r.pending,
      overdue: r.overdue,
    },
    volume: volume.rows.map((v) => ({
      day: v.day,
      records: Number(v.records),
      deliveries: Number(v.deliveries),
    })),
    generatedAt: new Date().toISOString(),
  };
}
