import { streamNames } from '../runtime/streamNames.ts';

/** What a stream holds, for its retention and the purge metric's label. */
export type StreamKind = 'raw' | 'delivery' | 'dead-letter';

/**
 * Which retention applies to a stream, by the name the runtime gives it (`streamNames`):
 * dead letters are kept longer so operators have time to look. A stream named otherwise
 * counts as raw.
 */
export function streamKindOf(stream: string): StreamKind {
  if (stream.startsWith(streamNames.deadLetter(''))) return 'dead-letter';
  if (stream.startsWith(streamNames.delivery(''))) return 'delivery';
  return 'raw';
}
