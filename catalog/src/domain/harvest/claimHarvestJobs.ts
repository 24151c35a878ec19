import type { Prisma, PrismaClient } from '@gx/migrations';
import { ConflictError, NotFoundError } from '@gx/platform';

type Tx = Prisma.TransactionClient;

/**
 * A running job whose process stopped touching it for this long lost its process (killed,
 * crashed): it is marked failed so that its source can run again.
 */
export const STALE_JOB_MS = 2 * 60_000;

async function failStaleJobs(tx: Tx, staleMs: number, sourceId?: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE harvest_jobs
       SET status = 'failed', finished_at = now(),
           error = '采集进程中断（长时间没有心跳），本次采集不完整，未下线任何条目'
     WHERE status = 'running'
       AND heartbeat_at < now() - ${staleMs}::int * interval '1 millisecond'
       AND (${sourceId ?? null}::uuid IS NULL OR source_id = ${sourceId ?? null}::uuid)`;
}

/** Insert the running job unless the source has one (the partial unique index decides). */
async function insertJob(
  tx: Tx,
  sourceId: string,
  trigger: 'manual' | 'schedule',
  triggeredBy: string,
): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO harvest_jobs (source_id, trigger, triggered_by)
    VALUES (${sourceId}::uuid, ${trigger}, ${triggeredBy})
    ON CONFLICT (source_id) WHERE status = 'running' DO NOTHING
    RETURNING id`;
  return rows[0]?.id ?? null;
}

/**
 * An admin runs a source now. The source row is locked while the job is claimed; a source
 * that is already being harvested (by this or another process) answers 409.
 */
export async function claimManualJob(
  prisma: PrismaClient,
  sourceId: string,
  triggeredBy: string,
  staleMs = STALE_JOB_MS,
): Promise<string> {
  return prisma.$transaction(async (tx) => {
    const sources = await tx.$queryRaw<{ id: string; enabled: boolean }[]>`
      SELECT id, enabled FROM harvest_sources WHERE id = ${sourceId}::uuid FOR UPDATE`;
    const source = sources[0];
    if (!source) throw new NotFoundError(`没有编号为 ${sourceId} 的采集来源`);
    if (!source.enabled) throw new ConflictError('该采集来源已停用，请先启用再运行');
    await failStaleJobs(tx, staleMs, sourceId);
    const jobId = await insertJob(tx, sourceId, 'manual', triggeredBy);
    if (!jobId) throw new ConflictError('该来源正在采集中，请等当前任务结束后再运行');
    await tx.$executeRaw`
      UPDATE harvest_sources
         SET last_job_id = ${jobId}::uuid,
             next_run_at = CASE WHEN interval_minutes IS NULL THEN NULL
                                ELSE now() + interval_minutes * interval '1 minute' END
       WHERE id = ${sourceId}::uuid`;
    return jobId;
  });
}

/**
 * The scheduler's claim: up to `limit` enabled sources whose time has come, each locked with
 * SKIP LOCKED so that several catalog processes ticking together share them out instead of
 * running one twice. A due source still running from its last turn is skipped this time.
 */
export async function claimDueJobs(
  prisma: PrismaClient,
  limit: number,
  staleMs = STALE_JOB_MS,
): Promise<{ jobId: string; sourceId: string }[]> {
  if (limit <= 0) return [];
  return prisma.$transaction(async (tx) => {
    await failStaleJobs(tx, staleMs);
    const due = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM harvest_sources
       WHERE enabled AND interval_minutes IS NOT NULL AND next_run_at <= now()
       ORDER BY next_run_at
       LIMIT ${limit}::int
       FOR UPDATE SKIP LOCKED`;
    const claimed: { jobId: string; sourceId: string }[] = [];
    for (const { id } of due) {
      const jobId = await insertJob(tx, id, 'schedule', 'scheduler');
      await tx.$executeRaw`
        UPDATE harvest_sources
           SET next_run_at = now() + interval_minutes * interval '1 minute',
               last_job_id = coalesce(${jobId}::uuid, last_job_id)
         WHERE id = ${id}::uuid`;
      if (jobId) claimed.push({ jobId, sourceId: id });
    }
    return claimed;
  });
}
