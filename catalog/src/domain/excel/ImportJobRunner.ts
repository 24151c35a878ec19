import type { PrismaClient } from '@gx/migrations';
import {
  authorize,
  DomainError,
  NotFoundError,
  requirePrincipalActor,
  type Actor,
} from '@gx/platform';
import type { ImportJob, ImportJobStore, ImportJobUpdate } from './importJobs.ts';
import { importWorkbook, type ImportProgress } from './importWorkbook.ts';
import { WorkbookRejectedError } from './workbookProblems.ts';

export interface ImportJobRunnerOptions {
  prisma: PrismaClient;
  jobs: ImportJobStore;
  /** imports running at once in this process; later ones wait as `queued` */
  concurrency?: number;
  /** progress is written at most this often (plus at every phase change) */
  progressIntervalMs?: number;
  /** a queued or running job is touched this often, so that it is not taken for stale */
  heartbeatMs?: number;
  /** an error that is not the file's fault: the job fails with a generic message */
  onUnexpectedError?: (error: unknown, jobId: string) => void;
}

export interface StartImportOptions {
  actor: Actor;
  file: Buffer;
  dryRun?: boolean;
}

/**
 * Runs workbook imports in the background of this process and records their progress in an
 * ImportJobStore, so that a steward uploading a large file gets an answer at once and can
 * watch `processedRows` grow. The import itself is `importWorkbook`: all or nothing.
 */
export class ImportJobRunner {
  private readonly options: Required<Omit<ImportJobRunnerOptions, 'onUnexpectedError'>> &
    Pick<ImportJobRunnerOptions, 'onUnexpectedError'>;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly active = new Set<Promise<void>>();

  constructor(options: ImportJobRunnerOptions) {
    this.options = {
      concurrency: 2,
      progressIntervalMs: 500,
      heartbeatMs: 20_000,
      ...options,
    };
  }

  /** Accept a file: the caller must be a steward; the job starts when a slot is free. */
  async start({ actor, file, dryRun = false }: StartImportOptions): Promise<ImportJob> {
    const principal = requirePrincipalActor(actor);
    authorize(actor, 'resource.manage', { departmentCode: principal.departmentCode }, 'write');
    const job = await this.options.jobs.create({
      ownerSubject: principal.subject,
      departmentCode: principal.departmentCode!,
      fileSize: file.length,
      dryRun,
    });
    const run = this.run(job.id, actor, file, dryRun).finally(() => this.active.delete(run));
    this.active.add(run);
    return job;
  }

  /** The job, if `actor` started it; otherwise 404, as if it did not exist. */
  async get(id: string, actor: Actor): Promise<ImportJob> {
    const principal = requirePrincipalActor(actor);
    const job = await this.options.jobs.get(id, principal.subject);
    if (!job) throw new NotFoundError(`没有编号为 ${id} 的导入任务`);
    return job;
  }

  /** Resolves when no job of this runner is queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  /** Wait for a free slot; the release hands the slot straight to the next waiting job. */
  private async slot(): Promise<() => void> {
    if (this.running < this.options.concurrency) this.running += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    return () => {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    };
  }

  private async run(id: string, actor: Actor, file: Buffer, dryRun: boolean): Promise<void> {
    const { jobs } = this.options;
    // updates are chained so that they reach the store in order
    let chain: Promise<void> = Promise.resolve();
    const write = (update: ImportJobUpdate) => {
      chain = chain.then(() => jobs.update(id, update)).catch(() => undefined);
      return chain;
    };
    const heartbeat = setInterval(() => void write({}), this.options.heartbeatMs);
    heartbeat.unref();
    let release: (() => void) | undefined;
    try {
      release = await this.slot();
      await write({ status: 'running' });
      let last: ImportProgress | undefined;
      let lastWrite = 0;
      const onProgress = (progress: ImportProgress) => {
        const now = Date.now();
        if (
          last?.phase !== progress.phase ||
          progress.processedRows === progress.totalRows ||
          now - lastWrite >= this.options.progressIntervalMs
        ) {
          lastWrite = now;
          void write({ ...progress });
        }
        last = progress;
      };
      const result = await importWorkbook({
        prisma: this.options.prisma,
        actor,
        file,
        dryRun,
        cellValues: true,
        onProgress,
      });
      await write({
        status: 'succeeded',
        phase: null,
        processedRows: last?.processedRows ?? 0,
        result,
        finished: true,
      });
    } catch (error) {
      await write(failure(error, id, this.options.onUnexpectedError));
    } finally {
      clearInterval(heartbeat);
      release?.();
      await chain;
    }
  }
}

function failure(
  error: unknown,
  jobId: string,
  onUnexpectedError: ImportJobRunnerOptions['onUnexpectedError'],
): ImportJobUpdate {
  if (error instanceof WorkbookRejectedError) {
    return {
      status: 'failed',
      phase: null,
      errors: error.problems,
      detail: error.message,
      finished: true,
    };
  }
  if (error instanceof DomainError) {
    const first = (error.extensions.errors as { message?: string }[] | undefined)?.[0]?.message;
    return {
      status: 'failed',
      phase: null,
      detail: first ? `${error.message}（${first}）` : error.message,
      finished: true,
    };
  }
  onUnexpectedError?.(error, jobId);
  return {
    status: 'failed',
    phase: null,
    detail: '导入时发生意外错误，未导入任何内容；错误已记录，请稍后重试或联系管理员',
    finished: true,
  };
}
