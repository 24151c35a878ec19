-- Identity: passwords of embedded-provider accounts, the embedded OpenID Provider's storage,
-- its signing keys, and developer API keys with their usage counters.

-- scrypt hash of the password; NULL for accounts that live in Keycloak
ALTER TABLE users ADD COLUMN password_hash text;

-- Everything oidc-provider persists (clients, sessions, grants, codes, refresh tokens, …),
-- one row per model instance, as its adapter interface expects.
CREATE TABLE oidc_payloads (
  id           varchar(255) NOT NULL,
  type         varchar(64) NOT NULL,
  payload      jsonb NOT NULL,
  grant_id     varchar(255),
  user_code    varchar(255),
  uid          varchar(255),
  expires_at   timestamptz(3),
  consumed_at  timestamptz(3),
  PRIMARY KEY (id, type)
);
CREATE INDEX oidc_payloads_grant_id_idx ON oidc_payloads (grant_id);
CREATE INDEX oidc_payloads_uid_idx ON oidc_payloads (uid);
CREATE INDEX oidc_payloads_user_code_idx ON oidc_payloads (user_code);
CREATE INDEX oidc_payloads_expires_at_idx ON oidc_payloads (expires_at);

-- Signing keys (private JWKs) and cookie keys of the embedded provider: persisted so that
-- tokens and sessions survive a restart.
CREATE TABLE identity_keys (
  kid         varchar(100) PRIMARY KEY,
  use         varchar(20) NOT NULL CHECK (use IN ('sig', 'cookie')),
  key         jsonb NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TYPE api_key_status AS ENUM ('active', 'revoked');

-- Developer API keys: `gx_<key_id>_<secret>`. Only the SHA-256 of the secret is stored.
CREATE TABLE api_keys (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key_id                 varchar(32) NOT NULL UNIQUE,
  secret_hash            char(64) NOT NULL,
  owner_id               uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name                   varchar(100) NOT NULL,
  actions                text[] NOT NULL DEFAULT '{read}',
  resources              text[] NOT NULL DEFAULT '{*}',
  daily_quota            integer NOT NULL DEFAULT 10000 CHECK (daily_quota > 0),
  rate_limit_per_second  integer NOT NULL DEFAULT 10 CHECK (rate_limit_per_second > 0),
  status                 api_key_status NOT NULL DEFAULT 'active',
  created_at             timestamptz(3) NOT NULL DEFAULT now(),
  rotated_at             timestamptz(3),
  revoked_at             timestamptz(3),
  last_used_at           timestamptz(3)
);
CREATE INDEX api_keys_owner_id_idx ON api_keys (owner_id);

-- Calls per key and day (Asia/Shanghai calendar day), for quotas and usage charts.
CREATE TABLE api_key_usage_daily (
  api_key_id  uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  day         date NOT NULL,
  count       bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (api_key_id, day)
);

-- Calls per key and second, shared by every API process. Unlogged: losing the current second's
-- counters in a crash is harmless, and it spares the WAL one write per request.
CREATE UNLOGGED TABLE api_key_rate_windows (
  api_key_id    uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  window_start  timestamptz(0) NOT NULL,
  count         integer NOT NULL DEFAULT 0,
  PRIMARY KEY (api_key_id, window_start)
);
