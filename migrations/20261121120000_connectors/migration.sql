-- Connectors (connectors/, docs/adr/0007-connectors.md): configuration, source positions,
-- worker membership and task ownership. The records themselves move through the record log
-- (20261121110000_record_log); these tables only say what runs where.

-- A connector is validated JSON configuration. `config` never holds a secret, only references
-- to one (environment variable or file), resolved by the worker that runs the task.
CREATE TABLE connectors (
  name           varchar(100) PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._-]*$'),
  kind           varchar(10) NOT NULL CHECK (kind IN ('source', 'sink')),
  type           varchar(40) NOT NULL,
  department_id  uuid NOT NULL REFERENCES departments (id) ON DELETE RESTRICT,
  -- sources feed a resource's raw stream; sinks read a subscription grant's delivery stream
  resource_id    uuid REFERENCES resources (id) ON DELETE RESTRICT,
  grant_id       uuid REFERENCES grants (id) ON DELETE RESTRICT,
  config         jsonb NOT NULL,
  -- running | paused (tasks keep their place, do nothing) | stopped (tasks released, offsets
  -- may be reset)
  state          varchar(10) NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'paused', 'stopped')),
  -- bumped by every config change and restart: workers rebuild the task
  generation     integer NOT NULL DEFAULT 1,
  created_by     varchar(100) NOT NULL,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  CHECK ((kind = 'source' AND resource_id IS NOT NULL AND grant_id IS NULL)
      OR (kind = 'sink' AND grant_id IS NOT NULL))
);
CREATE INDEX connectors_department_idx ON connectors (department_id);

-- Where a source connector has got to in its system (a key and timestamp, a file and line, a
-- page URL and ETag…): written after the records it covers are stored in the record log.
CREATE TABLE connector_source_positions (
  connector   varchar(100) PRIMARY KEY REFERENCES connectors (name) ON DELETE CASCADE ON UPDATE CASCADE,
  position    jsonb NOT NULL,
  updated_at  timestamptz(3) NOT NULL DEFAULT now()
);

-- Live connector workers. A worker renews `expires_at` by heartbeat; once it lies in the past
-- (database clock) any worker deletes the row, and the dead worker's tasks go with it.
CREATE TABLE connect_workers (
  id            uuid PRIMARY KEY,
  client        varchar(200) NOT NULL,
  started_at    timestamptz(3) NOT NULL DEFAULT now(),
  heartbeat_at  timestamptz(3) NOT NULL DEFAULT now(),
  expires_at    timestamptz(3) NOT NULL
);

-- Which worker runs which task. Source tasks have one owner (the primary key); the tasks of
-- sinks and of enforcement are consumer-group members, one row per worker that runs one.
CREATE TABLE connector_tasks (
  task          varchar(200) NOT NULL,
  worker_id     uuid NOT NULL REFERENCES connect_workers (id) ON DELETE CASCADE,
  connector     varchar(100) REFERENCES connectors (name) ON DELETE CASCADE ON UPDATE CASCADE,
  -- running | failed
  state         varchar(10) NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'failed')),
  last_error    text,
  last_error_at timestamptz(3),
  updated_at    timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (task, worker_id)
);
CREATE UNIQUE INDEX connector_tasks_source_owner ON connector_tasks (task) WHERE task LIKE 'source:%';
CREATE INDEX connector_tasks_connector_idx ON connector_tasks (connector);

-- NOTIFY connectors_changed '<name>' whenever a connector is created, changed or deleted:
-- workers react at once instead of at their next periodic look.
CREATE FUNCTION connectors_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('connectors_changed', CASE TG_OP WHEN 'DELETE' THEN OLD.name ELSE NEW.name END);
  RETURN NULL;
END
$$;
CREATE TRIGGER connectors_notify_change
  AFTER INSERT OR UPDATE OR DELETE ON connectors
  FOR EACH ROW EXECUTE FUNCTION connectors_notify_change();
