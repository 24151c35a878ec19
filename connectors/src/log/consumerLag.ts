import type { RecordLog, StreamPartition } from './RecordLog.ts';

export interface PartitionLag extends StreamPartition {
  /** the group's committed offset; null when it never committed here */
  committed: number | null;
  /** the offset the next record will get */
  end: number;
  /** records the group has still to commit: end − committed (from 0 when never committed) */
  lag: number;
}

export interface ConsumerLag {
  partitions: PartitionLag[];
  total: number;
}

/** A group's lag per partition of `streams`, for metrics and the management API. */
export async function consumerLag(
  log: RecordLog,
  group: string,
  streams: readonly string[],
): Promise<ConsumerLag> {
  const [committed, ends] = await Promise.all([
    log.committed(group, streams),
    Promise.all(streams.map(async (stream) => ({ stream, ends: await log.endOffsets(stream) }))),
  ]);
  const endOf = new Map(
    ends.flatMap(({ stream, ends: e }) => e.map((p) => [`${stream}/${p.partition}`, p.offset])),
  );
  const partitions = committed.map(({ stream, partition, offset }) => {
    const end = endOf.get(`${stream}/${partition}`) ?? 0;
    return { stream, partition, committed: offset, end, lag: Math.max(0, end - (offset ?? 0)) };
  });
  return { partitions, total: partitions.reduce((sum, p) => sum + p.lag, 0) };
}
