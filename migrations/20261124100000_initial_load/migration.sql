-- 存量同步: a sink connector created with `"initialLoad": true` receives the records the exchange
-- already holds for its grant's resource, not only the changes that follow.
--
-- Creating such a connector puts one marker per stored record key into the outbox: no data,
-- the grant in `initial_load_grant`. The relay moves markers to the resource's raw stream like
-- any outbox row, so each stands in the key's partition after every record of that key that came
-- before it. Enforcement answers a marker with the key's record as it is when the marker's turn
-- comes (the store, or a newer version in the same batch), through that grant's policy, to that
-- grant's delivery stream only. The changes after the marker follow it on the same partition, so
-- the consumer's copy never ends older than the store. See ADR 0007.
ALTER TABLE record_outbox ALTER COLUMN data DROP NOT NULL;
ALTER TABLE record_outbox
  ADD COLUMN initial_load_grant uuid REFERENCES grants (id) ON DELETE CASCADE;
ALTER TABLE record_outbox
  ADD CONSTRAINT record_outbox_marker_or_data
  CHECK ((initial_load_grant IS NULL) = (data IS NOT NULL));
-- for the foreign key (a grant's deletion)
CREATE INDEX record_outbox_initial_load_grant_idx ON record_outbox (initial_load_grant);
