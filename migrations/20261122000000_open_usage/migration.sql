-- 最常用数据 / the open-data usage signal: how often each open resource was called through the
-- open-data API (record queries and gets) and downloaded (CSV, JSON, XLSX) in a recent window,
-- counted from the evidence log's successful `open-data` entries. Previews are left out: the
-- portal's own dataset pages read them on every view, so they measure page views, not use.
--
-- Two partial indexes, window first, keep the home page's ranking two index-only scans over the
-- window however long the log grows; the signal needs no table of its own that could drift from
-- the evidence, and the append-only evidence log is not touched. Each kind has its own index
-- because an index-only scan cannot evaluate an expression over `details`; the predicates
-- here must match those in exchange-api/src/domain/open/openUsage.ts word for word.
CREATE INDEX evidence_entries_open_calls_idx
  ON evidence_entries (recorded_at, resource_code)
  WHERE operation = 'open-data' AND outcome = 'ok' AND details ->> 'access' IN ('query', 'get');

CREATE INDEX evidence_entries_open_downloads_idx
  ON evidence_entries (recorded_at, resource_code)
  WHERE operation = 'open-data' AND outcome = 'ok' AND details ->> 'access' = 'download';
