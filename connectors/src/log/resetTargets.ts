import { InputError } from '@gx/platform';
import { checkOffset } from './recordEncoding.ts';
import type { PartitionOffset, ResetOffsetsTarget } from './RecordLog.ts';

export interface PartitionBounds {
  partition: number;
  /** first offset still stored */
  first: number;
  /** offset the next record will get */
  end: number;
}

/**
 * The offsets a reset commits: every partition's first or end offset, or the given ones, each
 * checked to be a partition of the stream and within what it holds.
 */
export function resetTargets(
  stream: string,
  bounds: readonly PartitionBounds[],
  to: ResetOffsetsTarget,
): PartitionOffset[] {
  if (to === 'earliest' || to === 'latest') {
    return bounds.map((b) => ({
      partition: b.partition,
      offset: to === 'earliest' ? b.first : b.end,
    }));
  }
  return to.map(({ partition, offset }, i) => {
    const bound = bounds.find((b) => b.partition === partition);
    if (!bound) {
      throw new InputError(`流 ${stream} 没有分区 ${partition}`, [
        { path: `/to/${i}/partition`, message: `分区须在 0–${bounds.length - 1} 之间` },
      ]);
    }
    checkOffset(offset, `/to/${i}/offset`);
    if (offset < bound.first || offset > bound.end) {
      throw new InputError(`偏移量 ${offset} 超出分区 ${partition} 的范围`, [
        { path: `/to/${i}/offset`, message: `偏移量须在 ${bound.first}–${bound.end} 之间` },
      ]);
    }
    return { partition, offset };
  });
}
