-- Sharing requests (共享申请) and grants (授权).

-- 用途: why data is asked for; requests and grants cite these codes
CREATE TABLE purposes (
  code      varchar(32) PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,31}$'),
  name      varchar(100) NOT NULL,
  position  integer NOT NULL
);

INSERT INTO purposes (code, name, position) VALUES
  ('ADMIN_APPROVAL',  '行政审批',     1),
  ('LAW_ENFORCEMENT', '行政执法',     2),
  ('PUBLIC_SERVICE',  '公共服务',     3),
  ('SOCIAL_SECURITY', '社会保障',     4),
  ('CREDIT',          '信用监管',     5),
  ('EMERGENCY',       '应急管理',     6),
  ('JUDICIAL',        '司法协查',     7),
  ('STATISTICS',      '统计分析',     8),
  ('PLANNING',        '规划决策',     9),
  ('OTHER',           '其他',         99);

CREATE TYPE request_status AS ENUM ('pending', 'approved', 'rejected', 'refused', 'withdrawn');
CREATE TYPE grant_status AS ENUM ('active', 'suspended', 'revoked', 'expired');

-- numbers 申请编号 SQ<yyyymmdd><seq>; the sequence keeps them unique without locking
CREATE SEQUENCE sharing_request_number_seq;

CREATE TABLE sharing_requests (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- 申请编号, e.g. SQ202611210001: human-readable, unique
  number                  varchar(32) NOT NULL UNIQUE,
  resource_id             uuid NOT NULL REFERENCES resources (id) ON DELETE RESTRICT,
  consumer_id             uuid NOT NULL REFERENCES departments (id) ON DELETE RESTRICT,
  provider_id             uuid NOT NULL REFERENCES departments (id) ON DELETE RESTRICT,
  requested_by            varchar(100) NOT NULL,
  requested_by_kind       varchar(16) NOT NULL,
  fields                  text[] NOT NULL,
  purpose_codes           text[] NOT NULL CHECK (cardinality(purpose_codes) > 0),
  purpose_text            text NOT NULL,
  legal_basis_function_id uuid REFERENCES statutory_functions (id) ON DELETE SET NULL,
  legal_basis_text        text,
  delivery_modes          text[] NOT NULL CHECK (
    cardinality(delivery_modes) > 0 AND delivery_modes <@ ARRAY['query', 'verify', 'bulk', 'subscription']::text[]
  ),
  period_start            date,
  period_end              date,
  expected_volume         varchar(200),
  status                  request_status NOT NULL DEFAULT 'pending',
  deadline_at             timestamptz(3),
  decided_by              varchar(100),
  decided_at              timestamptz(3),
  decision_reason         text,
  created_at              timestamptz(3) NOT NULL DEFAULT now(),
  updated_at              timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT sharing_requests_period CHECK (period_end IS NULL OR period_start IS NULL OR period_end >= period_start)
);
CREATE INDEX sharing_requests_provider_status_idx ON sharing_requests (provider_id, status);
CREATE INDEX sharing_requests_consumer_idx ON sharing_requests (consumer_id);
CREATE INDEX sharing_requests_resource_idx ON sharing_requests (resource_id);

CREATE TABLE grants (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id       uuid NOT NULL UNIQUE REFERENCES sharing_requests (id) ON DELETE RESTRICT,
  resource_id      uuid NOT NULL REFERENCES resources (id) ON DELETE RESTRICT,
  consumer_id      uuid NOT NULL REFERENCES departments (id) ON DELETE RESTRICT,
  provider_id      uuid NOT NULL REFERENCES departments (id) ON DELETE RESTRICT,
  -- the policy as data (schemas/json/exchange/policy.schema.json)
  policy           jsonb NOT NULL,
  delivery_modes   text[] NOT NULL,
  -- per-grant key for hmac_pseudonym masks: pseudonyms cannot be joined across grants
  pseudonym_key    bytea NOT NULL,
  status           grant_status NOT NULL DEFAULT 'active',
  valid_from       timestamptz(3) NOT NULL DEFAULT now(),
  valid_until      timestamptz(3),
  status_reason    text,
  granted_by       varchar(100) NOT NULL,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  revision         integer NOT NULL DEFAULT 1,
  CONSTRAINT grants_validity CHECK (valid_until IS NULL OR valid_until > valid_from)
);
CREATE INDEX grants_consumer_idx ON grants (consumer_id, status);
CREATE INDEX grants_provider_idx ON grants (provider_id, status);
CREATE INDEX grants_resource_idx ON grants (resource_id, status);
