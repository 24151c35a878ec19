export interface GroupMember {
  memberId: string;
  streamIds: readonly number[];
}

/**
 * Who should own which partition: for each stream, the members reading it, sorted by id,
 * take its partitions round-robin (partition p → member p mod n). Every member computes this
 * from the same membership rows, so they agree once they see the same members; until then
 * the ownership rows (one owner per partition) keep two members from reading one partition.
 * Returns the `streamId/partition` keys `memberId` should own.
 */
export function assignPartitions(
  members: readonly GroupMember[],
  partitionCounts: ReadonlyMap<number, number>,
  memberId: string,
): Set<string> {
  const owned = new Set<string>();
  const me = members.find((m) => m.memberId === memberId);
  if (!me) return owned;
  for (const streamId of me.streamIds) {
    const readers = members
      .filter((m) => m.streamIds.includes(streamId))
      .map((m) => m.memberId)
      .sort();
    const index = readers.indexOf(memberId);
    const count = partitionCounts.get(streamId) ?? 0;
    for (let partition = index; partition < count; partition += readers.length) {
      owned.add(`${streamId}/${partition}`);
    }
  }
  return owned;
}
