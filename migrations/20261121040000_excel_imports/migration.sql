-- 后台 Excel 导入任务: progress and outcome of one workbook import, so that any catalog process
-- can answer a poll. The workbook itself is not stored: the process that accepted it runs it.
CREATE TABLE excel_import_jobs (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- `sub` of the person who started the job; nobody else sees it
  owner_subject    varchar(200) NOT NULL,
  department_code  varchar(64) NOT NULL,
  file_size        integer NOT NULL CHECK (file_size >= 0),
  dry_run          boolean NOT NULL DEFAULT false,
  status           varchar(16) NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  phase            varchar(16) CHECK (phase IN ('reading', 'validating', 'writing')),
  processed_rows   integer NOT NULL DEFAULT 0,
  total_rows       integer,
  -- every problem of a refused file: [{ path, message, sheet, row, column, header }]
  errors           jsonb NOT NULL DEFAULT '[]',
  result           jsonb,
  detail           text,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  -- the runner's heartbeat: a queued or running job not updated for 2 minutes lost its process
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  finished_at      timestamptz(3)
);
CREATE INDEX excel_import_jobs_finished_at_idx ON excel_import_jobs (finished_at);
