-- Grant quotas (policy.quotas: records per day, requests per second), counted in PostgreSQL so
-- that they hold across every exchange-api process (like the API-key limits, ADR 0004).

-- Records delivered and calls made under a grant per Asia/Shanghai calendar day: what a
-- records-per-day quota is checked against, and the grant's usage figures.
CREATE TABLE grant_usage_daily (
  grant_id  uuid NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
  day       date NOT NULL,
  records   bigint NOT NULL DEFAULT 0 CHECK (records >= 0),
  requests  bigint NOT NULL DEFAULT 0 CHECK (requests >= 0),
  PRIMARY KEY (grant_id, day)
);

-- The current one-second window of calls per grant: one row per grant, started afresh when the
-- second changes, so nothing piles up and nothing needs sweeping. Unlogged: losing the current
-- second in a crash is harmless, and it spares the WAL one write per call.
CREATE UNLOGGED TABLE grant_rate_windows (
  grant_id      uuid PRIMARY KEY REFERENCES grants (id) ON DELETE CASCADE,
  window_start  timestamptz(0) NOT NULL,
  count         integer NOT NULL DEFAULT 0
);
