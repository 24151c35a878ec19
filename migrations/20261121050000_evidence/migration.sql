-- 存证: the hash-chained evidence log of every exchange (docs/adr/0005-evidence-log.md).
--
-- Each entry holds the hash of the one before it; `hash` is SHA-256 over the canonical JSON of
-- the entry's fields (exchange-api/src/domain/evidence/evidenceHash.ts), so changing any stored
-- value, deleting an entry or re-linking one is found by `npm run evidence:verify`.
-- `seq` is assigned by the appender while it holds the chain head's row lock: gapless, in
-- commit order. No foreign keys: evidence outlives the grants, resources and users it names.
CREATE TABLE evidence_entries (
  seq               bigint PRIMARY KEY CHECK (seq > 0),
  id                uuid NOT NULL UNIQUE,
  prev_hash         char(64) NOT NULL,
  hash              char(64) NOT NULL,
  -- when the entry was chained (milliseconds; never earlier than its predecessor's)
  recorded_at       timestamptz(3) NOT NULL,
  -- describeActor(actor): never a credential
  actor             varchar(300) NOT NULL,
  actor_kind        varchar(20) NOT NULL,
  department_code   varchar(64),
  grant_id          varchar(100),
  purpose           varchar(500),
  resource_code     varchar(100),
  operation         varchar(32) NOT NULL
                    CHECK (operation IN ('query', 'get', 'verify', 'export', 'subscription-delivery',
                                         'ingest', 'request', 'grant-change', 'refusal', 'open-data')),
  outcome           varchar(10) NOT NULL CHECK (outcome IN ('ok', 'refused')),
  record_count      bigint NOT NULL CHECK (record_count >= 0),
  -- SHA-256 (hex) of the canonical request: method, path, query, body
  request_hash      char(64) NOT NULL,
  -- SHA-256 (hex) over the canonical JSON lines of what was delivered
  delivered_digest  char(64),
  details           jsonb NOT NULL DEFAULT '{}',
  -- the receipt key (evidence_keys.kid) that signs this entry's receipt
  key_id            varchar(100) NOT NULL
);
-- the listing's filters, newest first
CREATE INDEX evidence_entries_resource_code_seq_idx ON evidence_entries (resource_code, seq);
CREATE INDEX evidence_entries_grant_id_seq_idx ON evidence_entries (grant_id, seq);
CREATE INDEX evidence_entries_department_code_seq_idx ON evidence_entries (department_code, seq);
CREATE INDEX evidence_entries_recorded_at_idx ON evidence_entries (recorded_at);

-- Append-only against mistakes: the application never updates or deletes evidence. This is no
-- defence against the database owner (who can disable triggers); the hash chain is.
CREATE FUNCTION evidence_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'evidence_entries is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER evidence_entries_no_update_delete
  BEFORE UPDATE OR DELETE ON evidence_entries
  FOR EACH ROW EXECUTE FUNCTION evidence_entries_append_only();
CREATE TRIGGER evidence_entries_no_truncate
  BEFORE TRUNCATE ON evidence_entries
  FOR EACH STATEMENT EXECUTE FUNCTION evidence_entries_append_only();

-- The chain head: one row, the last entry's seq and hash. Appenders lock it (SELECT … FOR
-- UPDATE) for the few milliseconds of one batch, which orders the global chain; verification
-- compares the last entry with it, so deleting entries from the end is found too.
CREATE TABLE evidence_chain_head (
  id           smallint PRIMARY KEY CHECK (id = 1),
  seq          bigint NOT NULL CHECK (seq >= 0),
  hash         char(64) NOT NULL,
  recorded_at  timestamptz(3)
);
-- genesis: the first entry's prev_hash is 64 zeros
INSERT INTO evidence_chain_head (id, seq, hash, recorded_at)
VALUES (1, 0, repeat('0', 64), NULL);

-- Ed25519 keys that sign receipts (数据回执), created on first use. The public halves are
-- published at /.well-known/evidence-keys.json; retired keys stay so old receipts verify.
CREATE TABLE evidence_keys (
  kid          varchar(100) PRIMARY KEY,
  algorithm    varchar(20) NOT NULL CHECK (algorithm = 'EdDSA'),
  public_jwk   jsonb NOT NULL,
  private_jwk  jsonb NOT NULL,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  retired_at   timestamptz(3)
);
-- at most one active key, so that processes creating it at once agree on one
CREATE UNIQUE INDEX evidence_keys_one_active ON evidence_keys ((true)) WHERE retired_at IS NULL;
