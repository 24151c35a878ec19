-- 更正记录 from an objection: the provider's steward corrects the disputed record itself
-- (POST /v1/objections/{id}/record). The `corrected` event that did so keeps what changed, so
-- that both parties see old → new:
--   { "schemaVersion": 3,
--     "changes":    [{ "field": "mobile", "before": "…", "after": "…" }],   -- as stored
--     "raiserView": [{ "field": "mobile", "before": "…", "after": "…" }] }  -- as the raiser's
--                                                  grant (or the open policy) shows them
-- The raiser's view is taken when the correction is made, through the policy it raised under,
-- so a field its grant masks stays masked in the thread. NULL for every other event.
ALTER TABLE objection_events ADD COLUMN correction jsonb;
