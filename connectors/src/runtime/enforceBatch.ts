import {
  deleteHostedRecords,
  pgQuery,
  digestOf,
  leavingCandidates,
  noteLeftViews,
  recordsLeavingViews,
  type LeftViews,
  digestRecords,
  type EvidenceInput,
} from '@gx/exchange-api';
import { recordKey, recordKeyOrder, sha256Hex, withoutNulls } from '@gx/platform';
import type { Pool } from 'pg';
import { inTransaction } from '../log/inTransaction.ts';
import type { LogRecord, ProduceRecord, RecordLog } from '../log/RecordLog.ts';
import type { DeadLetter } from './plugin.ts';
import type { DeliveryGrant, GrantDirectory } from './grantDirectory.ts';
import { describeSchemaErrors, type ResourceSchemas } from './resourceSchemas.ts';
import { DEFAULT_PARTITIONS, EXCHANGE_WRITES, headers, streamNames } from './streamNames.ts';

/** Dead letters of raw records that no connector claims (produced by something else). */
export const UNATTRIBUTED = '_unattributed';

export interface EvidenceAppender {
  append(input: EvidenceInput): Promise<unknown>;
}

export interface EnforcementContext {
  pool: Pool;
  log: RecordLog;
  schemas: ResourceSchemas;
  grants: GrantDirectory;
  evidence: EvidenceAppender;
  /** streams this process has already created or checked */
  ensured: Set<string>;
  onDeadLetters?: (connector: string, count: number) => void;
}

export interface EnforcementResult {
  stored: number;
  deadLetters: number;
  /** delivered records per grant id */
  delivered: Map<string, number>;
}

export async function ensureStream(log: RecordLog, ensured: Set<string>, stream: string) {
  if (ensured.has(stream)) return;
  await log.createStream(stream, { partitions: DEFAULT_PARTITIONS });
  ensured.add(stream);
}

/** A dead letter as the record log keeps it: the input as value, the reason in headers. */
export function deadLetterRecord(letter: DeadLetter, connector: string): ProduceRecord {
  const recordHeaders: Record<string, string> = {
    [headers.reason]: letter.reason,
    [headers.connector]: connector,
  };
  for (const [name, value] of Object.entries(letter.context ?? {}))
    recordHeaders[`${headers.contextPrefix}${name}`] = value;
  return { key: letter.key || '-', value: letter.value, headers: recordHeaders };
}

/**
 * A raw record refused by enforcement, with the reason, where it stood in the log and where its
 * source read it (a file's name and line: the raw record's `connect.context.*` headers).
 */
function deadLetter(record: LogRecord, reason: string): DeadLetter {
  const context: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers))
    if (name.startsWith(headers.contextPrefix))
      context[name.slice(headers.contextPrefix.length)] = value;
  context.stream = record.stream;
  context.partition = String(record.partition);
  context.offset = String(record.offset);
  return {
    key: record.key,
    value: Buffer.isBuffer(record.value) ? record.value.toString('base64') : record.value,
    reason,
    context,
  };
}

export async function produceDeadLetters(
  context: Pick<EnforcementContext, 'log' | 'ensured'>,
  connector: string,
  letters: readonly DeadLetter[],
): Promise<void> {
  if (letters.length === 0) return;
  const stream = streamNames.deadLetter(connector);
  await ensureStream(context.log, context.ensured, stream);
  await context.log.produce(
    stream,
    letters.map((letter) => deadLetterRecord(letter, connector)),
  );
}

/**
 * One batch of a resource's raw stream through enforcement: validate each record against the
 * resource's latest schema (compiled once), store the valid ones in the hosted record store
 * (upsert by key; unchanged records are left alone), put each active subscription grant's view
 * of them (row filter, fields, masks: the grant's compiled policy, the same object the records
 * API uses) on the grant's delivery stream, record evidence per batch with a digest of what
 * was stored and of what each grant received, and send invalid records to their source
 * connector's dead-letter stream with the reason. Nothing is dropped silently. The caller
 * commits the raw offsets after this resolves: a crash before that repeats the batch, which
 * the store and idempotent sinks absorb.
 */
export async function enforceBatch(
  context: EnforcementContext,
  resourceCode: string,
  records: readonly LogRecord[],
): Promise<EnforcementResult> {
  const result: EnforcementResult = { stored: 0, deadLetters: 0, delivered: new Map() };
  const schema = await context.schemas.latest(resourceCode);
  const dead = new Map<string, DeadLetter[]>();
  const reject = (record: LogRecord, reason: string) => {
    const connector = record.headers[headers.connector] ?? UNATTRIBUTED;
    let list = dead.get(connector);
    if (!list) dead.set(connector, (list = []));
    list.push(deadLetter(record, reason));
  };
  // last version of each key in this batch, in offset order; with the sources of each key
  const valid = new Map<string, { value: Record<string, unknown>; connector: string }>();
  // initial-load markers of new sinks: per grant, the keys to answer with their stored records
  const initialLoads = new Map<string, Set<string>>();
  // keys whose last word in this batch is a deletion (ADR 0012); those a source connector
  // deleted (the store still holds them) with that connector
  const removed = new Set<string>();
  const deletedAtSource = new Map<string, string>();
  // the exchange's deletions, by key: answered from record_deletions below
  const relayedDeletions = new Map<string, LogRecord>();
  for (const record of records) {
    const loadFor = record.headers[headers.initialLoadGrant];
    if (loadFor !== undefined) {
      let keys = initialLoads.get(loadFor);
      if (!keys) initialLoads.set(loadFor, (keys = new Set()));
      keys.add(record.key);
      continue;
    }
    const connector = record.headers[headers.connector] ?? UNATTRIBUTED;
    const isDeletion = record.headers[headers.op] === 'delete';
    // the exchange deleted its records from the store already and noted who could see them; a
    // source connector's deletion is checked here and done below
    if (isDeletion && connector === EXCHANGE_WRITES) {
      deletedAtSource.delete(record.key);
      valid.delete(record.key);
      removed.add(record.key);
      relayedDeletions.set(record.key, record);
      continue;
    }
    if (!schema) {
      reject(record, '资源尚未发布记录结构，不能接收数据');
      continue;
    }
    const raw = record.value;
    const isObject =
      !Buffer.isBuffer(raw) && typeof raw === 'object' && raw !== null && !Array.isArray(raw);
    if (isDeletion) {
      if (!isObject || recordKey(raw, schema.keyFields) !== record.key) {
        reject(
          record,
          `删除标记应只含主键字段 ${schema.keyFields.join(', ')}，且与记录键 ${record.key} 一致`,
        );
        continue;
      }
      deletedAtSource.set(record.key, connector);
      valid.delete(record.key);
      removed.add(record.key);
      continue;
    }
    if (!isObject) {
      reject(record, '记录应为 JSON 对象');
      continue;
    }
    // a null (SQL NULL, JSON null) is no value: the field is left out, as the schema wants
    const value = withoutNulls(record.value as Record<string, unknown>);
    if (!schema.validate(value)) {
      reject(record, describeSchemaErrors(schema.validate.errors));
      continue;
    }
    const key = recordKey(value, schema.keyFields);
    if (key === undefined) {
      reject(record, `缺少主键字段 ${schema.keyFields.join(', ')}`);
      continue;
    }
    if (key !== record.key) {
      reject(record, `记录键 ${record.key} 与主键字段的值 ${key} 不一致`);
      continue;
    }
    valid.delete(key); // re-insert so the map's order is the order of the last versions
    removed.delete(key); // written again after a deletion: the record stands
    deletedAtSource.delete(key);
    valid.set(key, { value, connector });
  }

  for (const [connector, letters] of dead) {
    await produceDeadLetters(context, connector, letters);
    result.deadLetters += letters.length;
    context.onDeadLetters?.(connector, letters.length);
  }
  if (!schema) return result;
  if (valid.size === 0 && removed.size === 0) {
    await deliverInitialLoads(context, schema, resourceCode, initialLoads, valid, result);
    return result;
  }

  const rows = [...valid.entries()].map(([key, { value }]) => ({ key, data: value }));
  // The hosted-store upsert runs while the deliveries are produced (they do not depend on it).
  // If it fails, the batch fails after its deliveries were produced: the caller does not commit
  // the raw offsets and retries the batch, which produces the deliveries again. A delivery
  // stream may then hold a record twice; that is acceptable only because sinks are idempotent
  // by key (ADR 0006), so the sink still ends with each record once. Every produce still gets
  // its delivery evidence entry, appended before this function settles, hence before any raw
  // offset is committed; the `ingest` entry is appended only once the store has written.
  // deliveries go to the active grants; deletions and records leaving a view are noted for every
  // grant not revoked, so that a suspended one's sinks catch up when it is resumed
  const [grants, noted] = await Promise.all([
    context.grants.subscriptionGrants(schema.resourceId),
    context.grants.notedGrants(schema.resourceId),
  ]);
  const storing: Promise<LeftViews> =
    rows.length > 0 ? storeRecords(context.pool, schema, rows, noted) : Promise.resolve(new Map());
  // observed below in every case; this keeps a store failure that comes while a produce is
  // awaited (or after a produce failed) from becoming an unhandled rejection
  storing.catch(() => undefined);

  // Records relayed from the exchange's outbox had their ingestion recorded by the exchange API
  // (who pushed or corrected them); the `ingest` entry covers what the source connectors brought.
  const byConnector = new Map<string, number>();
  const storedDigest = digestRecords();
  let ingested = 0;
  for (const [, { value, connector }] of valid) {
    if (connector === EXCHANGE_WRITES) continue;
    byConnector.set(connector, (byConnector.get(connector) ?? 0) + 1);
    storedDigest.update(value);
    ingested += 1;
  }
  const requestHash = sha256Hex(
    records.map((r) => `${r.stream}/${r.partition}/${r.offset}`).join('\n'),
  );
  // Each is observed by the allSettled below, but only once the deliveries are produced: one
  // that fails before (the ingest entry when the store fails, as it does the moment the database
  // goes away) must not become an unhandled rejection meanwhile, which ends the process.
  const observed = (promise: Promise<unknown>) => {
    promise.catch(() => undefined);
    return promise;
  };
  const evidence: Promise<unknown>[] = [
    observed(
      storing.then(() =>
        ingested === 0
          ? undefined
          : context.evidence.append({
              actor: `connector:${[...byConnector.keys()].sort().join(',')}`,
              actorKind: 'connector',
              department: schema.providerCode,
              resourceCode,
              operation: 'ingest',
              recordCount: ingested,
              requestHash,
              deliveredDigest: storedDigest.digest(),
              details: {
                schemaVersion: schema.version,
                rejected: result.deadLetters,
                connectors: Object.fromEntries(byConnector),
              },
            }),
      ),
    ),
  ];

  let failure: { error: unknown } | undefined;
  try {
    if (deletedAtSource.size > 0) {
      await deleteAtSource(context, schema, resourceCode, deletedAtSource, noted, requestHash);
    }
    const removals = await deletionsOf(context.pool, schema.resourceId, removed);
    await reportPurgedDeletions(context, relayedDeletions, removed, removals, result);
    // records the exchange API wrote out of a grant's view: it noted them (recordsLeavingViews)
    const leftAtExchange = await deletionsOf(
      context.pool,
      schema.resourceId,
      new Set(
        [...valid]
          .filter(
            ([, { value, connector }]) =>
              connector === EXCHANGE_WRITES && grants.some((g) => !g.policy.matches(value)),
          )
          .map(([key]) => key),
      ),
    );
    for (const grant of grants) {
      const { out, digest } = grantView(grant, valid, schema.version);
      const tombstones = grantTombstones(grant, removals, schema.version, digest);
      // only where this grant rejects the version relayed (one it admits goes out as a record)
      tombstones.push(
        ...grantTombstones(
          grant,
          new Map(
            [...leftAtExchange].filter(([key]) => !grant.policy.matches(valid.get(key)!.value)),
          ),
          schema.version,
          digest,
        ),
      );
      if (out.length === 0 && tombstones.length === 0) continue;
      out.push(...tombstones);
      const stream = streamNames.delivery(grant.id);
      await ensureStream(context.log, context.ensured, stream);
      await context.log.produce(stream, out);
      result.delivered.set(grant.id, out.length);
      evidence.push(
        observed(
          context.evidence.append(
            deliveryEvidence(grant, resourceCode, out.length, requestHash, digest, {
              stream,
              schemaVersion: schema.version,
              ...(tombstones.length > 0 ? { removed: tombstones.length } : {}),
            }),
          ),
        ),
      );
    }
    // records this batch took out of a grant's view (noted by the store): a tombstone each
    // (the shaped key fields are JSON values, as a deletion's are)
    const left = (await storing) as Map<string, Record<string, ProduceRecord['value']>>;
    for (const grant of left.size > 0 ? grants : []) {
      const digest = digestRecords();
      const tombstones = grantTombstones(grant, left, schema.version, digest);
      if (tombstones.length === 0) continue;
      const stream = streamNames.delivery(grant.id);
      await ensureStream(context.log, context.ensured, stream);
      await context.log.produce(stream, tombstones);
      result.delivered.set(grant.id, (result.delivered.get(grant.id) ?? 0) + tombstones.length);
      evidence.push(
        observed(
          context.evidence.append(
            deliveryEvidence(grant, resourceCode, tombstones.length, requestHash, digest, {
              stream,
              schemaVersion: schema.version,
              removed: tombstones.length,
              leftView: true,
            }),
          ),
        ),
      );
    }
  } catch (error) {
    failure = { error };
  }
  // wait for the store and every evidence append, whatever failed, so that nothing is left
  // running (or rejecting) after the batch has failed; then report the first failure
  const settled = await Promise.allSettled(evidence);
  if (failure) throw failure.error;
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
  result.stored = rows.length;
  // after the batch's own records are stored and delivered: a marker behind one of them in
  // this batch is answered with that (newest) version
  await deliverInitialLoads(context, schema, resourceCode, initialLoads, valid, result);
  return result;
}

/**
 * 存量同步: answer the initial-load markers of new, restored or resumed sinks (migration
 * 20261124100000_initial_load).
 * Each marker stands in its key's partition behind every record of that key that came before
 * it, all of which are stored by now; so the key's record as it is now — this batch's version if
 * it has one, else the store's — is at least as new as anything the grant's stream already
 * holds, and every later change follows it on the same partition. It goes, through the grant's
 * policy, to that grant's delivery stream only, with a `subscription-delivery` evidence entry.
 * A key no longer stored is answered with a tombstone when the grant could see the deleted
 * record (its `record_deletions` row lists the grant), and otherwise with nothing; so are the
 * markers of a grant no longer active.
 */
async function deliverInitialLoads(
  context: EnforcementContext,
  schema: { resourceId: string; version: number },
  resourceCode: string,
  initialLoads: ReadonlyMap<string, ReadonlySet<string>>,
  batch: ReadonlyMap<string, { value: Record<string, unknown> }>,
  result: EnforcementResult,
): Promise<void> {
  if (initialLoads.size === 0) return;
  const activeGrants = async () =>
    new Map((await context.grants.subscriptionGrants(schema.resourceId)).map((g) => [g.id, g]));
  let active = await activeGrants();
  // a sink is often created right after its grant: ask again rather than trust a cached list
  // that may predate the grant (and drop its markers)
  if ([...initialLoads.keys()].some((id) => !active.has(id))) {
    context.grants.invalidate();
    active = await activeGrants();
  }
  for (const [grantId, keys] of initialLoads) {
    const grant = active.get(grantId);
    if (!grant) continue;
    const current = new Map<string, { value: Record<string, unknown> }>();
    const missing: string[] = [];
    for (const key of keys) {
      const inBatch = batch.get(key);
      if (inBatch) current.set(key, inBatch);
      else missing.push(key);
    }
    if (missing.length > 0) {
      const { rows } = await context.pool.query<{ key: string; data: Record<string, unknown> }>(
        `SELECT record_key AS key, data FROM records
          WHERE resource_id = $1::uuid AND record_key = ANY ($2::text[])`,
        [schema.resourceId, missing],
      );
      for (const row of rows) current.set(row.key, { value: row.data });
    }
    const { out, digest } = grantView(grant, current, schema.version);
    // a key no longer stored, or stored in a version this grant's filter rejects: a tombstone,
    // if this grant could see the deleted record or the version before it left its view (a sink
    // resumed or restored may still hold it)
    const gone = [...keys].filter((key) => {
      const now = current.get(key);
      return now === undefined || !grant.policy.matches(now.value);
    });
    const removals = await deletionsOf(context.pool, schema.resourceId, new Set(gone));
    const tombstones = grantTombstones(grant, removals, schema.version, digest);
    out.push(...tombstones);
    if (out.length === 0) continue;
    const stream = streamNames.delivery(grant.id);
    await ensureStream(context.log, context.ensured, stream);
    await context.log.produce(stream, out);
    result.delivered.set(grant.id, (result.delivered.get(grant.id) ?? 0) + out.length);
    await context.evidence.append(
      deliveryEvidence(grant, resourceCode, out.length, sha256Hex([...keys].join('\n')), digest, {
        stream,
        schemaVersion: schema.version,
        initialLoad: true,
        ...(tombstones.length > 0 ? { removed: tombstones.length } : {}),
      }),
    );
  }
}

/**
 * What a grant receives of some records: those its row filter lets through, shaped by its
 * policy, under the key its consumer sees; with the digest of what it receives.
 */
function grantView(
  grant: DeliveryGrant,
  records: Iterable<readonly [string, { value: Record<string, unknown> }]>,
  schemaVersion: number,
): { out: ProduceRecord[]; digest: ReturnType<typeof digestRecords> } {
  const digest = digestRecords();
  const out: ProduceRecord[] = [];
  // one headers object for the batch: the log encodes it once (copyLogRecords)
  const deliveryHeaders = { [headers.schemaVersion]: String(schemaVersion) };
  for (const [key, { value }] of records) {
    if (!grant.policy.matches(value)) continue;
    const shaped = grant.policy.shape(value);
    digest.update(shaped);
    out.push({
      key: grant.deliveryKey(key),
      value: shaped as ProduceRecord['value'],
      headers: deliveryHeaders,
    });
  }
  return { out, digest };
}

/**
 * Records a source connector deleted (a `postgres-cdc` DELETE): out of the hosted store, noting
 * which non-revoked subscription grants could see each (ADR 0012), with a `delete` evidence
 * entry. A key the store no longer holds (this batch repeated after a crash) deletes nothing again;
 * the tombstones come from the deletion noted the first time.
 */
async function deleteAtSource(
  context: EnforcementContext,
  schema: { resourceId: string; keyFields: string[]; providerCode: string },
  resourceCode: string,
  keys: ReadonlyMap<string, string>,
  grants: readonly DeliveryGrant[],
  requestHash: string,
): Promise<void> {
  const deleted = await inTransaction(context.pool, (client) =>
    deleteHostedRecords(pgQuery(client), {
      resourceId: schema.resourceId,
      keyFields: schema.keyFields,
      keys: [...keys.keys()],
      grants: grants.map((grant) => ({ grantId: grant.id, policy: grant.policy })),
      outbox: false,
    }),
  );
  if (deleted.length === 0) return;
  const byConnector = new Map<string, number>();
  for (const key of deleted) {
    const connector = keys.get(key)!;
    byConnector.set(connector, (byConnector.get(connector) ?? 0) + 1);
  }
  await context.evidence.append({
    actor: `connector:${[...byConnector.keys()].sort().join(',')}`,
    actorKind: 'connector',
    department: schema.providerCode,
    resourceCode,
    operation: 'delete',
    recordCount: deleted.length,
    requestHash,
    details: {
      requested: keys.size,
      keysDigest: digestOf(deleted),
      connectors: Object.fromEntries(byConnector),
    },
  });
}

/**
 * A deletion relayed from the exchange whose `record_deletions` row is gone: it waited in the
 * raw stream for longer than the retention (`RECORD_DELETION_RETENTION_HOURS`) and was purged,
 * so nobody knows any more which grants could see the record. Its tombstones cannot be sent;
 * it becomes a dead letter of the exchange's writes, so that it is not lost silently.
 */
async function reportPurgedDeletions(
  context: EnforcementContext,
  relayed: ReadonlyMap<string, LogRecord>,
  removed: ReadonlySet<string>,
  removals: ReadonlyMap<string, unknown>,
  result: EnforcementResult,
): Promise<void> {
  const letters: DeadLetter[] = [];
  for (const [key, record] of relayed) {
    if (removed.has(key) && !removals.has(key)) {
      letters.push(
        deadLetter(
          record,
          '删除通知已超过保留期被清除，无法确定哪些授权可见该记录，未向订阅方发送删除标记：请通知订阅方核对是否仍持有该记录',
        ),
      );
    }
  }
  if (letters.length === 0) return;
  await produceDeadLetters(context, EXCHANGE_WRITES, letters);
  result.deadLetters += letters.length;
  context.onDeadLetters?.(EXCHANGE_WRITES, letters.length);
}

/**
 * The latest deletion of each key (migration 20261125090000_record_deletions): per grant that
 * could see the deleted record, its key fields as that grant's policy shaped them.
 */
async function deletionsOf(
  pool: Pool,
  resourceId: string,
  keys: ReadonlySet<string>,
): Promise<Map<string, Record<string, ProduceRecord['value']>>> {
  if (keys.size === 0) return new Map();
  const { rows } = await pool.query<{
    key: string;
    grants: Record<string, ProduceRecord['value']>;
  }>(
    `SELECT DISTINCT ON (record_key) record_key AS key, grants FROM record_deletions
      WHERE resource_id = $1::uuid AND record_key = ANY ($2::text[])
      ORDER BY record_key, change_seq DESC`,
    [resourceId, [...keys]],
  );
  return new Map(rows.map((row) => [row.key, row.grants]));
}

/**
 * A grant's tombstones (ADR 0012) for deleted records it could see, under the key its consumer
 * knows, valued with the key fields as its policy shaped them; added to the batch's digest.
 * A deleted record the grant could not see sends it nothing: that would disclose the key.
 */
function grantTombstones(
  grant: DeliveryGrant,
  removals: ReadonlyMap<string, Record<string, ProduceRecord['value']>>,
  schemaVersion: number,
  digest: ReturnType<typeof digestRecords>,
): ProduceRecord[] {
  const out: ProduceRecord[] = [];
  if (removals.size === 0) return out;
  const tombstoneHeaders = {
    [headers.schemaVersion]: String(schemaVersion),
    [headers.op]: 'delete',
  };
  for (const [key, seenBy] of removals) {
    const fields = seenBy[grant.id];
    if (fields === undefined) continue;
    digest.update(fields);
    out.push({ key: grant.deliveryKey(key), value: fields, headers: tombstoneHeaders });
  }
  return out;
}

/** the evidence entry of one produce to a grant's delivery stream */
function deliveryEvidence(
  grant: DeliveryGrant,
  resourceCode: string,
  recordCount: number,
  requestHash: string,
  digest: ReturnType<typeof digestRecords>,
  details: Record<string, unknown>,
): EvidenceInput {
  return {
    actor: 'connector-enforcement',
    actorKind: 'connector',
    department: grant.consumerCode,
    grantId: grant.id,
    purpose: grant.policy.policy.purposes[0] ?? null,
    resourceCode,
    operation: 'subscription-delivery',
    recordCount,
    requestHash,
    deliveredDigest: digest.digest(),
    details,
  };
}

/**
 * Upsert a batch's valid records into the hosted record store. The trigger on records gives
 * each changed record its change number and notifies API subscribers (migration
 * 20261121080000_record_changes); identical data is not rewritten.
 */
/** the hosted-store upsert of enforcement: unchanged records are left alone */
const STORE_SQL = `WITH stored AS (
   INSERT INTO records (resource_id, record_key, key_order, data, schema_version, updated_at)
   SELECT $1::uuid, r.key, r.key_order, r.data, $2, now()
     FROM jsonb_to_recordset($3::jsonb) AS r(key text, key_order jsonb, data jsonb)
   ON CONFLICT (resource_id, record_key) DO UPDATE
     SET data = EXCLUDED.data, key_order = EXCLUDED.key_order,
         schema_version = EXCLUDED.schema_version, updated_at = now()
     WHERE records.data IS DISTINCT FROM EXCLUDED.data
   RETURNING 1)
 UPDATE resources SET data_updated_at = now()
  WHERE id = $1::uuid AND EXISTS (SELECT 1 FROM stored)`;

async function storeRecords(
  pool: Pool,
  schema: { resourceId: string; version: number; keyFields: string[] },
  rows: readonly { key: string; data: Record<string, unknown> }[],
  grants: readonly DeliveryGrant[],
): Promise<LeftViews> {
  const params = [
    schema.resourceId,
    schema.version,
    JSON.stringify(
      rows.map(({ key, data }) => ({
        key,
        key_order: recordKeyOrder(data, schema.keyFields),
        data,
      })),
    ),
  ];
  const views = {
    resourceId: schema.resourceId,
    keyFields: schema.keyFields,
    grants: grants.map((grant) => ({ grantId: grant.id, policy: grant.policy })),
    rows: rows.map((row) => [row.key, row.data] as const),
  };
  // no record a grant's row filter rejects: none can leave a view, one statement as before
  const candidates = leavingCandidates(views);
  if (candidates.size === 0) {
    await pool.query(STORE_SQL, params);
    return new Map();
  }
  return inTransaction(pool, async (client) => {
    const query = pgQuery(client);
    const left = await recordsLeavingViews(query, { ...views, rows: [...candidates] });
    await client.query(STORE_SQL, params);
    await noteLeftViews(query, schema.resourceId, left);
    return left;
  });
}
