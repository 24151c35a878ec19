/** What PostgresRecordLog and PostgresConsumer share (kept apart to avoid an import cycle). */

export interface StreamInfo {
  id: number;
  name: string;
  partitions: number;
}

/** LISTEN channel: `s:<stream id>` after records were committed, `g:<group>` after a group changed. */
export const LOG_CHANNEL = 'gx_record_log';

/** advisory lock class (two-key form) that serialises joins and offset resets of one group */
export const GROUP_LOCK_CLASS = 0x6c6f67;
