-- Records written on the exchange side reach the connectors' delivery streams too.
--
-- Connector sinks are fed by enforcement, which reads a resource's raw stream. A record a
-- provider pushes through the records API (POST /v1/resources/{code}/records) or corrects from
-- an objection (POST /v1/objections/{id}/record) is written straight into the hosted store, so
-- it never passed through a raw stream and a consumer's sink never received it. Now such a
-- write also puts the record in this outbox, in the same transaction (upsertHostedRecords), when
-- the resource has connectors; a connector worker's relay (ExchangeWritesRelay) moves the rows
-- to the resource's raw stream in id order and deletes them in one transaction once the log
-- holds them. Enforcement then treats them like any raw record: it validates, stores (no change:
-- the store already holds them), applies each subscription grant's policy and delivers.
--
-- Order: a row is inserted after the record's update in the same transaction, and the record's
-- row lock is held until commit, so the outbox rows of one record key are numbered in the order
-- their writes committed.
CREATE TABLE record_outbox (
  id          bigserial PRIMARY KEY,
  resource_id uuid NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  record_key  text NOT NULL,
  data        jsonb NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now()
);

-- wakes the relay of every connector worker at commit (one notification per transaction)
CREATE FUNCTION record_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('record_outbox', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER record_outbox_notify
  AFTER INSERT ON record_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION record_outbox_notify();
