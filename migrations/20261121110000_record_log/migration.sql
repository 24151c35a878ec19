-- The PostgreSQL record log (connectors/src/log/PostgresRecordLog.ts, docs/adr/0006-record-log.md):
-- the embedded default transport of the record log, with the same contract as Kafka. Streams
-- are split into partitions; offsets are dense per partition (0, 1, 2, …) and assigned by the
-- producing transaction while it holds the partition's row lock, so records become visible in
-- offset order and a reader never sees a gap that a slower producer fills later. Retention is
-- not implemented: records stay until an operator deletes them.

CREATE TABLE log_streams (
  id          serial PRIMARY KEY,
  -- a Kafka-legal topic name, so a stream keeps its name on either transport
  name        varchar(249) NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9._-]+$'),
  partitions  integer NOT NULL CHECK (partitions BETWEEN 1 AND 1000),
  created_at  timestamptz(3) NOT NULL DEFAULT now()
);

-- One row per partition: its row lock orders the producers of the partition, `next_offset`
-- is the offset the next record gets (the end offset).
CREATE TABLE log_partitions (
  stream_id    integer NOT NULL REFERENCES log_streams (id) ON DELETE CASCADE,
  partition    integer NOT NULL CHECK (partition >= 0),
  next_offset  bigint NOT NULL DEFAULT 0 CHECK (next_offset >= 0),
  PRIMARY KEY (stream_id, partition)
);

-- The records. No foreign key: the producing transaction already holds the partition row,
-- and a per-row check would cost on the hot path. `value` is bytes; `is_json` says the bytes
-- are the UTF-8 JSON text of a JSON value. `headers` is a flat object of strings (or NULL).
CREATE TABLE log_records (
  stream_id      integer NOT NULL,
  partition      integer NOT NULL,
  record_offset  bigint NOT NULL CHECK (record_offset >= 0),
  record_key     text NOT NULL,
  value          bytea NOT NULL,
  is_json        boolean NOT NULL,
  headers        jsonb,
  produced_at    timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (stream_id, partition, record_offset)
);

-- Live members of consumer groups. A member renews `expires_at` by heartbeat; once it lies
-- in the past (database clock) any member of the group deletes the row, which releases the
-- dead member's partitions (cascade below).
CREATE TABLE log_group_members (
  group_name    varchar(249) NOT NULL,
  member_id     uuid NOT NULL,
  -- the streams (log_streams.id) the member reads
  stream_ids    integer[] NOT NULL,
  -- host and pid, for operators
  client        varchar(200) NOT NULL,
  joined_at     timestamptz(3) NOT NULL DEFAULT now(),
  heartbeat_at  timestamptz(3) NOT NULL DEFAULT now(),
  expires_at    timestamptz(3) NOT NULL,
  PRIMARY KEY (group_name, member_id)
);

-- Which member owns which partition for a group: at most one owner (the primary key). A
-- member reads and commits only partitions it owns here; it releases a partition by deleting
-- the row, and claims a free one by inserting it.
CREATE TABLE log_group_assignments (
  group_name   varchar(249) NOT NULL,
  stream_id    integer NOT NULL,
  partition    integer NOT NULL,
  member_id    uuid NOT NULL,
  assigned_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (group_name, stream_id, partition),
  FOREIGN KEY (group_name, member_id)
    REFERENCES log_group_members (group_name, member_id) ON DELETE CASCADE,
  FOREIGN KEY (stream_id, partition)
    REFERENCES log_partitions (stream_id, partition) ON DELETE CASCADE
);
CREATE INDEX log_group_assignments_member_idx ON log_group_assignments (group_name, member_id);

-- Committed offsets: the next offset the group reads in the partition.
CREATE TABLE log_group_offsets (
  group_name        varchar(249) NOT NULL,
  stream_id         integer NOT NULL,
  partition         integer NOT NULL,
  committed_offset  bigint NOT NULL CHECK (committed_offset >= 0),
  committed_at      timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (group_name, stream_id, partition),
  FOREIGN KEY (stream_id, partition)
    REFERENCES log_partitions (stream_id, partition) ON DELETE CASCADE
);
