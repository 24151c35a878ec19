import { randomUUID } from 'node:crypto';
import type { ImportPhase, ImportResult } from './importWorkbook.ts';
import type { WorkbookProblem } from './workbookProblems.ts';

export type ImportJobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** An import running in the background, as its owner polls it. The file itself is not kept. */
export interface ImportJob {
  id: string;
  /** `sub` of the person who started it: nobody else sees it */
  ownerSubject: string;
  departmentCode: string;
  fileSize: number;
  dryRun: boolean;
  status: ImportJobStatus;
  phase: ImportPhase | null;
  processedRows: number;
  totalRows: number | null;
  errors: WorkbookProblem[];
  result: ImportResult | null;
  detail: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export type NewImportJob = Pick<
  ImportJob,
  'ownerSubject' | 'departmentCode' | 'fileSize' | 'dryRun'
>;

/** A change of a job; `updatedAt` is set by the store, and is the runner's heartbeat. */
export type ImportJobUpdate = Partial<
  Pick<
    ImportJob,
    'status' | 'phase' | 'processedRows' | 'totalRows' | 'errors' | 'result' | 'detail'
  >
> & { finished?: boolean };

/** A job that has not moved for this long lost its process: it is reported failed. */
export const STALE_JOB_MS = 2 * 60_000;
export const STALE_JOB_DETAIL = '导入进程已中断（服务重启或故障），未导入任何内容，请重新提交文件';
/** finished jobs are forgotten after a week */
export const JOB_RETENTION_MS = 7 * 24 * 3600_000;

/**
 * Where import jobs live. PostgresImportJobStore lets any catalog process answer a poll (the
 * API runs several stateless processes); InMemoryImportJobStore serves one process only.
 */
export interface ImportJobStore {
  create(job: NewImportJob): Promise<ImportJob>;
  update(id: string, update: ImportJobUpdate): Promise<void>;
  /** the job if `ownerSubject` started it; a job gone stale is marked failed first */
  get(id: string, ownerSubject: string): Promise<ImportJob | undefined>;
}

/**
 * Jobs in this process's memory. Correct only when every poll reaches the process that runs
 * the job (a single catalog process, or sticky sessions); jobs vanish on restart.
 */
export class InMemoryImportJobStore implements ImportJobStore {
  private readonly jobs = new Map<string, ImportJob>();
  constructor(private readonly staleAfterMs = STALE_JOB_MS) {}

  async create(job: NewImportJob): Promise<ImportJob> {
    const now = new Date();
    for (const [id, old] of this.jobs) {
      if (old.finishedAt && now.getTime() - old.finishedAt.getTime() > JOB_RETENTION_MS) {
        this.jobs.delete(id);
      }
    }
    const created: ImportJob = {
      ...job,
      id: randomUUID(),
      status: 'queued',
      phase: null,
      processedRows: 0,
      totalRows: null,
      errors: [],
      result: null,
      detail: null,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
    this.jobs.set(created.id, created);
    return structuredClone(created);
  }

  async update(id: string, { finished, ...changes }: ImportJobUpdate): Promise<void> {
    const job = this.jobs.get(id);
    if (!job) return;
    const now = new Date();
    Object.assign(job, changes, { updatedAt: now }, finished ? { finishedAt: now } : {});
  }

  async get(id: string, ownerSubject: string): Promise<ImportJob | undefined> {
    const job = this.jobs.get(id);
    if (!job || job.ownerSubject !== ownerSubject) return undefined;
    if (
      (job.status === 'queued' || job.status === 'running') &&
      Date.now() - job.updatedAt.getTime() > this.staleAfterMs
    ) {
      await this.update(id, { status: 'failed', detail: STALE_JOB_DETAIL, finished: true });
    }
    return structuredClone(job);
  }
}

/** A job as the API shows it. */
export function importJobView(job: ImportJob) {
  return {
    id: job.id,
    status: job.status,
    phase: job.phase,
    processedRows: job.processedRows,
    totalRows: job.totalRows,
    errors: job.errors,
    result: job.result,
    detail: job.detail,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
