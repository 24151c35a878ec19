import type { PrismaClient } from '@gx/migrations';

export type ItemAction = 'created' | 'updated' | 'unchanged' | 'withdrawn' | 'failed';

export interface ItemLogEntry {
  action: ItemAction;
  identifier: string | null;
  remoteId: string | null;
  resourceCode?: string | null;
  message?: string | null;
}

export type JobCounts = Record<ItemAction, number>;

/** items written per batch; the job's counts and heartbeat are refreshed with each batch */
const BATCH = 200;

/**
 * The per-item log of one job and its running counts. Items are written in batches, each with
 * the job's counters, so that an admin watching the job sees it progress.
 */
export class HarvestJobLog {
  readonly counts: JobCounts = { created: 0, updated: 0, unchanged: 0, withdrawn: 0, failed: 0 };
  pages = 0;
  private buffer: (ItemLogEntry & { at: Date })[] = [];

  constructor(
    private readonly prisma: PrismaClient,
    private readonly jobId: string,
  ) {}

  async add(entry: ItemLogEntry): Promise<void> {
    this.counts[entry.action] += 1;
    this.buffer.push({ ...entry, at: new Date() });
    if (this.buffer.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    const rows = this.buffer;
    this.buffer = [];
    if (rows.length > 0) {
      await this.prisma.harvestJobItem.createMany({
        data: rows.map((r) => ({
          jobId: this.jobId,
          action: r.action,
          identifier: r.identifier,
          remoteId: r.remoteId,
          resourceCode: r.resourceCode ?? null,
          message: r.message ?? null,
          at: r.at,
        })),
      });
    }
    await this.prisma.harvestJob.update({
      where: { id: this.jobId },
      data: { ...this.countColumns(), pages: this.pages, heartbeatAt: new Date() },
    });
  }

  countColumns() {
    return {
      createdCount: this.counts.created,
      updatedCount: this.counts.updated,
      unchangedCount: this.counts.unchanged,
      withdrawnCount: this.counts.withdrawn,
      failedCount: this.counts.failed,
    };
  }
}
