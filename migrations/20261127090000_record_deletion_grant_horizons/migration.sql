-- The retention's horizon per grant (ADR 0012, session 22). A purge used to move one horizon per
-- resource, so every subscriber of the resource resuming from below it was told to
-- resynchronise, even one whose grant could see none of the purged deletions (a 西湖区 grant
-- when only 上城区 records were deleted). A subscriber has missed a removal only if a purged
-- deletion listed its grant: per grant, the highest change number purged among the deletions
-- that listed it, and the latest of their deletion times (for a stream already running).
-- record_deletion_horizons stays: a stream "from now" starts at or above the resource's.
CREATE TABLE record_deletion_grant_horizons (
  resource_id        uuid NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  grant_id           uuid NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
  -- the highest change number purged among the deletions that listed the grant
  purged_through_seq bigint NOT NULL,
  -- the latest deleted_at among them
  deleted_through    timestamptz(3) NOT NULL,
  purged_at          timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (resource_id, grant_id)
);

CREATE INDEX record_deletion_grant_horizons_grant_idx ON record_deletion_grant_horizons (grant_id);

-- What earlier purges took cannot be split by grant any more: each grant of a resource with a
-- horizon starts from the resource's (what every subscriber was held to until now).
INSERT INTO record_deletion_grant_horizons (resource_id, grant_id, purged_through_seq,
                                            deleted_through, purged_at)
SELECT h.resource_id, g.id, h.purged_through_seq, h.deleted_through, h.purged_at
  FROM record_deletion_horizons h JOIN grants g ON g.resource_id = h.resource_id;
