-- Change feed of the hosted record store, for subscriptions (GET /v1/grants/{id}/subscription,
-- exchange-api/src/domain/records/subscribeRecords.ts).
--
-- Every write that changes a record's data gives it a new `change_seq` from one sequence; a
-- subscriber resumes with "changes of this resource after seq N" (the SSE Last-Event-ID). The
-- work is done by triggers rather than by each writer, so every path into `records` — the
-- records API's upsert, the demo seed, a COPY fast path, a connector's sink — feeds the same
-- change feed without knowing about it.
CREATE SEQUENCE record_change_seq;
ALTER TABLE records ADD COLUMN change_seq bigint NOT NULL DEFAULT nextval('record_change_seq');
ALTER SEQUENCE record_change_seq OWNED BY records.change_seq;
CREATE INDEX records_resource_id_change_seq_idx ON records (resource_id, change_seq);

-- Sequence values are taken in one order and committed in another: with two concurrent writers
-- of one resource, a subscriber could read seq 10 (committed) and move its position past 9,
-- which commits a moment later and would never be delivered. So writers of one resource are
-- serialised: the first changed row takes a transaction-scoped advisory lock on the resource
-- (class 1919, the resource id hashed) before drawing its number, and keeps it until commit.
-- A transaction's numbers are then all larger than those of every transaction of that resource
-- that committed before it, and all visible before the next one draws any: a reader of
-- "resource = R AND change_seq > N" never sees a gap fill in behind it. Writers of different
-- resources do not wait for each other; a hash collision only serialises two resources.
--
-- An update that leaves the data as it was (a provider's daily full re-push) keeps its number:
-- subscribers are not sent what they already have.
--
-- NOTIFY records_changed '<resource id>' wakes the streams of every API process at commit (one
-- notification per resource and transaction: PostgreSQL folds identical ones).
CREATE FUNCTION records_track_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.data = OLD.data AND NEW.resource_id = OLD.resource_id
     AND NEW.record_key = OLD.record_key THEN
    NEW.change_seq := OLD.change_seq;
    RETURN NEW;
  END IF;
  PERFORM pg_advisory_xact_lock(1919, hashtext(NEW.resource_id::text));
  NEW.change_seq := nextval('record_change_seq');
  PERFORM pg_notify('records_changed', NEW.resource_id::text);
  RETURN NEW;
END
$$;
CREATE TRIGGER records_track_change
  BEFORE INSERT OR UPDATE ON records
  FOR EACH ROW EXECUTE FUNCTION records_track_change();

-- NOTIFY grant_changed '<grant id>' on any change of a grant (suspend, resume, revoke, a new
-- validity…), whoever makes it: running streams on every process re-check their grant at once
-- instead of at their next periodic check. Delivered at commit, so the re-check sees the change.
CREATE FUNCTION grants_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('grant_changed', (CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END)::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER grants_notify_change
  AFTER UPDATE OR DELETE ON grants
  FOR EACH ROW EXECUTE FUNCTION grants_notify_change();
