import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import type { Pool } from 'pg';
import { ownedApiKey } from './ownedApiKey.ts';

/** Calls per Asia/Shanghai day over the last `days` days, zero-filled, oldest first. */
export async function apiKeyUsage({
  prisma,
  pool,
  actor,
  id,
  days,
}: {
  prisma: PrismaClient;
  pool: Pool;
  actor: Actor;
  id: string;
  days: number;
}) {
  const key = await ownedApiKey(prisma, pool, actor, id);
  const { rows } = await pool.query<{ day: string; count: string }>(
    `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(u.count, 0) AS count
       FROM generate_series((now() AT TIME ZONE 'Asia/Shanghai')::date - ($2::int - 1),
                            (now() AT TIME ZONE 'Asia/Shanghai')::date, interval '1 day') AS d(day)
       LEFT JOIN api_key_usage_daily u ON u.api_key_id = $1 AND u.day = d.day::date
      ORDER BY d.day`,
    [key.id, days],
  );
  return rows.map((r) => ({ day: r.day, count: Number(r.count) }));
}
