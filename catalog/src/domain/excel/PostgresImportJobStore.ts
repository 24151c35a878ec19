import type { PrismaClient } from '@gx/migrations';
import type { ImportResult } from './importWorkbook.ts';
import {
  JOB_RETENTION_MS,
  STALE_JOB_DETAIL,
  STALE_JOB_MS,
  type ImportJob,
  type ImportJobStore,
  type ImportJobUpdate,
  type NewImportJob,
} from './importJobs.ts';
import type { WorkbookProblem } from './workbookProblems.ts';

interface JobRow {
  id: string;
  owner_subject: string;
  department_code: string;
  file_size: number;
  dry_run: boolean;
  status: ImportJob['status'];
  phase: ImportJob['phase'];
  processed_rows: number;
  total_rows: number | null;
  errors: WorkbookProblem[];
  result: ImportResult | null;
  detail: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

function fromRow(row: JobRow): ImportJob {
  return {
    id: row.id,
    ownerSubject: row.owner_subject,
    departmentCode: row.department_code,
    fileSize: row.file_size,
    dryRun: row.dry_run,
    status: row.status,
    phase: row.phase,
    processedRows: row.processed_rows,
    totalRows: row.total_rows,
    errors: row.errors,
    result: row.result,
    detail: row.detail,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

/**
 * Import jobs in PostgreSQL (table `excel_import_jobs`), so that a poll answered by any catalog
 * process sees the progress written by the process that runs the job. The runner's updates are
 * its heartbeat: a queued or running job not updated for `staleAfterMs` lost its process (its
 * transaction was rolled back with its connection) and is reported failed.
 */
export class PostgresImportJobStore implements ImportJobStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly staleAfterMs = STALE_JOB_MS,
  ) {}

  async create(job: NewImportJob): Promise<ImportJob> {
    await this.prisma.$executeRaw`
      DELETE FROM excel_import_jobs
       WHERE finished_at < now() - make_interval(secs => ${JOB_RETENTION_MS / 1000})`;
    const rows = await this.prisma.$queryRaw<JobRow[]>`
      INSERT INTO excel_import_jobs (owner_subject, department_code, file_size, dry_run)
      VALUES (${job.ownerSubject}, ${job.departmentCode}, ${job.fileSize}, ${job.dryRun})
      RETURNING *`;
    return fromRow(rows[0]!);
  }

  async update(id: string, update: ImportJobUpdate): Promise<void> {
    const has = (key: keyof ImportJobUpdate) => update[key] !== undefined;
    await this.prisma.$executeRaw`
      UPDATE excel_import_jobs SET
        status = CASE WHEN ${has('status')} THEN ${update.status ?? null}::varchar ELSE status END,
        phase = CASE WHEN ${has('phase')} THEN ${update.phase ?? null}::varchar ELSE phase END,
        processed_rows = CASE WHEN ${has('processedRows')} THEN ${update.processedRows ?? 0}::int ELSE processed_rows END,
        total_rows = CASE WHEN ${has('totalRows')} THEN ${update.totalRows ?? null}::int ELSE total_rows END,
        errors = CASE WHEN ${has('errors')} THEN ${JSON.stringify(update.errors ?? [])}::jsonb ELSE errors END,
        result = CASE WHEN ${has('result')} THEN ${update.result ? JSON.stringify(update.result) : null}::jsonb ELSE result END,
        detail = CASE WHEN ${has('detail')} THEN ${update.detail ?? null}::text ELSE detail END,
        finished_at = CASE WHEN ${update.finished === true} THEN now() ELSE finished_at END,
        updated_at = now()
      WHERE id = ${id}::uuid`;
  }

  async get(id: string, ownerSubject: string): Promise<ImportJob | undefined> {
    await this.prisma.$executeRaw`
      UPDATE excel_import_jobs
         SET status = 'failed', detail = ${STALE_JOB_DETAIL}, finished_at = now(), updated_at = now()
       WHERE id = ${id}::uuid AND status IN ('queued', 'running')
         AND updated_at < now() - make_interval(secs => ${this.staleAfterMs / 1000})`;
    const rows = await this.prisma.$queryRaw<JobRow[]>`
      SELECT * FROM excel_import_jobs WHERE id = ${id}::uuid AND owner_subject = ${ownerSubject}`;
    return rows[0] ? fromRow(rows[0]) : undefined;
  }
}
