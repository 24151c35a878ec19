-- Record deletion (ADR 0012): a provider can delete hosted records, and every consumer that could
-- see a deleted record hears of it — SSE subscribers as `event: removed`, connector sinks as a
-- tombstone on their grant's delivery stream.
--
-- Deleting a record removes its row from `records`; the data is kept nowhere, which is the
-- point. What remains is one row here per deletion: the key, its place in the resource's change
-- feed, and, for each grant whose row filter admitted the deleted version, the record's key
-- fields as that grant's policy shapes them (what the grant's consumer already holds: a masked
-- or pseudonymised key stays so). A grant that could not see the record is not in `grants` and
-- is told nothing: a removal must not disclose that a key it never saw existed.
CREATE TABLE record_deletions (
  resource_id uuid NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  record_key  text NOT NULL,
  -- from record_change_seq, under the resource's advisory lock, like records.change_seq
  change_seq  bigint NOT NULL,
  -- { "<grant id>": { <key field>: <shaped value>, … }, … }
  grants      jsonb NOT NULL DEFAULT '{}',
  deleted_at  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (resource_id, change_seq)
);
-- a key's latest deletion (connector enforcement answers a relayed tombstone with it)
CREATE INDEX record_deletions_resource_key_idx ON record_deletions (resource_id, record_key, change_seq);

-- The same ordering rule as records_track_change (migration 20261121080000_record_changes):
-- the resource's writers are serialised by a transaction-scoped advisory lock taken before the
-- number is drawn, so a subscriber reading "change_seq > N" over records and deletions never
-- sees a smaller number commit behind it. Subscribers are woken at commit.
CREATE FUNCTION record_deletions_track_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(1919, hashtext(NEW.resource_id::text));
  NEW.change_seq := nextval('record_change_seq');
  PERFORM pg_notify('records_changed', NEW.resource_id::text);
  RETURN NEW;
END
$$;
CREATE TRIGGER record_deletions_track_change
  BEFORE INSERT ON record_deletions
  FOR EACH ROW EXECUTE FUNCTION record_deletions_track_change();

-- Deletions written on the exchange side reach the connector sinks through the outbox as well
-- (migration 20261124090000_record_outbox): a row with `deleted` and no data. Enforcement reads
-- the key's deletion above and puts a tombstone on each listed grant's delivery stream.
ALTER TABLE record_outbox ADD COLUMN deleted boolean NOT NULL DEFAULT false;
ALTER TABLE record_outbox DROP CONSTRAINT record_outbox_marker_or_data;
ALTER TABLE record_outbox
  ADD CONSTRAINT record_outbox_one_kind
  CHECK ((data IS NOT NULL)::int + (initial_load_grant IS NOT NULL)::int + deleted::int = 1);

-- Deletions are evidence: widen the evidence log's operations by one.
ALTER TABLE evidence_entries DROP CONSTRAINT evidence_entries_operation_check;
ALTER TABLE evidence_entries ADD CONSTRAINT evidence_entries_operation_check
  CHECK (operation IN ('query', 'get', 'verify', 'export', 'subscription-delivery', 'ingest',
                       'request', 'grant-change', 'refusal', 'open-data', 'objection', 'delete'));
