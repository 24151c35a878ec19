-- A retention for record_deletions (ADR 0012). A deletion leaves the key behind (for instance a
-- person's ID number) and, per grant that could see the record, the key fields as that grant's
-- consumer knows them. They are kept only as long as a consumer may still need to hear of the
-- deletion: `RECORD_DELETION_RETENTION_HOURS` (exchange-api), then purged.
--
-- What a purge takes away is remembered per resource as a horizon: the highest change number
-- purged. An SSE subscriber resuming from an event id below it may have missed a removal that no
-- longer exists, so it is told to resynchronise (410 /problems/resync-required) rather than
-- left holding a record the provider deleted. A stream already running is ended the same way
-- once a purge has reached deletions made after it started (`deleted_through`), which takes a
-- stream that lags by more than the retention.
CREATE TABLE record_deletion_horizons (
  resource_id        uuid PRIMARY KEY REFERENCES resources (id) ON DELETE CASCADE,
  -- the highest change number purged
  purged_through_seq bigint NOT NULL,
  -- the latest deleted_at purged
  deleted_through    timestamptz(3) NOT NULL,
  purged_at          timestamptz(3) NOT NULL DEFAULT now()
);

-- the purge looks for deletions older than the retention
CREATE INDEX record_deletions_deleted_at_idx ON record_deletions (deleted_at);
