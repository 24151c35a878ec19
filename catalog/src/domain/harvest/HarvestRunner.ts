import type { PrismaClient } from '@gx/migrations';
import { authorize, NotFoundError, type Actor, type Logger } from '@gx/platform';
import { actorName } from '../resources/actorName.ts';
import { claimDueJobs, claimManualJob, STALE_JOB_MS } from './claimHarvestJobs.ts';
import { createRemoteFetcher } from './fetchRemote.ts';
import { harvestJobView, type HarvestJobView } from './harvestViews.ts';
import { runHarvestJob } from './runHarvestJob.ts';

export interface HarvestRunnerOptions {
  prisma: PrismaClient;
  logger: Logger;
  /** time limit of one request to a source */
  fetchTimeoutMs?: number;
  /** largest document accepted from a source */
  maxDocumentBytes?: number;
  /** scheduled jobs this process runs at once (manual runs are not held back) */
  concurrency?: number;
  /** how often a running job is touched, so that other processes do not take it for dead */
  heartbeatMs?: number;
  staleMs?: number;
}

interface ActiveJob {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Runs harvest jobs in the background of this catalog process: an admin's "run now" (answered
 * 202 with the job at once) and the scheduler's due sources. Which process runs a source is
 * decided in the database (claimHarvestJobs), so any number of catalog processes can share the
 * work; the job row, its heartbeat and its item log are what every process reads.
 */
export class HarvestRunner {
  private readonly prisma: PrismaClient;
  private readonly logger: Logger;
  private readonly fetchTimeoutMs: number;
  private readonly maxDocumentBytes: number;
  private readonly concurrency: number;
  private readonly heartbeatMs: number;
  private readonly staleMs: number;
  private readonly active = new Map<string, ActiveJob>();
  private stopping = false;

  constructor(options: HarvestRunnerOptions) {
    this.prisma = options.prisma;
    this.logger = options.logger;
    this.fetchTimeoutMs = options.fetchTimeoutMs ?? 30_000;
    this.maxDocumentBytes = options.maxDocumentBytes ?? 20 * 1024 * 1024;
    this.concurrency = options.concurrency ?? 2;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.staleMs = options.staleMs ?? STALE_JOB_MS;
  }

  /** `POST /v1/harvest-sources/{id}/run`: the platform admin harvests a source now. */
  async runNow({ actor, sourceId }: { actor: Actor; sourceId: string }): Promise<HarvestJobView> {
    authorize(actor, 'harvest.manage', {}, 'write');
    const jobId = await claimManualJob(this.prisma, sourceId, actorName(actor).actor, this.staleMs);
    this.start(jobId, sourceId);
    const job = await this.prisma.harvestJob.findUnique({ where: { id: jobId } });
    if (!job) throw new NotFoundError(`没有编号为 ${jobId} 的采集任务`);
    return harvestJobView(job);
  }

  /** The scheduler's tick: claim the due sources this process has room for and run them. */
  async runDue(): Promise<number> {
    if (this.stopping) return 0;
    const room = this.concurrency - this.active.size;
    const claimed = await claimDueJobs(this.prisma, room, this.staleMs);
    for (const { jobId, sourceId } of claimed) this.start(jobId, sourceId);
    return claimed.length;
  }

  /** Resolves when no job of this process is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size > 0)
      await Promise.allSettled([...this.active.values()].map((a) => a.done));
  }

  /** Abort the running jobs (they end failed and withdraw nothing) and wait for them. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const job of this.active.values()) job.controller.abort();
    await this.idle();
  }

  private start(jobId: string, sourceId: string): void {
    const { prisma, logger } = this;
    const controller = new AbortController();
    const heartbeat = setInterval(() => {
      prisma.harvestJob
        .updateMany({ where: { id: jobId, status: 'running' }, data: { heartbeatAt: new Date() } })
        .catch(() => undefined);
    }, this.heartbeatMs);
    heartbeat.unref();
    const done = (async () => {
      const source = await prisma.harvestSource.findUniqueOrThrow({ where: { id: sourceId } });
      const status = await runHarvestJob({
        prisma,
        jobId,
        source,
        signal: controller.signal,
        fetcher: createRemoteFetcher({
          timeoutMs: this.fetchTimeoutMs,
          maxBytes: this.maxDocumentBytes,
          signal: controller.signal,
        }),
      });
      logger.info({ jobId, source: source.name, status }, 'harvest job finished');
    })()
      .catch(async (error: unknown) => {
        logger.error({ err: error, jobId }, 'harvest job failed');
        await prisma.harvestJob
          .updateMany({
            where: { id: jobId, status: 'running' },
            data: {
              status: 'failed',
              finishedAt: new Date(),
              error: '采集任务意外中断，本次采集不完整，未下线任何条目',
            },
          })
          .catch(() => undefined);
      })
      .finally(() => {
        clearInterval(heartbeat);
        this.active.delete(jobId);
      });
    this.active.set(jobId, { controller, done });
  }
}
