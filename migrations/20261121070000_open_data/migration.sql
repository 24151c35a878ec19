-- 开放策略: what the open-data API and downloads deliver of a 无条件开放 / 有条件开放 resource.
--
-- The policy has the shape of a grant's policy without purposes, validity or quotas (fields,
-- masks, row filter; exchange-api/src/domain/open/openPolicy.ts) and is compiled by the same
-- engine. A resource without a row here is served under the default: every information item not
-- flagged personal, unmasked, unfiltered.
CREATE TABLE open_policies (
  resource_id    uuid PRIMARY KEY REFERENCES resources (id) ON DELETE CASCADE,
  -- { fields, masks?, rowFilter? } (schemas/openapi/exchange-open.yaml OpenPolicy)
  policy         jsonb NOT NULL,
  -- per-resource key for hmac_pseudonym masks: open pseudonyms cannot be joined with any grant's
  pseudonym_key  bytea NOT NULL CHECK (length(pseudonym_key) = 32),
  updated_by     varchar(100) NOT NULL,
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  revision       integer NOT NULL DEFAULT 1
);
