import type pg from 'pg';
import { streamGroups } from './streamNames.ts';

/** the sink groups' common prefix: `streamGroups.sink('')` */
const SINK_GROUP_PREFIX = streamGroups.sink('');

// A group qualifies when its name is a sink's, no connector of that name exists, none of its
// members is live, and its last commit is older than the retention. Its expired member rows go
// too: the purge counts a group with any member row as a reader of the stream.
const EXPIRE = `
  WITH expired AS (
    SELECT o.group_name
      FROM log_group_offsets o
     WHERE starts_with(o.group_name, $1)
       AND NOT EXISTS (SELECT 1 FROM connectors c WHERE $1 || c.name = o.group_name)
       AND NOT EXISTS (SELECT 1 FROM log_group_members m
                        WHERE m.group_name = o.group_name AND m.expires_at > now())
     GROUP BY o.group_name
    HAVING max(o.committed_at) < now() - $2::float8 * interval '1 hour'),
  offsets AS (
    DELETE FROM log_group_offsets o USING expired e WHERE o.group_name = e.group_name
    RETURNING o.group_name),
  members AS (
    DELETE FROM log_group_members m USING expired e WHERE m.group_name = e.group_name
    RETURNING 1)
  SELECT DISTINCT group_name FROM offsets ORDER BY group_name`;

/**
 * Forget the committed offsets of deleted sink connectors once `retentionHours` have passed
 * since their last commit (Kafka's `offsets.retention.minutes`, for the PostgreSQL log).
 *
 * A deleted sink keeps its offsets for a while, so that one created again under the same name
 * resumes where it was; until they go, its group still reads the grant's delivery stream and the
 * retention pass keeps every record after them. Once they are gone the stream has one reader
 * less, and if none is left it is purged by time alone. Connectors that exist keep their
 * offsets however long they stay paused or stopped: their backlog is never purged.
 *
 * Returns the groups forgotten.
 */
export async function expireDeletedSinkOffsets(
  pool: pg.Pool,
  retentionHours: number,
): Promise<string[]> {
  const { rows } = await pool.query<{ group_name: string }>(EXPIRE, [
    SINK_GROUP_PREFIX,
    retentionHours,
  ]);
  return rows.map((r) => r.group_name);
}
