-- A record that leaves a grant's view (ADR 0012): a change the grant's row filter no longer
-- admits (a person moves from 西湖区 to 上城区 under a 西湖区 grant). The grant's consumer holds
-- the last version it was allowed to see, which is now stale and no longer its to keep; it is
-- told to remove it exactly as for a deletion. So the writer notes it in record_deletions, after
-- the change and in its transaction, with the grants whose filter admitted the stored version
-- and rejects the new one (the key fields as each grant's policy shapes them); SSE subscribers
-- of those grants get `event: removed`, their connector sinks a tombstone. The record itself
-- stays in `records`. `kind` says which of the two a row is.
ALTER TABLE record_deletions
  ADD COLUMN kind varchar(8) NOT NULL DEFAULT 'deleted' CHECK (kind IN ('deleted', 'left'));
