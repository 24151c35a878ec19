import type { StewardText } from '../../i18n/console/steward.ts';

const MAX_VALUE_CHARS = 200;

type PositionWords = StewardText['position'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const shortened = (text: string) =>
  text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;

/** One value of a position as text: a list by its items, anything else nested as JSON. */
function valueText(value: unknown, words: PositionWords): string {
  if (typeof value === 'string') return shortened(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null))
    return shortened(value.map(String).join(words.listJoin));
  return shortened(JSON.stringify(value));
}

/**
 * The built-in sources' positions (connectors/src/plugins/sources/), each in the words of what
 * its task keeps: undefined for a position not of the plugin's shape, which the schema's
 * titles word instead.
 */
const BUILT_IN: Record<
  string,
  (position: Record<string, unknown>, w: PositionWords) => string[] | undefined
> = {
  'file-drop': ({ file, line }, w) =>
    typeof file === 'string' && Number.isInteger(line)
      ? [w.fileDrop(file, line as number)]
      : undefined,
  'postgres-table': ({ updatedAt, key }, w) =>
    typeof updatedAt === 'string' && Array.isArray(key)
      ? [w.table(updatedAt, valueText(key, w))]
      : undefined,
  'postgres-cdc': ({ lsn }, w) => (typeof lsn === 'string' ? [w.cdc(lsn)] : undefined),
  'http-poll': ({ page, skip, validators }, w) => {
    if (page === undefined) return [validators === undefined ? w.httpDone : w.httpDoneConditional];
    if (typeof page !== 'string') return undefined;
    return [w.httpPage(shortened(page), typeof skip === 'number' ? skip : 0)];
  },
  'kafka-topic': ({ partitions }, w) => {
    if (!isObject(partitions)) return undefined;
    const entries = Object.entries(partitions).sort(([a], [b]) => Number(a) - Number(b));
    if (entries.length === 0) return [w.kafkaNone];
    return entries.map(([partition, offset]) => w.kafkaPartition(partition, String(offset)));
  },
};

interface PositionSchema {
  properties?: Record<string, { title?: string }>;
}

/**
 * A source's stored position in words: the built-in plugins' own sentences (文件 a.csv，已读到第
 * 120 行; 更新时间 …，主键 …; LSN 0/16B3748), else each field by its `title` in the plugin's
 * `positionSchema` (已读到的行号 120), else the JSON itself (shortened) when the schema names
 * none of its fields. One line, or one per partition.
 */
export function positionText(
  type: string,
  position: unknown,
  positionSchema: object | undefined,
  words: PositionWords,
): string[] {
  if (isObject(position)) {
    const own = BUILT_IN[type]?.(position, words);
    if (own) return own;
    const properties = (positionSchema as PositionSchema | undefined)?.properties ?? {};
    const keys = Object.keys(position);
    if (keys.length > 0 && keys.some((k) => properties[k]?.title)) {
      // in the schema's order, then whatever else the position holds
      const ordered = [
        ...Object.keys(properties).filter((k) => k in position),
        ...keys.filter((k) => !(k in properties)),
      ];
      return [
        ordered
          .map((k) => words.field(properties[k]?.title ?? k, valueText(position[k], words)))
          .join(words.fieldJoin),
      ];
    }
  }
  return [shortened(JSON.stringify(position))];
}
