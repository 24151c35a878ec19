-- 存证链自动校验: the results of the exchange API's scheduled verifications of the evidence
-- chain (exchange-api/src/domain/evidence/EvidenceWatch.ts, docs/adr/0005-evidence-log.md).
-- A pass walks the chain (in full once a day, otherwise on from the signed checkpoint of the
-- last pass that found it intact) and leaves one row; the console and
-- GET /v1/evidence/verification read the latest instead of walking the chain on every view,
-- and /metrics reports it (gx_evidence_chain_intact).
CREATE TABLE evidence_verifications (
  id            bigserial PRIMARY KEY,
  checked_at    timestamptz(3) NOT NULL DEFAULT now(),
  kind          varchar(12) NOT NULL CHECK (kind IN ('full', 'incremental')),
  ok            boolean NOT NULL,
  -- entries walked: all of them (after the archive anchor), or those after since_seq
  entries       bigint NOT NULL CHECK (entries >= 0),
  -- incremental: the walk began after this entry (the head of the checkpoint it started from)
  since_seq     bigint,
  -- entries up to this one were archived (npm run evidence:archive): the walk began after them
  archived_through_seq bigint,
  head_seq      bigint NOT NULL,
  head_hash     char(64) NOT NULL,
  -- the head signed before the walk (compact JWS); when ok, the next incremental pass starts here
  checkpoint    text NOT NULL,
  -- {seq, id, problem, reason} of the first broken entry, when not ok
  first_broken  jsonb,
  duration_ms   integer NOT NULL CHECK (duration_ms >= 0)
);
CREATE INDEX evidence_verifications_checked_at_idx ON evidence_verifications (checked_at DESC);
CREATE INDEX evidence_verifications_full_ok_idx
  ON evidence_verifications (checked_at DESC) WHERE kind = 'full' AND ok;
