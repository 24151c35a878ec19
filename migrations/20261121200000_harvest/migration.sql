-- Harvesting (采集) other catalogues, so that catalogues cascade (上下级目录级联): a province
-- instance harvests a city instance's CKAN Action API or DCAT-AP catalogue. Harvested entries
-- are ordinary directory entries (search, DCAT, CKAN and the portal show them with no special
-- path), marked by the source they came from and read-only here.

-- A catalogue this one harvests.
CREATE TABLE harvest_sources (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                 varchar(100) NOT NULL UNIQUE,
  -- ckan: `url` is the CKAN site's base (the Action API lives under /api/3/action);
  -- dcat: `url` is the DCAT-AP catalogue document (Turtle or JSON-LD, Hydra-paged)
  type                 varchar(8) NOT NULL CHECK (type IN ('ckan', 'dcat')),
  url                  varchar(2000) NOT NULL CHECK (url ~ '^https?://'),
  -- where harvested entries are placed: departments created for remote publishers belong here
  region_id            uuid NOT NULL REFERENCES regions (id) ON DELETE RESTRICT,
  -- theme of an entry whose remote theme matches no local theme
  fallback_theme_code  varchar(32) NOT NULL REFERENCES themes (code),
  -- schedule; null = run by hand only
  interval_minutes     integer CHECK (interval_minutes IS NULL OR interval_minutes BETWEEN 5 AND 44640),
  enabled              boolean NOT NULL DEFAULT true,
  -- when the scheduler next runs it (null: not scheduled)
  next_run_at          timestamptz(3),
  created_by           varchar(100) NOT NULL,
  created_at           timestamptz(3) NOT NULL DEFAULT now(),
  updated_at           timestamptz(3) NOT NULL DEFAULT now(),
  last_job_id          uuid
);
CREATE INDEX harvest_sources_next_run_at_idx ON harvest_sources (next_run_at) WHERE enabled;

-- One run of a source: a walk of the remote catalogue.
CREATE TABLE harvest_jobs (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source_id        uuid NOT NULL REFERENCES harvest_sources (id) ON DELETE CASCADE,
  -- manual (POST …/run) | schedule
  trigger          varchar(16) NOT NULL CHECK (trigger IN ('manual', 'schedule')),
  triggered_by     varchar(100) NOT NULL,
  -- succeeded: complete walk, every item written; partial: some items failed or the walk broke
  -- off after some pages; failed: nothing could be read. Only a complete walk withdraws.
  status           varchar(16) NOT NULL DEFAULT 'running'
                   CHECK (status IN ('running', 'succeeded', 'failed', 'partial')),
  started_at       timestamptz(3) NOT NULL DEFAULT now(),
  -- the running process touches the job; a running job untouched for minutes lost its process
  heartbeat_at     timestamptz(3) NOT NULL DEFAULT now(),
  finished_at      timestamptz(3),
  pages            integer NOT NULL DEFAULT 0,
  created_count    integer NOT NULL DEFAULT 0,
  updated_count    integer NOT NULL DEFAULT 0,
  unchanged_count  integer NOT NULL DEFAULT 0,
  withdrawn_count  integer NOT NULL DEFAULT 0,
  failed_count     integer NOT NULL DEFAULT 0,
  error            text
);
-- at most one running job per source, whichever process started it
CREATE UNIQUE INDEX harvest_jobs_one_running_per_source ON harvest_jobs (source_id) WHERE status = 'running';
CREATE INDEX harvest_jobs_source_id_idx ON harvest_jobs (source_id, started_at);

ALTER TABLE harvest_sources
  ADD CONSTRAINT harvest_sources_last_job_id_fkey
  FOREIGN KEY (last_job_id) REFERENCES harvest_jobs (id) ON DELETE SET NULL;

-- What a job did with each remote entry.
CREATE TABLE harvest_job_items (
  id             bigserial PRIMARY KEY,
  job_id         uuid NOT NULL REFERENCES harvest_jobs (id) ON DELETE CASCADE,
  -- the remote identity (CKAN extras uri / identifier / name; DCAT dct:identifier / IRI)
  identifier     text,
  -- CKAN package id, DCAT dataset IRI
  remote_id      text,
  action         varchar(16) NOT NULL
                 CHECK (action IN ('created', 'updated', 'unchanged', 'withdrawn', 'failed')),
  resource_code  varchar(40),
  message        text,
  at             timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX harvest_job_items_job_id_idx ON harvest_job_items (job_id, id);

-- Harvested entries: their source, remote identity, link and content hash. Deleting a source
-- deletes its entries first (the application does), so the key restricts.
ALTER TABLE resources
  ADD COLUMN harvest_source_id   uuid REFERENCES harvest_sources (id) ON DELETE RESTRICT,
  ADD COLUMN harvest_identifier  varchar(2000),
  ADD COLUMN harvest_remote_id   varchar(2000),
  ADD COLUMN harvest_source_url  varchar(2000),
  -- SHA-256 of the normalised remote entry: an unchanged entry is not written again
  ADD COLUMN harvest_hash        char(64),
  -- when the local copy was last written from its source
  ADD COLUMN harvested_at        timestamptz(3),
  ADD CONSTRAINT resources_harvest_identity
    CHECK ((harvest_source_id IS NULL) = (harvest_identifier IS NULL)),
  ADD CONSTRAINT resources_harvest_source_id_harvest_identifier_key
    UNIQUE (harvest_source_id, harvest_identifier);
CREATE INDEX resources_harvest_remote_id_idx ON resources (harvest_source_id, harvest_remote_id);

-- Numbers of the codes given to harvested entries whose remote code cannot be kept (not of our
-- shape, taken here, or outside their local publisher's numbering): `<class>-Z<8 digits>-<6
-- digits>`. No 统一社会信用代码 contains a Z, so these never meet a code a department assigns.
CREATE SEQUENCE harvest_code_seq;

-- Departments created for remote publishers that match no local department. A remote publisher
-- may not state its 统一社会信用代码 (a plain CKAN organisation has none): only such harvested
-- departments may lack one.
ALTER TABLE departments
  ADD COLUMN harvest_source_id uuid REFERENCES harvest_sources (id) ON DELETE RESTRICT;
ALTER TABLE departments ALTER COLUMN unified_social_credit_code DROP NOT NULL;
ALTER TABLE departments
  ADD CONSTRAINT departments_local_have_credit_code
    CHECK (unified_social_credit_code IS NOT NULL OR harvest_source_id IS NOT NULL);
CREATE INDEX departments_harvest_source_id_idx ON departments (harvest_source_id);
CREATE INDEX departments_name_idx ON departments (name);
