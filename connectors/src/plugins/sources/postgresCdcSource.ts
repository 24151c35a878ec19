import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '@gx/platform';
import type { JsonValue } from '../../log/RecordLog.ts';
import { defineSource, type SourceBatch, type SourceTask } from '../../runtime/plugin.ts';
import type { SecretRef } from '../../runtime/secrets.ts';
import { BatchCollector, type RecordValue } from './BatchCollector.ts';
import { loadOptionsSchema } from './loadOptionsSchema.ts';
import { agencyPool, parsePgText } from './pgValueParsers.ts';
import {
  parsePgOutputMessage,
  UNCHANGED_TOAST,
  type RelationMessage,
  type TupleValue,
} from './pgoutput.ts';

/** A type alias (not an interface) so that it is assignable to the registry's plain options. */
export type PostgresCdcOptions = {
  connection: SecretRef;
  /** `table` or `schema.table`, matched exactly (always quoted) */
  table: string;
  publication: string;
  /** default: `defaultSlotName(connector)` */
  slot?: string;
  keyColumns: string[];
  /** column → field; default every column under its own name */
  columns?: Record<string, string>;
};

/**
 * Where the read stands: the end LSN of the commit record of the last whole transaction
 * returned. The slot is advanced to it on the next poll, i.e. only once the runtime has stored
 * it, which it does after the batch is durable in the log.
 */
export interface PostgresCdcPosition {
  lsn: string;
}

const SLOT_PREFIX = 'gx_cdc_';

/**
 * The slot of a connector that names none: `gx_cdc_<name in [a-z0-9_]>_<8 hex of its hash>`,
 * at most 63 characters (PostgreSQL's limit). The hash keeps names that sanitise alike (Chinese
 * names, case, punctuation) on different slots; two connectors on one slot would steal each
 * other's changes.
 */
export function defaultSlotName(connector: string): string {
  const hash = createHash('sha256').update(connector).digest('hex').slice(0, 8);
  const base = connector
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 63 - SLOT_PREFIX.length - 1 - hash.length)
    .replace(/_+$/, '');
  return base ? `${SLOT_PREFIX}${base}_${hash}` : `${SLOT_PREFIX}${hash}`;
}

function isPosition(value: JsonValue | null): value is PostgresCdcPosition & JsonValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value.lsn === 'string' &&
    /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i.test(value.lsn)
  );
}

/** `schema.table` or `table`; the options pattern admits no quotes or dots inside a part */
function quoteTable(table: string): string {
  return table.split('.').map(pg.escapeIdentifier).join('.');
}

/** the table as the catalog knows it, resolved once in `create` */
interface SourceTable {
  schema: string;
  name: string;
}

/** how one relation's tuple becomes a record value: which column goes to which field */
interface RelationPlan {
  fields: { index: number; field: string; column: string; typeOid: number }[];
  /** tuple index of each key column, in `keyColumns` order (-1: not in the relation) */
  keyIndexes: number[];
}

/** A change of the source table, with the transaction it committed in. */
type Change =
  | {
      kind: 'insert' | 'update';
      relation: RelationMessage;
      tuple: TupleValue[];
      old?: TupleValue[];
    }
  | { kind: 'delete'; relation: RelationMessage; old: TupleValue[] }
  | { kind: 'truncate' };

interface Transaction {
  commitLsn: string;
  endLsn: string;
  commitTime: string;
  changes: Change[];
  /** records and dead letters it will give */
  size: number;
}

const REASON = {
  truncated: (table: string) =>
    `源表 ${table} 被清空（TRUNCATE）；清空不带逐条主键，无法逐条删除，已托管的记录仍保留`,
  toastGone: '更新未改动的大字段（TOAST）不在变更中，而源表中已找不到该记录，无法补全这些字段',
  toastKey: '更新未改动的大字段（TOAST）不在变更中，而记录的主键值不完整，无法回表补全这些字段',
} as const;

/** catalog checks, in the order a DBA would fix them; each failure names the fix */
async function checkSource(
  client: pg.PoolClient,
  options: PostgresCdcOptions,
  slot: string,
  logger: Logger,
): Promise<SourceTable> {
  const settings = await client.query<{ wal_level: string; encoding: string }>(
    `SELECT current_setting('wal_level') AS wal_level, current_setting('server_encoding') AS encoding`,
  );
  const { wal_level: walLevel, encoding } = settings.rows[0]!;
  if (walLevel !== 'logical') {
    throw new Error(
      `源库的 wal_level 为 ${walLevel}，逻辑复制需要 logical：请 DBA 执行 ALTER SYSTEM SET wal_level = logical 并重启 PostgreSQL`,
    );
  }
  if (encoding !== 'UTF8') {
    throw new Error(`源库的编码为 ${encoding}；变更捕获只支持 UTF8 编码的数据库`);
  }

  const table = await client.query<{
    oid: number;
    nspname: string;
    relname: string;
    relreplident: string;
    has_identity_index: boolean;
  }>(
    `SELECT c.oid, n.nspname, c.relname, c.relreplident,
            EXISTS (SELECT 1 FROM pg_index i
                    WHERE i.indrelid = c.oid
                      AND ((c.relreplident = 'd' AND i.indisprimary)
                        OR (c.relreplident = 'i' AND i.indisreplident))) AS has_identity_index
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = to_regclass($1)`,
    [quoteTable(options.table)],
  );
  const found = table.rows[0];
  if (!found) throw new Error(`源库中找不到表 ${options.table}`);

  const attributes = await client.query<{ attname: string }>(
    'SELECT attname FROM pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped',
    [found.oid],
  );
  const columns = new Set(attributes.rows.map((r) => r.attname));
  const missingKeys = options.keyColumns.filter((c) => !columns.has(c));
  if (missingKeys.length > 0) {
    throw new Error(`表 ${options.table} 中没有主键列 ${missingKeys.join('、')}`);
  }
  const missingColumns = Object.keys(options.columns ?? {}).filter((c) => !columns.has(c));
  if (missingColumns.length > 0) {
    throw new Error(
      `表 ${options.table} 中没有列 ${missingColumns.join('、')}（见列到字段的映射）`,
    );
  }

  const publication = await client.query<{
    pubupdate: boolean;
    pubdelete: boolean;
    has_table: boolean;
  }>(
    `SELECT p.pubupdate, p.pubdelete,
            EXISTS (SELECT 1 FROM pg_publication_tables t
                    WHERE t.pubname = p.pubname AND t.schemaname = $2 AND t.tablename = $3) AS has_table
     FROM pg_publication p WHERE p.pubname = $1`,
    [options.publication, found.nspname, found.relname],
  );
  const pub = publication.rows[0];
  const qualified = `${pg.escapeIdentifier(found.nspname)}.${pg.escapeIdentifier(found.relname)}`;
  if (!pub) {
    throw new Error(
      `源库中没有发布 ${options.publication}：请 DBA 执行 CREATE PUBLICATION ${pg.escapeIdentifier(options.publication)} FOR TABLE ${qualified}`,
    );
  }
  if (!pub.has_table) {
    throw new Error(
      `发布 ${options.publication} 不包含表 ${options.table}：请 DBA 执行 ALTER PUBLICATION ${pg.escapeIdentifier(options.publication)} ADD TABLE ${qualified}`,
    );
  }
  // Without a replica identity PostgreSQL refuses UPDATE and DELETE on a published table: the
  // agency's own application would start failing, so say so before anything is set up.
  const hasIdentity =
    found.relreplident === 'f' ||
    ((found.relreplident === 'd' || found.relreplident === 'i') && found.has_identity_index);
  if ((pub.pubupdate || pub.pubdelete) && !hasIdentity) {
    throw new Error(
      `表 ${options.table} 没有主键或其他复制标识：在发布 ${options.publication} 中，它的 UPDATE 和 DELETE 会在源库报错。请 DBA 为表加主键，或执行 ALTER TABLE ${qualified} REPLICA IDENTITY FULL`,
    );
  }

  await ensureSlot(client, slot, logger);
  return { schema: found.nspname, name: found.relname };
}

const PRIVILEGE_HINT =
  '连接用户没有使用复制槽的权限：请 DBA 授予 REPLICATION 属性（ALTER ROLE 用户 REPLICATION）或使用超级用户';

/** The slot, created with pgoutput when missing; an existing slot must be ours to use. */
async function ensureSlot(client: pg.PoolClient, slot: string, logger: Logger): Promise<void> {
  const existing = async () =>
    (
      await client.query<{ plugin: string | null; database: string | null; here: string }>(
        `SELECT plugin, database, current_database() AS here
         FROM pg_replication_slots WHERE slot_name = $1`,
        [slot],
      )
    ).rows[0];
  let found = await existing();
  if (!found) {
    try {
      // Waits until the transactions running now, in any database of the agency's cluster, have
      // ended (the slot needs a consistent start); a change committed meanwhile is not captured.
      logger.info(
        { slot },
        '正在创建逻辑复制槽：等待源库中正在进行的事务结束，此后提交的变更才会被读取',
      );
      await client.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
      logger.info({ slot }, '已创建逻辑复制槽');
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === '42501') throw new Error(PRIVILEGE_HINT, { cause: error });
      // another owner of the task created it a moment ago
      if (code !== '42710') throw error;
    }
    found = await existing();
  }
  if (!found || found.plugin !== 'pgoutput' || found.database !== found.here) {
    throw new Error(
      `复制槽 ${slot} 已存在，但不是本库（${found?.here ?? '?'}）的 pgoutput 逻辑复制槽：请换一个复制槽名`,
    );
  }
}

/** how often, and how long apart, `release` looks again at a slot another process holds */
const RELEASE_ATTEMPTS = 5;
const RELEASE_RETRY_MS = 400;

/**
 * Drop the connector's slot on the agency's database, if it is there: a slot nobody reads
 * keeps every WAL segment from its position on until the disk fills. A slot of that name on
 * another database, or with another plugin, was never the connector's (`ensureSlot` refuses
 * such a slot) and is left alone. An active slot (held by a process other than the connector's
 * tasks, which have stopped) is looked at again a few times, then reported.
 */
async function dropSlot(pool: pg.Pool, slot: string, logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const { rows } = await pool.query<{ active_pid: number | null }>(
      `SELECT active_pid FROM pg_replication_slots
        WHERE slot_name = $1 AND database = current_database() AND plugin = 'pgoutput'`,
      [slot],
    );
    const found = rows[0];
    if (!found) return;
    let holder = found.active_pid;
    if (holder === null) {
      try {
        await pool.query('SELECT pg_drop_replication_slot($1)', [slot]);
        logger.info({ slot }, '已删除逻辑复制槽');
        return;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === '42501') throw new Error(PRIVILEGE_HINT, { cause: error });
        // dropped by someone else between the look and the drop: what was wanted
        if (code === '42704') return;
        // taken by another process between the look and the drop: look again
        if (code !== '55006') throw error;
        holder = -1;
      }
    }
    if (attempt >= RELEASE_ATTEMPTS) {
      const who = holder > 0 ? `（PID ${holder}）` : '';
      throw new Error(
        `复制槽 ${slot} 正被另一个进程${who}使用，无法删除：请 DBA 在 pg_stat_activity 中查明该进程，确认它不再需要此复制槽并结束它后重试`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, RELEASE_RETRY_MS));
  }
}

/**
 * Streams the row changes of one table from a logical replication slot with the built-in
 * `pgoutput` plugin, through the SQL interface on an ordinary connection:
 *
 *   poll(position) = pg_replication_slot_advance(slot, position.lsn)   -- what the runtime stored
 *                  + pg_logical_slot_peek_binary_changes(slot, NULL, n, 'proto_version', '1', …)
 *
 * Peeking consumes nothing; the slot moves only to a position the runtime has stored, which it
 * does once the batch is durable in the log. A crash in between re-reads the same transactions
 * (at least once; sinks are idempotent by key), never skips one. Inserts and updates become
 * records; a delete becomes a deletion of its key (ADR 0012: enforcement deletes the hosted
 * record and tells the grants that could see it), and so does the old key of an update that
 * changed the key. A truncate names no keys and becomes a dead letter.
 */
class PostgresCdcTask implements SourceTask {
  private readonly pool: pg.Pool;
  private readonly options: PostgresCdcOptions;
  private readonly slot: string;
  private readonly source: SourceTable;
  private readonly keyFields: readonly string[];
  private readonly logger: Logger;
  private readonly publicationOption: string;
  /**
   * relations by id, kept across polls: pgoutput sends a relation before its first change in
   * each decoding call and after each schema change, so a later poll refreshes what it needs
   */
  private readonly relations = new Map<number, RelationMessage>();
  private readonly plans = new WeakMap<RelationMessage, RelationPlan>();
  private slotIsNew: boolean;

  constructor(args: {
    pool: pg.Pool;
    options: PostgresCdcOptions;
    slot: string;
    source: SourceTable;
    keyFields: readonly string[];
    logger: Logger;
    slotIsNew: boolean;
  }) {
    this.pool = args.pool;
    this.options = args.options;
    this.slot = args.slot;
    this.source = args.source;
    this.keyFields = args.keyFields;
    this.logger = args.logger;
    this.slotIsNew = args.slotIsNew;
    // the option is a list of identifiers, folded to lower case unless quoted
    this.publicationOption = pg.escapeIdentifier(args.options.publication);
  }

  async poll(
    position: JsonValue | null,
    { maxRecords, signal }: { maxRecords: number; signal: AbortSignal },
  ): Promise<SourceBatch | null> {
    signal.throwIfAborted();
    if (isPosition(position)) {
      if (this.slotIsNew) {
        this.logger.warn(
          { slot: this.slot, lsn: position.lsn },
          '复制槽是新建的，但连接器已有续读位置：原复制槽被删除期间的变更可能没有读到，可用 postgres-table 连接器补读',
        );
      }
      // A position behind the slot (a batch re-read after a crash, or the same position
      // twice) is not an error: advancing backwards is refused, so only move forwards.
      await this.pool.query(
        `SELECT pg_replication_slot_advance(slot_name, $2::pg_lsn)
         FROM pg_replication_slots WHERE slot_name = $1 AND confirmed_flush_lsn < $2::pg_lsn`,
        [this.slot, position.lsn],
      );
    }
    this.slotIsNew = false;
    // PostgreSQL stops after the transaction in which the row count reaches the limit, so the
    // result always ends with a whole transaction.
    const { rows } = await this.pool.query<{ data: Buffer }>({
      text: `SELECT data FROM pg_logical_slot_peek_binary_changes($1, NULL, $2,
         'proto_version', '1', 'publication_names', $3)`,
      values: [this.slot, maxRecords, this.publicationOption],
      // pg's own parsers: the messages are wanted as bytes, not as the hex text records get
      types: pg.types,
    });
    const transactions = this.readTransactions(rows);
    if (transactions.length === 0) return null;

    // Whole transactions only: a position inside one could not be resumed from. The first is
    // taken even when it alone holds more than maxRecords changes (the batch is then larger
    // than asked, and held in memory), the others only while the batch stays within the limit.
    const chosen: Transaction[] = [];
    let size = 0;
    for (const transaction of transactions) {
      if (chosen.length > 0 && size + transaction.size > maxRecords) break;
      chosen.push(transaction);
      size += transaction.size;
    }
    const batch = new BatchCollector(this.keyFields);
    for (const transaction of chosen) {
      for (const change of transaction.changes) await this.collect(batch, change, transaction);
    }
    // A batch of transactions that touched only other tables has no records, but its position
    // lets the slot move past them (and release their WAL).
    return {
      records: batch.records,
      deadLetters: batch.deadLetters,
      position: { lsn: chosen[chosen.length - 1]!.endLsn },
    };
  }

  /** the committed transactions in the peeked rows, with the changes of the source table */
  private readTransactions(rows: readonly { data: Buffer }[]): Transaction[] {
    const transactions: Transaction[] = [];
    let open: Change[] | undefined;
    let size = 0;
    const relation = (id: number): RelationMessage => {
      const found = this.relations.get(id);
      if (!found) throw new Error(`pgoutput 变更引用了未描述的关系 ${id}`);
      return found;
    };
    for (const { data } of rows) {
      const message = parsePgOutputMessage(data);
      switch (message.tag) {
        case 'begin':
          open = [];
          size = 0;
          break;
        case 'commit':
          if (open) {
            transactions.push({
              commitLsn: message.commitLsn,
              endLsn: message.endLsn,
              commitTime: message.commitTime,
              changes: open,
              size,
            });
          }
          open = undefined;
          break;
        case 'relation':
          this.relations.set(message.relationId, message);
          break;
        case 'insert':
        case 'update': {
          const rel = relation(message.relationId);
          if (!open || !this.isSource(rel)) break;
          const old = message.tag === 'update' ? message.oldTuple : undefined;
          open.push({ kind: message.tag, relation: rel, tuple: message.newTuple, old });
          size += old && this.keyChanged(rel, old, message.newTuple) ? 2 : 1;
          break;
        }
        case 'delete': {
          const rel = relation(message.relationId);
          if (!open || !this.isSource(rel)) break;
          open.push({ kind: 'delete', relation: rel, old: message.oldTuple });
          size += 1;
          break;
        }
        case 'truncate':
          if (open && message.relationIds.some((id) => this.isSource(relation(id)))) {
            open.push({ kind: 'truncate' });
            size += 1;
          }
          break;
        // origin and type messages change nothing here: values stay in their text form
        case 'origin':
        case 'type':
          break;
      }
    }
    return transactions;
  }

  private isSource(relation: RelationMessage): boolean {
    return relation.namespace === this.source.schema && relation.name === this.source.name;
  }

  private plan(relation: RelationMessage): RelationPlan {
    let plan = this.plans.get(relation);
    if (plan) return plan;
    const index = new Map(relation.columns.map((c, i) => [c.name, i]));
    const pairs = this.options.columns
      ? Object.entries(this.options.columns)
      : relation.columns.map((c) => [c.name, c.name] as const);
    plan = {
      fields: pairs.flatMap(([column, field]) => {
        const i = index.get(column);
        return i === undefined
          ? []
          : [{ index: i, field, column, typeOid: relation.columns[i]!.typeOid }];
      }),
      keyIndexes: this.options.keyColumns.map((k) => index.get(k) ?? -1),
    };
    this.plans.set(relation, plan);
    return plan;
  }

  /** the key columns' text values (null where a tuple does not carry one) */
  private keyTexts(relation: RelationMessage, tuple: TupleValue[]): (string | null)[] {
    return this.plan(relation).keyIndexes.map((i) => {
      const value = i < 0 ? null : tuple[i];
      return typeof value === 'string' ? value : null;
    });
  }

  private keyChanged(relation: RelationMessage, old: TupleValue[], tuple: TupleValue[]): boolean {
    const before = this.keyTexts(relation, old);
    const after = this.keyTexts(relation, tuple);
    return before.some((value, i) => value !== after[i]);
  }

  /** the record value of a tuple; `unchanged` lists the TOAST fields it does not carry */
  private valueOf(
    relation: RelationMessage,
    tuple: TupleValue[],
    { knownOnly }: { knownOnly: boolean },
  ): { value: RecordValue; unchanged: RelationPlan['fields'] } {
    const value: RecordValue = {};
    const unchanged: RelationPlan['fields'] = [];
    for (const column of this.plan(relation).fields) {
      const text = tuple[column.index];
      if (text === UNCHANGED_TOAST) unchanged.push(column);
      else if (typeof text === 'string') value[column.field] = parsePgText(column.typeOid, text);
      else if (!knownOnly && text !== undefined) value[column.field] = null;
    }
    return { value, unchanged };
  }

  private async collect(batch: BatchCollector, change: Change, txn: Transaction): Promise<void> {
    const table = this.options.table;
    const at = { table, lsn: txn.commitLsn, committedAt: txn.commitTime };
    if (change.kind === 'truncate') {
      batch.reject(table, { operation: 'truncate', table }, REASON.truncated(table), {
        ...at,
        operation: 'truncate',
      });
      return;
    }
    const { relation } = change;
    if (change.kind === 'delete') {
      this.addDeletion(batch, relation, change.old, { ...at, operation: 'delete' });
      return;
    }
    if (change.old && this.keyChanged(relation, change.old, change.tuple)) {
      // the row moved to another key: the old key's record is gone
      this.addDeletion(batch, relation, change.old, { ...at, operation: 'update' });
    }
    const { value, unchanged: missing } = this.valueOf(relation, change.tuple, {
      knownOnly: false,
    });
    // REPLICA IDENTITY FULL sends the whole old row, unchanged TOAST values included
    const unchanged = missing.filter((column) => {
      const old = change.old?.[column.index];
      if (typeof old !== 'string') return true;
      value[column.field] = parsePgText(column.typeOid, old);
      return false;
    });
    const key = JSON.stringify(this.keyTexts(relation, change.tuple));
    const context = { ...at, operation: change.kind, key };
    if (unchanged.length > 0) {
      const problem = await this.fillUnchanged(relation, change.tuple, value, unchanged);
      if (problem) {
        batch.reject(`${table}@${txn.commitLsn}`, value, problem, {
          ...context,
          columns: unchanged.map((c) => c.column).join(','),
        });
        return;
      }
    }
    batch.add(value, () => ({ key: `${table}@${txn.commitLsn}`, context }));
  }

  /**
   * A row that left the table (deleted, or moved to another key) as a deletion of its key: the
   * value holds the key fields only (a default replica identity sends nothing else, a full one
   * the whole row, which a deletion does not need). Without a whole key it is a dead letter.
   */
  private addDeletion(
    batch: BatchCollector,
    relation: RelationMessage,
    old: TupleValue[],
    context: Record<string, string>,
  ): void {
    const { value: row } = this.valueOf(relation, old, { knownOnly: true });
    const value: RecordValue = {};
    for (const field of this.keyFields) if (Object.hasOwn(row, field)) value[field] = row[field]!;
    const key = JSON.stringify(this.keyTexts(relation, old));
    batch.add(
      value,
      () => ({ key: `${this.options.table}:${key}`, context: { ...context, key } }),
      {
        deleted: true,
      },
    );
  }

  /**
   * pgoutput does not send a TOASTed value an update left unchanged (the WAL of the new row
   * holds only a pointer to it), yet the record must be whole:
   * the hosted store replaces records, it does not merge them. So those columns are read from
   * the table by key. The row may have changed again since this change; the value read is then
   * newer than the change, which is harmless, because the later change follows in the stream
   * and the record ends up as the row is. Returns the reason when that cannot be done.
   */
  private async fillUnchanged(
    relation: RelationMessage,
    tuple: TupleValue[],
    value: RecordValue,
    unchanged: RelationPlan['fields'],
  ): Promise<string | undefined> {
    const keys = this.keyTexts(relation, tuple);
    if (keys.some((k) => k === null)) return REASON.toastKey;
    const where = this.options.keyColumns
      .map((column, i) => `${pg.escapeIdentifier(column)} = $${i + 1}`)
      .join(' AND ');
    const select = unchanged.map((c) => pg.escapeIdentifier(c.column)).join(', ');
    const result = await this.pool.query({
      text: `SELECT ${select} FROM ${quoteTable(this.options.table)} WHERE ${where}`,
      values: keys,
      rowMode: 'array',
    });
    const row = result.rows[0] as JsonValue[] | undefined;
    if (!row) return REASON.toastGone;
    unchanged.forEach((column, i) => (value[column.field] = row[i]!));
    return undefined;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export const postgresCdcSource = defineSource<PostgresCdcOptions>({
  kind: 'source',
  type: 'postgres-cdc',
  title: 'PostgreSQL 变更捕获（逻辑复制 pgoutput）',
  optionsSchema: loadOptionsSchema('postgres-cdc'),
  positionSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['lsn'],
    properties: {
      lsn: {
        title: '已读到的 WAL 位置（LSN）',
        type: 'string',
        pattern: '^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$',
        examples: ['0/16B3748'],
      },
    },
  },
  async create(options, context) {
    const connectionString = await context.secrets.resolve(options.connection);
    const slot = options.slot ?? defaultSlotName(context.connector);
    // pgoutput writes values with the output functions of the decoding session, so that
    // session's DateStyle (ISO, set by the pool) is what the value parsers see
    const pool = agencyPool(connectionString, context, options.table);
    try {
      const client = await pool.connect();
      let source: SourceTable;
      let slotIsNew: boolean;
      try {
        const before = await client.query(
          'SELECT 1 FROM pg_replication_slots WHERE slot_name = $1',
          [slot],
        );
        source = await checkSource(client, options, slot, context.logger);
        slotIsNew = before.rowCount === 0;
      } finally {
        client.release();
      }
      return new PostgresCdcTask({
        pool,
        options,
        slot,
        source,
        keyFields: context.keyFields,
        logger: context.logger,
        slotIsNew,
      });
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
  },
  /**
   * Drops the slot the connector read from: the default-named one, or `options.slot`, which the
   * connector used as its own (two readers of one slot steal each other's changes), so it goes
   * with the connector too. Nothing there is fine: a second delete, or a slot never created.
   */
  async release(options, context) {
    const slot = options.slot ?? defaultSlotName(context.connector);
    const connectionString = await context.secrets.resolve(options.connection);
    const pool = agencyPool(connectionString, context, options.table);
    try {
      await dropSlot(pool, slot, context.logger);
    } catch (error) {
      // a driver message may quote what it was given; the connection string holds a password
      const reason = (error instanceof Error ? error.message : String(error))
        .split(connectionString)
        .join('***');
      // no `cause`: the driver's error may carry the connection settings into a log
      throw new Error(reason.includes(slot) ? reason : `无法删除源库中的复制槽 ${slot}：${reason}`);
    } finally {
      await pool.end().catch(() => {});
    }
  },
});
