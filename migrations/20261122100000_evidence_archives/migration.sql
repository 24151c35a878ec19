-- 存证归档: evidence archiving (docs/adr/0005-evidence-log.md, "Archiving"; `npm run
-- evidence:archive`). The entries up to a signed checkpoint are written to an archive file,
-- the file is checked, and only then are they removed from `evidence_entries`; each archive
-- leaves one row here. The chain then continues from the last row's anchor: verification walks
-- the entries after `through_seq`, starting from `hash`, and checks `checkpoint`'s signature.
CREATE TABLE evidence_archives (
  -- the last entry archived; the anchor the chain continues from
  through_seq     bigint PRIMARY KEY CHECK (through_seq > 0),
  -- the first entry archived (the previous archive's through_seq + 1, or 1)
  from_seq        bigint NOT NULL CHECK (from_seq > 0 AND from_seq <= through_seq),
  -- the hash of entry through_seq
  hash            char(64) NOT NULL,
  -- the signed checkpoint (compact JWS, typ evidence-checkpoint+jws) of (through_seq, hash)
  checkpoint      text NOT NULL,
  -- SHA-256 (hex) of the archive file as written
  archive_sha256  char(64) NOT NULL,
  -- the file's name when it was written (where it went afterwards is the operator's record)
  archive_name    varchar(500) NOT NULL,
  archived_at     timestamptz(3) NOT NULL DEFAULT now(),
  -- the database role and operating-system user that ran the archive
  archived_by     varchar(300) NOT NULL
);

-- Archive rows are as permanent as the entries they replace.
CREATE FUNCTION evidence_archives_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'evidence_archives is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER evidence_archives_no_update_delete
  BEFORE UPDATE OR DELETE ON evidence_archives
  FOR EACH ROW EXECUTE FUNCTION evidence_archives_append_only();
CREATE TRIGGER evidence_archives_no_truncate
  BEFORE TRUNCATE ON evidence_archives
  FOR EACH STATEMENT EXECUTE FUNCTION evidence_archives_append_only();

-- Entries stay append-only, except that an entry an archive covers may be deleted (the archive
-- command does so once its file is written and checked). Everything else is refused as before.
CREATE OR REPLACE FUNCTION evidence_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND OLD.seq <= (SELECT coalesce(max(through_seq), 0) FROM evidence_archives) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'evidence_entries is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
