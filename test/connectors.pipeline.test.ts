import http from 'node:http';
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSecretResolver,
  startConnectWorker,
  streamNames,
  type ConnectWorker,
} from '@gx/connectors';
import { purgeRecordDeletions } from '@gx/exchange-api';
import { verifyWebhookSignature } from '../connectors/src/plugins/sinks/webhookSink.ts';
import { ExchangeWritesRelay } from '../connectors/src/runtime/ExchangeWritesRelay.ts';
import { PgNotifications } from '../connectors/src/runtime/pgNotifications.ts';
import { EXCHANGE_WRITES } from '../connectors/src/runtime/streamNames.ts';
import { call, startHarness, type Harness } from './harness.ts';
import {
  approvedRequest,
  demoPeople,
  grantedPeopleResource,
  publishedPeopleResource,
  type GrantedResource,
} from './fixtures.ts';
import {
  departmentDatabases,
  peopleSinkConnector,
  peopleSourceConnector,
  peopleTable,
  readWholeStream,
  RSJ_PEOPLE_TABLE,
  type DepartmentDatabases,
} from './connectorFixtures.ts';
import { residentContactItems } from '@gx/platform';
import { until } from '@gx/platform/testing';

/**
 * The whole path a newcomer is promised: 公安局's own database → source connector → raw
 * stream → enforcement (schema, hosted store, the grant's policy, evidence) → the grant's
 * delivery stream → sink connector → 人社局's own database. Real PostgreSQL everywhere, the
 * PostgreSQL record log, workers in this process.
 */
let h: Harness;
let granted: GrantedResource;
let dbs: DepartmentDatabases;
let sourcePool: pg.Pool;
let sinkPool: pg.Pool;
const workers: ConnectWorker[] = [];
const counted = { in: 0, out: 0, dead: 0, errors: 0 };

const WEBHOOK_KEY = 'rsj-webhook-signing-key-for-tests';
const env = () => ({
  ...dbs.secrets,
  RSJ_WEBHOOK_KEY: WEBHOOK_KEY,
});

/** 人社局's webhook receiver: checks every signature, fails its first two requests */
const received = { attempts: 0, badSignatures: 0, keys: new Set<string>() };
interface Served {
  base: string;
  close(): Promise<void>;
}
let receiver: Served;
let refusing: Served;

async function serve(handler: http.RequestListener): Promise<Served> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
let dropDir: string;

function webhookReceiver(): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.attempts += 1;
      const body = Buffer.concat(chunks);
      const ok = verifyWebhookSignature(
        body,
        String(req.headers['x-gx-timestamp']),
        String(req.headers['x-gx-signature']),
        WEBHOOK_KEY,
      );
      if (!ok) received.badSignatures += 1;
      if (!ok || received.attempts <= 2) {
        res.writeHead(ok ? 503 : 401).end();
        return;
      }
      for (const r of (JSON.parse(body.toString('utf8')) as { records: { key: string }[] }).records)
        received.keys.add(r.key);
      res.writeHead(204).end();
    });
  };
}

async function startWorker() {
  const worker = await startConnectWorker({
    pool: h.db.pool,
    recordLog: h.recordLog,
    logger: h.logs.logger,
    leaseMs: 3_000,
    env: env(),
    counters: {
      recordsIn: (_c, n) => (counted.in += n),
      recordsOut: (_c, n) => (counted.out += n),
      deadLetters: (_c, n) => (counted.dead += n),
      error: () => (counted.errors += 1),
    },
  });
  workers.push(worker);
  return worker;
}

const sinkCount = async () =>
  Number((await sinkPool.query('SELECT count(*) AS n FROM rsj_people')).rows[0].n);

/** 公安局's system writes people into one of its tables, in one statement. */
async function insertPeople(table: string, people: ReturnType<typeof demoPeople>) {
  await sourcePool.query(
    `INSERT INTO ${table} (id_number, name, mobile, address, district)
     SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS p(id_number text, name text, mobile text, address text, district text)`,
    [JSON.stringify(people)],
  );
}

const readStream = (stream: string) => readWholeStream(h.recordLog, stream);

beforeAll(async () => {
  // the management API resolves the CDC source's connection when a delete drops its slot
  h = await startHarness({
    connectorSecrets: { resolve: (ref) => createSecretResolver(env()).resolve(ref) },
  });
  granted = await grantedPeopleResource(
    h,
    {
      masks: { mobile: { kind: 'keep_first_last', first: 3, last: 4 } },
      rowFilter: { field: 'district', op: '=', value: '西湖区' },
    },
    2,
  );
  dbs = await departmentDatabases();
  ({ sourcePool, sinkPool } = dbs);
  // the resource requires a name; this table does not, so an invalid row can reach the exchange
  await sourcePool.query(peopleTable('gaj_people', { nameRequired: false }));
  await sinkPool.query(RSJ_PEOPLE_TABLE);

  receiver = await serve(webhookReceiver());
  refusing = await serve((_req, res) => res.writeHead(500).end());
  dropDir = await mkdtemp(path.join(tmpdir(), 'gx-drop-'));
  const rsjSteward = await h.token('hz-rsj.steward');
  const webhook = (name: string, url: string) =>
    call(h.connectors.base, 'POST', '/v1/connectors', {
      token: rsjSteward,
      body: {
        name,
        config: {
          type: 'webhook',
          department: 'hz-rsj',
          grant: granted.grantId,
          options: {
            url,
            signingKey: { secret: { env: 'RSJ_WEBHOOK_KEY' } },
            batchSize: 50,
            maxAttempts: 3,
            initialBackoffMs: 50,
            maxBackoffMs: 200,
          },
        },
      },
    });
  const created = await Promise.all([
    webhook('rsj-people-hook', `${receiver.base}/hooks/people`),
    webhook('rsj-people-refused', `${refusing.base}/hooks/people`),
    call(h.connectors.base, 'POST', '/v1/connectors', {
      token: await h.token('hz-gaj.steward'),
      body: {
        name: 'gaj-people-files',
        config: {
          type: 'file-drop',
          department: 'hz-gaj',
          resource: granted.resourceCode,
          pollIntervalMs: 200,
          options: {
            directory: dropDir,
            format: 'jsonl',
            deleteMarker: { field: '操作', values: ['删除'] },
          },
        },
      },
    }),
    call(h.connectors.base, 'POST', '/v1/connectors', {
      token: await h.token('hz-gaj.steward'),
      body: {
        ...peopleSourceConnector('gaj-people-in', 'gaj_people', granted.resourceCode, 100),
      },
    }),
    call(h.connectors.base, 'POST', '/v1/connectors', {
      token: rsjSteward,
      body: peopleSinkConnector('rsj-people-out', granted.grantId, 100),
    }),
  ]);
  for (const response of created) expect(response.status, JSON.stringify(response.body)).toBe(201);
  // here, not in the first test: each test can run alone (-t)
  await startWorker();
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await Promise.all([dbs?.close(), receiver?.close(), refusing?.close()]);
  if (dropDir) await rm(dropDir, { recursive: true, force: true });
  await h?.close();
});

describe('connectors: a PostgreSQL table to another department under a grant', () => {
  it('moves valid records through enforcement, masked and filtered, and dead-letters the invalid one', async () => {
    const people = demoPeople(60);
    await insertPeople('gaj_people', people);
    // the resource requires a name: this one can only go to the dead-letter stream
    await sourcePool.query(
      `INSERT INTO gaj_people (id_number, name, mobile, address, district)
       VALUES ('330106199001019999', NULL, '13800000000', '某地', '西湖区')`,
    );
    const xihu = people.filter((p) => p.district === '西湖区');
    await until('the sink to hold the 西湖区 records', async () =>
      (await sinkCount()) === xihu.length ? true : undefined,
    );
    const { rows } = await sinkPool.query('SELECT * FROM rsj_people ORDER BY id_number');
    const first = xihu.sort((a, b) => a.id_number.localeCompare(b.id_number))[0]!;
    expect(rows[0]).toEqual({
      id_number: first.id_number,
      name: first.name,
      mobile: `${first.mobile.slice(0, 3)}****${first.mobile.slice(-4)}`,
      district: '西湖区',
    });
    // every valid record is in the hosted store, whatever the grant's filter
    const stored = await h.db.pool.query(
      `SELECT count(*) AS n FROM records r JOIN resources s ON s.id = r.resource_id
        WHERE s.code = $1`,
      [granted.resourceCode],
    );
    expect(Number(stored.rows[0].n)).toBeGreaterThanOrEqual(people.length);

    const dead = await until('the dead letter', async () => {
      const letters = await readStream(streamNames.deadLetter('gaj-people-in'));
      return letters.length > 0 ? letters : undefined;
    });
    expect(dead).toHaveLength(1);
    expect(dead[0]!.key).toBe('330106199001019999');
    // the reason is for a person at the agency: in Chinese, naming the field (a NULL 姓名 is
    // no value, and 姓名 is required)
    expect(dead[0]!.headers['connect.reason']).toBe('不符合资源记录结构: /name 必填');

    // evidence: one ingest entry per batch and deliveries to the grant, with digests
    const evidence = await h.db.pool.query<{ operation: string; n: string }>(
      `SELECT operation, sum(record_count) AS n FROM evidence_entries
        WHERE resource_code = $1 AND actor_kind = 'connector' GROUP BY operation`,
      [granted.resourceCode],
    );
    const byOperation = Object.fromEntries(evidence.rows.map((r) => [r.operation, Number(r.n)]));
    expect(byOperation.ingest).toBeGreaterThanOrEqual(people.length);
    expect(byOperation['subscription-delivery']).toBeGreaterThanOrEqual(xihu.length);

    const status = await call(h.connectors.base, 'GET', '/v1/connectors/rsj-people-out/status', {
      token: await h.token('hz-rsj.steward'),
    });
    expect(status.body.state).toBe('RUNNING');

    // the webhook: two refusals, then every record, every request signed
    await until('the webhook receiver to have every record', async () =>
      received.keys.size === xihu.length ? true : undefined,
    );
    expect(received.badSignatures).toBe(0);
    expect(received.attempts).toBeGreaterThan(2);
    // an endpoint that never accepts: after its attempts, the records are dead letters
    const refused = await until('the refused deliveries in the dead-letter stream', async () => {
      const letters = await readStream(streamNames.deadLetter('rsj-people-refused'));
      return letters.length >= xihu.length ? letters : undefined;
    });
    expect(refused[0]!.headers['connect.reason']).toMatch(/500/);
    // the sink went on with the next records, and its status says why these never arrived
    const rsjSteward = await h.token('hz-rsj.steward');
    const refusedStatus = await until('the refused sink’s last error in its status', async () => {
      const { body } = await call(
        h.connectors.base,
        'GET',
        '/v1/connectors/rsj-people-refused/status',
        { token: rsjSteward },
      );
      return body.tasks[0]?.lastError ? body : undefined;
    });
    expect(refusedStatus.state).toBe('RUNNING');
    const task = refusedStatus.tasks[0];
    expect(task.state).toBe('RUNNING');
    expect(task.lastError).toMatch(
      /^\d+ 条记录未能写入，已转入死信：Webhook 返回 500，已尝试 3 次后放弃$/,
    );
    expect(Date.parse(task.lastErrorAt)).not.toBeNaN();
  });

  it('dead-letters a malformed line of a dropped file with its line number, and takes the rest', async () => {
    const lines = [
      // a null is no value (the record schemas admit none): stored without the field
      JSON.stringify({
        id_number: '330106199001017001',
        name: '文件甲',
        district: '西湖区',
        mobile: null,
      }),
      '{"id_number": "330106199001017002", "name": ',
      JSON.stringify({ id_number: '330106199001017003', name: '文件丙', district: '西湖区' }),
    ];
    await writeFile(path.join(dropDir, 'people.jsonl.part'), `${lines.join('\n')}\n`);
    // writers rename a finished file into place
    await rename(path.join(dropDir, 'people.jsonl.part'), path.join(dropDir, 'people.jsonl'));
    const letters = await until('the malformed line in the dead-letter stream', async () => {
      const all = await readStream(streamNames.deadLetter('gaj-people-files'));
      return all.length > 0 ? all : undefined;
    });
    expect(letters).toHaveLength(1);
    expect(letters[0]!.headers['connect.context.line']).toBe('2');
    expect(letters[0]!.headers['connect.reason']).toBeTruthy();
    await until('the good lines in the sink', async () => {
      const { rows } = await sinkPool.query(
        `SELECT id_number FROM rsj_people WHERE id_number IN ('330106199001017001', '330106199001017003')`,
      );
      return rows.length === 2 ? true : undefined;
    });
    expect(await readdir(dropDir)).not.toContain('people.jsonl');

    // what the provider's steward sees in the management API: the line, why, and the text
    const seen = await call(
      h.connectors.base,
      'GET',
      '/v1/connectors/gaj-people-files/dead-letters',
      {
        token: await h.token('hz-gaj.steward'),
      },
    );
    expect(seen.status).toBe(200);
    expect(seen.body.total).toBe(1);
    expect(seen.body.nextCursor).toBeNull();
    expect(seen.body.items).toHaveLength(1);
    expect(seen.body.items[0]).toMatchObject({
      reason: letters[0]!.headers['connect.reason'],
      context: { line: '2' },
      offset: letters[0]!.offset,
      partition: letters[0]!.partition,
    });
    expect(JSON.stringify(seen.body.items[0].value)).toContain('330106199001017002');
    // reading them consumed nothing: the stream still holds the letter for any reader
    expect(await readStream(streamNames.deadLetter('gaj-people-files'))).toHaveLength(1);
    // another department's steward does not see them
    const other = await call(
      h.connectors.base,
      'GET',
      '/v1/connectors/gaj-people-files/dead-letters',
      {
        token: await h.token('hz-rsj.steward'),
      },
    );
    expect([403, 404]).toContain(other.status);
    const badCursor = await call(
      h.connectors.base,
      'GET',
      '/v1/connectors/gaj-people-files/dead-letters?before=AAAA',
      { token: await h.token('hz-gaj.steward') },
    );
    expect(badCursor.status).toBe(400);
    expect(badCursor.contentType).toContain('application/problem+json');
  });

  it('reads a dropped CSV by the resource’s field types, and names the file and line of a record enforcement refuses', async () => {
    const resourceCode = await publishedPeopleResource(h, [
      ...residentContactItems(),
      { name: 'insured', label: '是否参保', dataType: 'boolean' },
      { name: 'household_size', label: '家庭人口数', dataType: 'integer' },
    ]);
    const csvDir = await mkdtemp(path.join(tmpdir(), 'gx-csv-drop-'));
    try {
      const created = await call(h.connectors.base, 'POST', '/v1/connectors', {
        token: await h.token('hz-gaj.steward'),
        body: {
          name: 'gaj-people-csv',
          config: {
            type: 'file-drop',
            department: 'hz-gaj',
            resource: resourceCode,
            pollIntervalMs: 200,
            options: { directory: csvDir, format: 'csv' },
          },
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      await writeFile(
        path.join(csvDir, '.people.csv'),
        [
          'id_number,name,district,insured,household_size',
          '330106199001018001,表格甲,西湖区,是,3',
          '330106199001018002,表格乙,上城区,false,',
          '330106199001018003,表格丙,西湖区,true,三',
        ].join('\r\n'),
      );
      await rename(path.join(csvDir, '.people.csv'), path.join(csvDir, 'people.csv'));

      const stored = await until('the two good rows in the hosted store', async () => {
        const { rows } = await h.db.pool.query<{ record_key: string; data: object }>(
          `SELECT r.record_key, r.data FROM records r JOIN resources s ON s.id = r.resource_id
            WHERE s.code = $1 ORDER BY r.record_key`,
          [resourceCode],
        );
        return rows.length === 2 ? rows : undefined;
      });
      // yes/no and numbers as the record schema types them; an empty cell is no value
      expect(stored.map((r) => r.data)).toEqual([
        {
          id_number: '330106199001018001',
          name: '表格甲',
          district: '西湖区',
          insured: true,
          household_size: 3,
        },
        { id_number: '330106199001018002', name: '表格乙', district: '上城区', insured: false },
      ]);
      // the row enforcement refused names its file and line, beside its place in the log
      const seen = await until('the refused row among the dead letters', async () => {
        const response = await call(
          h.connectors.base,
          'GET',
          '/v1/connectors/gaj-people-csv/dead-letters',
          { token: await h.token('hz-gaj.steward') },
        );
        return response.body.total === 1 ? response.body : undefined;
      });
      expect(seen.items[0]).toMatchObject({
        key: '330106199001018003',
        context: { file: 'people.csv', line: '4', stream: streamNames.raw(resourceCode) },
      });
      expect(seen.items[0].reason).toContain('household_size');
    } finally {
      await rm(csvDir, { recursive: true, force: true });
    }
  });

  it('delivers what the provider pushes through the records API and what it corrects from an objection, masked', async () => {
    const { rows: mark } = await h.db.pool.query('SELECT max(seq) AS seq FROM evidence_entries');
    const firstSeq = String(mark[0].seq);
    const [pushed, other] = demoPeople(92).slice(90);
    const xihu = { ...pushed!, district: '西湖区' };
    const ingested = await call(
      h.exchange.base,
      'POST',
      `/v1/resources/${granted.resourceCode}/records`,
      {
        token: await h.systemToken('hz-gaj-system'),
        body: { records: [xihu, { ...other!, district: '上城区' }] },
      },
    );
    expect(ingested.body.accepted).toBe(2);
    const sunk = async (key: string) =>
      (await sinkPool.query('SELECT * FROM rsj_people WHERE id_number = $1', [key])).rows[0];
    const row = await until('the pushed record in 人社局’s table', () => sunk(xihu.id_number));
    expect(row).toEqual({
      id_number: xihu.id_number,
      name: xihu.name,
      mobile: `${xihu.mobile.slice(0, 3)}****${xihu.mobile.slice(-4)}`,
      district: '西湖区',
    });

    // 人社局 flags the mobile number; 公安局's steward accepts and corrects the record itself
    const raised = await call(h.exchange.base, 'POST', '/v1/objections', {
      token: await h.systemToken('hz-rsj-system'),
      body: {
        resourceCode: granted.resourceCode,
        recordKey: xihu.id_number,
        fields: ['mobile'],
        description: '该居民的手机号码已停用',
      },
    });
    expect(raised.status).toBe(201);
    const steward = await h.token('hz-gaj.steward');
    const objection = `/v1/objections/${raised.body.id}`;
    const accepted = await call(h.exchange.base, 'POST', `${objection}/answer`, {
      token: steward,
      body: { decision: 'accept', reply: '已核实，将更正' },
    });
    expect(accepted.body.state).toBe('accepted');
    const corrected = await call(h.exchange.base, 'POST', `${objection}/record`, {
      token: steward,
      body: { values: { mobile: '13912345678' } },
    });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    await until('the corrected number in 人社局’s table', async () =>
      (await sunk(xihu.id_number))?.mobile === '139****5678' ? true : undefined,
    );
    // outside the grant's row filter: stored, not delivered
    expect(await sunk(other!.id_number)).toBeUndefined();
    // their ingestion is the exchange API's evidence (by 公安局's system); enforcement adds the
    // deliveries to 人社局, not a second ingestion
    const { rows: entries } = await h.db.pool.query<{ operation: string; actor: string }>(
      `SELECT operation, actor FROM evidence_entries WHERE resource_code = $1 AND seq > $2`,
      [granted.resourceCode, firstSeq],
    );
    expect(entries).toContainEqual({
      operation: 'ingest',
      actor: expect.stringMatching(/^system:/),
    });
    expect(
      entries.filter((e) => e.operation === 'ingest' && e.actor.startsWith('connector:')),
    ).toEqual([]);
    expect(entries.map((e) => e.operation)).toContain('subscription-delivery');
    const { rows: left } = await h.db.pool.query('SELECT count(*) AS n FROM record_outbox');
    expect(Number(left[0].n)).toBe(0);
  });

  it('gives a sink created with initialLoad every record the exchange holds for a new grant, then the changes', async () => {
    // 民政局 is granted the resource only now, with its own policy: its delivery stream is empty,
    // the store holds everything the earlier tests brought (the source, API pushes, corrections)
    const { grantId } = await approvedRequest(
      h,
      granted.resourceCode,
      {
        masks: { mobile: { kind: 'redact' } },
        rowFilter: { field: 'district', op: '=', value: '上城区' },
      },
      'hz-mzj-system',
    );

    await sinkPool.query(RSJ_PEOPLE_TABLE.replace('rsj_people', 'mzj_people'));
    const body = peopleSinkConnector('mzj-people-in', grantId, 100);
    const created = await call(h.connectors.base, 'POST', '/v1/connectors', {
      token: await h.token('hz-mzj.steward'),
      body: {
        ...body,
        config: {
          ...body.config,
          department: 'hz-mzj',
          initialLoad: true,
          options: { ...body.config.options, table: 'mzj_people' },
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.config.initialLoad).toBe(true);
    // the new grant's view of the store: 上城区 only, whoever wrote the records and whenever
    const { rows: held } = await h.db.pool.query<{ key: string; name: string }>(
      `SELECT r.record_key AS key, r.data->>'name' AS name
         FROM records r JOIN resources s ON s.id = r.resource_id
        WHERE s.code = $1 AND r.data->>'district' = '上城区' ORDER BY 1`,
      [granted.resourceCode],
    );
    expect(held.length).toBeGreaterThan(20);
    const loaded = () =>
      sinkPool.query<{ id_number: string; name: string; mobile: string | null }>(
        'SELECT id_number, name, mobile FROM mzj_people ORDER BY 1',
      );
    await until('the stored records in the new sink’s table', async () =>
      (await loaded()).rows.length === held.length ? true : undefined,
    );
    // through the new grant's policy: its rows, the mobile redacted
    expect((await loaded()).rows).toEqual(
      held.map((r) => ({ id_number: r.key, name: r.name, mobile: null })),
    );
    // the new grant's evidence says what it was given; the older grant was given nothing again
    const initialLoadEvidence = async (grant: string) => {
      const { rows } = await h.db.pool.query<{ n: string | null }>(
        `SELECT sum(record_count) AS n FROM evidence_entries
          WHERE grant_id = $1 AND details->>'initialLoad' = 'true'`,
        [grant],
      );
      return Number(rows[0]!.n ?? 0);
    };
    expect(await initialLoadEvidence(grantId)).toBe(held.length);
    expect(await initialLoadEvidence(granted.grantId)).toBe(0);
    // and changes follow as for any sink
    const [later] = demoPeople(93).slice(92);
    await insertPeople('gaj_people', [{ ...later!, district: '上城区' }]);
    await until('a later change in the new sink’s table', async () =>
      (await loaded()).rows.some((r) => r.id_number === later!.id_number) ? true : undefined,
    );

    // 民政局's table is lost (restored from an old backup): its steward asks for the records again
    const before = (await loaded()).rows;
    await sinkPool.query('TRUNCATE mzj_people');
    const again = (token: string, name = 'mzj-people-in') =>
      call(h.connectors.base, 'POST', `/v1/connectors/${name}/initial-load`, { token });
    expect((await again(await h.token('hz-rsj.steward'))).status).toBe(403);
    const source = await again(await h.token('hz-gaj.steward'), 'gaj-people-in');
    expect(source.status).toBe(409);
    expect(source.body.detail).toContain('存量同步只适用于目标连接器');
    const queued = await again(await h.token('hz-mzj.steward'));
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    const { rows: stored } = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM records r JOIN resources s ON s.id = r.resource_id
        WHERE s.code = $1`,
      [granted.resourceCode],
    );
    expect(queued.body).toEqual({ queued: stored[0]!.n });
    await until('the restored sink table', async () =>
      (await loaded()).rows.length === before.length ? true : undefined,
    );
    expect((await loaded()).rows).toEqual(before);
  });

  it('deletes a record a dropped file marks as deleted, from the exchange and from the sink', async () => {
    const key = '330106199001017004';
    const drop = async (name: string, line: object) => {
      await writeFile(path.join(dropDir, `${name}.part`), `${JSON.stringify(line)}\n`);
      await rename(path.join(dropDir, `${name}.part`), path.join(dropDir, name));
    };
    const inSink = async () =>
      (await sinkPool.query('SELECT 1 FROM rsj_people WHERE id_number = $1', [key])).rowCount === 1;
    await drop('add.jsonl', { id_number: key, name: '文件丁', district: '西湖区', 操作: '新增' });
    await until('the new line in the sink', async () => ((await inSink()) ? true : undefined));
    const { rows: mark } = await h.db.pool.query('SELECT max(seq) AS seq FROM evidence_entries');

    await drop('remove.jsonl', { id_number: key, 操作: '删除' });
    await until('the deletion in the sink', async () => ((await inSink()) ? undefined : true));
    const { rows: stored } = await h.db.pool.query(
      `SELECT 1 FROM records r JOIN resources s ON s.id = r.resource_id
        WHERE s.code = $1 AND r.record_key = $2`,
      [granted.resourceCode, key],
    );
    expect(stored).toEqual([]);
    const { rows: deletions } = await h.db.pool.query(
      `SELECT actor, record_count::int AS n FROM evidence_entries
        WHERE seq > $1 AND operation = 'delete' AND resource_code = $2`,
      [String(mark[0].seq), granted.resourceCode],
    );
    expect(deletions).toEqual([{ actor: 'connector:gaj-people-files', n: 1 }]);
    // the marker is the file's, not the record's: nothing was dead-lettered for it
    const letters = await readStream(streamNames.deadLetter('gaj-people-files'));
    expect(letters.filter((l) => JSON.stringify(l.value).includes(key))).toEqual([]);
  });

  it('refuses a deletion marker that is one of the resource’s fields, or that a column mapping drops', async () => {
    const config = (options: Record<string, unknown>) => ({
      type: 'file-drop',
      department: 'hz-gaj',
      resource: granted.resourceCode,
      options: { directory: dropDir, ...options },
    });
    const validate = async (options: Record<string, unknown>) =>
      call(h.connectors.base, 'PUT', '/v1/connector-plugins/file-drop/config/validate', {
        token: await h.token('hz-gaj.steward'),
        body: config(options),
      });
    const own = await validate({ deleteMarker: { field: 'district', values: ['删除'] } });
    expect(own.status).toBe(200);
    expect(own.body.errors).toEqual([
      {
        path: '/options/deleteMarker/field',
        message: expect.stringContaining('删除标记字段 district 是信息资源'),
      },
    ]);
    const dropped = await validate({
      format: 'csv',
      columns: { 身份证号: 'id_number' },
      deleteMarker: { field: '操作', values: ['删除'] },
    });
    expect(dropped.body.errors).toEqual([
      { path: '/options/deleteMarker/field', message: expect.stringContaining('不在列映射') },
    ]);
    const fine = await validate({ deleteMarker: { field: '操作', values: ['删除'] } });
    expect(fine.body).toMatchObject({ errorCount: 0 });
  });

  it('removes a record the provider deletes from the sinks of the grants that could see it, and from no other', async () => {
    // 人社局's grant sees 西湖区, 民政局's (the test above) 上城区; each table holds its own
    const rsj = await sinkPool.query<{ id_number: string }>(
      `SELECT id_number FROM rsj_people WHERE district = '西湖区' ORDER BY 1 LIMIT 1`,
    );
    const mzj = await sinkPool.query<{ id_number: string }>(
      'SELECT id_number FROM mzj_people ORDER BY 1 LIMIT 1',
    );
    const [west, city] = [rsj.rows[0]!.id_number, mzj.rows[0]!.id_number];
    const { rows: mark } = await h.db.pool.query('SELECT max(seq) AS seq FROM evidence_entries');
    const deleted = await call(
      h.exchange.base,
      'POST',
      `/v1/resources/${granted.resourceCode}/records`,
      { token: await h.systemToken('hz-gaj-system'), body: { delete: [west, city] } },
    );
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body.deleted).toBe(2);
    const has = async (table: string, key: string) =>
      (await sinkPool.query(`SELECT 1 FROM ${table} WHERE id_number = $1`, [key])).rowCount === 1;
    await until('the deletions in both tables', async () =>
      !(await has('rsj_people', west)) && !(await has('mzj_people', city)) ? true : undefined,
    );
    // each grant was sent the tombstone of its own record only: evidence counts one removal each
    const { rows: removals } = await h.db.pool.query<{ grant_id: string; n: number }>(
      `SELECT grant_id, sum((details->>'removed')::int)::int AS n FROM evidence_entries
        WHERE seq > $1 AND operation = 'subscription-delivery' AND details ? 'removed'
        GROUP BY grant_id`,
      [String(mark[0].seq)],
    );
    expect(removals).toHaveLength(2);
    expect(removals.every((r) => r.n === 1)).toBe(true);
    // the tombstones on 人社局's stream carry the key fields only, as its policy shaped them
    const tombstones = (await readStream(`gx.delivery.${granted.grantId}`)).filter(
      (r) => r.headers['connect.op'] === 'delete',
    );
    // (other tests' deletions are on the stream too: only these two keys are this test's)
    const mine = tombstones.filter((r) =>
      [west, city].includes((r.value as { id_number: string }).id_number),
    );
    expect(mine.map((r) => r.value)).toEqual([{ id_number: west }]);
  });

  it('keeps a deletion until it is relayed, and dead-letters one that outlived the retention in the raw stream instead of losing it', async () => {
    // a 西湖区 person of its own, delivered to 人社局's table first
    const person = demoPeople(95)[94]!;
    const key = person.id_number;
    await insertPeople('gaj_people', [person]);
    await until('the person in 人社局’s table', async () =>
      (await sinkPool.query('SELECT 1 FROM rsj_people WHERE id_number = $1', [key])).rowCount === 1
        ? true
        : undefined,
    );
    const kept = async () =>
      (await h.db.pool.query('SELECT 1 FROM record_deletions WHERE record_key = $1', [key]))
        .rowCount === 1;
    // no worker runs: the deletion waits in the outbox, then (relayed) in the raw stream
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    const deleted = await call(
      h.exchange.base,
      'DELETE',
      `/v1/resources/${granted.resourceCode}/records/${key}`,
      { token: await h.systemToken('hz-gaj-system') },
    );
    expect(deleted.status).toBe(204);
    await h.db.pool.query(
      `UPDATE record_deletions SET deleted_at = now() - interval '1000 hours' WHERE record_key = $1`,
      [key],
    );
    // still in the outbox: the retention leaves it
    await purgeRecordDeletions(h.db.pool, { retentionHours: 168 });
    expect(await kept()).toBe(true);
    // relayed (what a worker's relay does), then purged before any enforcement reads it
    const notifications = new PgNotifications(h.db.pool, h.logs.logger);
    const relay = new ExchangeWritesRelay({
      pool: h.db.pool,
      log: h.recordLog,
      ensured: new Set(),
      notifications,
      logger: h.logs.logger,
    });
    expect(await relay.pass()).toBeGreaterThan(0);
    await purgeRecordDeletions(h.db.pool, { retentionHours: 168 });
    expect(await kept()).toBe(false);

    await startWorker();
    const letters = async () =>
      // the stream exists once enforcement has dead-lettered something of the exchange's
      (await readStream(streamNames.deadLetter(EXCHANGE_WRITES)).catch(() => [])).filter(
        (r) => r.key === key,
      );
    await until('the dead letter', async () => ((await letters()).length > 0 ? true : undefined));
    expect((await letters())[0]!.headers['connect.reason']).toContain('保留期');
    // nobody knows who could see the record any more: no tombstone went out, 人社局 keeps it
    const tombstones = (await readStream(`gx.delivery.${granted.grantId}`)).filter(
      (r) => r.key === key && r.headers['connect.op'] === 'delete',
    );
    expect(tombstones).toEqual([]);
    expect(
      (await sinkPool.query('SELECT 1 FROM rsj_people WHERE id_number = $1', [key])).rowCount,
    ).toBe(1);
  });

  it('removes a record from the sink of a grant whose row filter it leaves, whether its source or the records API changed it', async () => {
    // two 西湖区 people of this test's own: one from 公安局's table, one pushed through the API
    const [bySource, byApi] = [demoPeople(101)[100]!, demoPeople(103)[102]!];
    const held = async (key: string) =>
      (await sinkPool.query('SELECT 1 FROM rsj_people WHERE id_number = $1', [key])).rowCount === 1;
    const provider = await h.systemToken('hz-gaj-system');
    const push = async (person: ReturnType<typeof demoPeople>[number]) => {
      const res = await call(
        h.exchange.base,
        'POST',
        `/v1/resources/${granted.resourceCode}/records`,
        { token: provider, body: { records: [person] } },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    await insertPeople('gaj_people', [bySource]);
    await push(byApi);
    await until('both in 人社局’s table', async () =>
      (await held(bySource.id_number)) && (await held(byApi.id_number)) ? true : undefined,
    );

    // both move to 上城区, out of 人社局's grant (西湖区)
    const shangcheng = { district: '上城区', address: '浙江省杭州市上城区解放路1号' };
    await sourcePool.query(
      `UPDATE gaj_people SET district = $2, address = $3, updated_at = clock_timestamp()
        WHERE id_number = $1`,
      [bySource.id_number, shangcheng.district, shangcheng.address],
    );
    await push({ ...byApi, ...shangcheng });
    await until('both gone from 人社局’s table', async () =>
      !(await held(bySource.id_number)) && !(await held(byApi.id_number)) ? true : undefined,
    );
    // the exchange still holds both; each change is noted as leaving 人社局's view
    const { rows } = await h.db.pool.query<{ record_key: string; kind: string; listed: boolean }>(
      `SELECT d.record_key, d.kind, d.grants ? $2 AS listed FROM record_deletions d
         JOIN resources r ON r.id = d.resource_id
        WHERE r.code = $1 AND d.record_key = ANY ($3) ORDER BY 1`,
      [granted.resourceCode, granted.grantId, [bySource.id_number, byApi.id_number]],
    );
    expect(rows).toEqual(
      [bySource.id_number, byApi.id_number]
        .sort()
        .map((key) => ({ record_key: key, kind: 'left', listed: true })),
    );
    const { rows: stored } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM records r JOIN resources s ON s.id = r.resource_id
        WHERE s.code = $1 AND r.record_key = ANY ($2) AND r.data->>'district' = '上城区'`,
      [granted.resourceCode, [bySource.id_number, byApi.id_number]],
    );
    expect(stored[0].n).toBe(2);

    // back into 西湖区: back in the table
    await sourcePool.query(
      `UPDATE gaj_people SET district = '西湖区', updated_at = clock_timestamp() WHERE id_number = $1`,
      [bySource.id_number],
    );
    await until('back in 人社局’s table', async () =>
      (await held(bySource.id_number)) ? true : undefined,
    );
  });

  it('brings a resumed grant’s sink up to date with what changed, was deleted or left its view while it was suspended', async () => {
    const approver = await h.token('hz-gaj.approver');
    const path = `/v1/grants/${granted.grantId}`;
    const mobileOf = async (key: string) =>
      (
        await sinkPool.query<{ mobile: string }>(
          'SELECT mobile FROM rsj_people WHERE id_number = $1',
          [key],
        )
      ).rows[0]?.mobile;
    // three 西湖区 people of this test's own, delivered to 人社局's table first
    const people = demoPeople(105);
    const [changed, deleted, moved] = [people[96]!, people[98]!, people[104]!];
    await insertPeople('gaj_people', [changed, deleted, moved]);
    await until('all three in 人社局’s table', async () =>
      (await mobileOf(changed.id_number)) &&
      (await mobileOf(deleted.id_number)) &&
      (await mobileOf(moved.id_number))
        ? true
        : undefined,
    );
    const suspended = await call(h.exchange.base, 'POST', `${path}/suspend`, {
      token: approver,
      body: { reason: '核查数据使用情况' },
    });
    expect(suspended.body.status).toBe('suspended');

    // while it is suspended, 公安局 changes one (through the records API) and deletes the other
    const provider = await h.systemToken('hz-gaj-system');
    const records = `/v1/resources/${granted.resourceCode}/records`;
    const written = await call(h.exchange.base, 'POST', records, {
      token: provider,
      body: { records: [{ ...changed, mobile: '13911112222' }], delete: [deleted.id_number] },
    });
    expect(written.body).toMatchObject({ accepted: 1, deleted: 1 });
    // and its own table moves the third to 上城区, out of the grant's view
    await sourcePool.query(
      `UPDATE gaj_people SET district = '上城区', updated_at = clock_timestamp() WHERE id_number = $1`,
      [moved.id_number],
    );
    await until('the move in the hosted store', async () => {
      const { rows } = await h.db.pool.query(
        `SELECT 1 FROM records WHERE record_key = $1 AND data->>'district' = '上城区'`,
        [moved.id_number],
      );
      return rows.length === 1 ? true : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // the suspended grant's sink hears of neither
    expect(await mobileOf(changed.id_number)).toBe(
      `${changed.mobile.slice(0, 3)}****${changed.mobile.slice(-4)}`,
    );
    expect(await mobileOf(deleted.id_number)).toBeDefined();
    expect(await mobileOf(moved.id_number)).toBeDefined();
    // a suspension longer than the retention: what the deletion and the move left is kept for
    // the suspended grant, which has a sink, however old
    const age = (hours: number) =>
      h.db.pool.query(
        `UPDATE record_deletions SET deleted_at = now() - $2::int * interval '1 hour'
          WHERE record_key = ANY ($1::text[])`,
        [[deleted.id_number, moved.id_number], hours],
      );
    const noted = async () =>
      (
        await h.db.pool.query(
          `SELECT record_key FROM record_deletions WHERE record_key = ANY ($1::text[])
            ORDER BY change_seq`,
          [[deleted.id_number, moved.id_number]],
        )
      ).rows.map((r) => r.record_key);
    await age(1_000);
    await purgeRecordDeletions(h.db.pool, { retentionHours: 168 });
    expect(await noted()).toEqual([deleted.id_number, moved.id_number]);

    const resumed = await call(h.exchange.base, 'POST', `${path}/resume`, { token: approver });
    expect(resumed.body.status).toBe('active');
    await until('人社局’s table up to date', async () =>
      (await mobileOf(changed.id_number)) === '139****2222' &&
      (await mobileOf(deleted.id_number)) === undefined &&
      (await mobileOf(moved.id_number)) === undefined
        ? true
        : undefined,
    );
    // the resumption's evidence says it queued the 存量同步
    const { rows } = await h.db.pool.query(
      `SELECT details FROM evidence_entries
        WHERE operation = 'grant-change' AND grant_id = $1 ORDER BY seq DESC LIMIT 1`,
      [granted.grantId],
    );
    expect(rows[0].details).toMatchObject({ change: 'resume' });
    expect(rows[0].details.initialLoadQueued).toBeGreaterThan(2);
    // once the grant is active again and its 存量同步 relayed, the retention takes them
    await until('the 存量同步 relayed', async () => {
      const { rows: waiting } = await h.db.pool.query(
        'SELECT 1 FROM record_outbox WHERE initial_load_grant = $1 LIMIT 1',
        [granted.grantId],
      );
      return waiting.length === 0 ? true : undefined;
    });
    await purgeRecordDeletions(h.db.pool, { retentionHours: 168 });
    expect(await noted()).toEqual([]);
  });

  it('stops delivering once the grant is revoked, while the provider’s records keep arriving', async () => {
    const before = await sinkCount();
    const revoked = await call(h.exchange.base, 'POST', `/v1/grants/${granted.grantId}/revoke`, {
      token: await h.token('hz-gaj.approver'),
      body: { reason: '用途已完成' },
    });
    expect(revoked.body.status).toBe('revoked');
    const later = demoPeople(80).slice(60);
    await insertPeople('gaj_people', later);
    // the provider's side goes on: the new records reach the hosted store
    await until('the new records in the hosted store', async () => {
      const { rows } = await h.db.pool.query(
        `SELECT count(*) AS n FROM records r JOIN resources s ON s.id = r.resource_id
          WHERE s.code = $1 AND r.record_key = ANY ($2)`,
        [granted.resourceCode, later.map((p) => p.id_number)],
      );
      return Number(rows[0].n) === later.length ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await sinkCount()).toBe(before);
    const status = await call(h.connectors.base, 'GET', '/v1/connectors/rsj-people-out/status', {
      token: await h.token('hz-rsj.steward'),
    });
    expect(JSON.stringify(status.body)).toContain('授权已撤销');
    // and its records cannot be asked for again
    const again = await call(
      h.connectors.base,
      'POST',
      '/v1/connectors/rsj-people-out/initial-load',
      { token: await h.token('hz-rsj.steward') },
    );
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('已撤销');
  });
  it('captures inserts, updates and deletes of a table through logical replication (postgres-cdc)', async () => {
    // what the agency's DBA does once: a table with a primary key, and a publication of it
    await sourcePool.query(`
      CREATE TABLE gaj_people_cdc (id_number text PRIMARY KEY, name text NOT NULL, mobile text,
        address text, district text);
      CREATE PUBLICATION gx_gaj_people FOR TABLE gaj_people_cdc`);
    const created = await call(h.connectors.base, 'POST', '/v1/connectors', {
      token: await h.token('hz-gaj.steward'),
      body: {
        name: 'gaj-people-cdc',
        config: {
          type: 'postgres-cdc',
          department: 'hz-gaj',
          resource: granted.resourceCode,
          pollIntervalMs: 200,
          options: {
            connection: { secret: { env: 'GAJ_DB_URL' } },
            table: 'gaj_people_cdc',
            publication: 'gx_gaj_people',
            keyColumns: ['id_number'],
          },
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Changes are captured from the moment the slot is ready, not from when it appears: it is
    // listed while PostgreSQL still waits for the transactions running in the whole cluster
    // (other tests' databases too) to end, and a change committed meanwhile is not decoded.
    // Ready is when it has a confirmed position.
    await until('the connector’s replication slot to be ready', async () => {
      const { rows } = await sourcePool.query(
        `SELECT 1 FROM pg_replication_slots
          WHERE database = current_database() AND confirmed_flush_lsn IS NOT NULL`,
      );
      return rows.length > 0 ? true : undefined;
    });
    const people = demoPeople(93).slice(90);
    await insertPeople('gaj_people_cdc', people);
    await sourcePool.query(`UPDATE gaj_people_cdc SET name = '更名后' WHERE id_number = $1`, [
      people[0]!.id_number,
    ]);
    const storedRows = async () =>
      (
        await h.db.pool.query<{ record_key: string; name: string }>(
          `SELECT r.record_key, r.data->>'name' AS name
             FROM records r JOIN resources s ON s.id = r.resource_id
            WHERE s.code = $1 AND r.record_key = ANY ($2) ORDER BY r.record_key`,
          [granted.resourceCode, people.map((p) => p.id_number)],
        )
      ).rows;
    const stored = await until('the captured rows in the hosted store', async () => {
      const rows = await storedRows();
      return rows.length === people.length && rows.some((r) => r.name === '更名后')
        ? rows
        : undefined;
    });
    expect(stored.find((r) => r.record_key === people[0]!.id_number)?.name).toBe('更名后');
    expect(stored.find((r) => r.record_key === people[2]!.id_number)?.name).toBe(people[2]!.name);
    // people[1] lives in 上城区: 民政局's grant (the initialLoad test) delivers it to its table
    const inMzj = async () =>
      (
        await sinkPool.query('SELECT 1 FROM mzj_people WHERE id_number = $1', [
          people[1]!.id_number,
        ])
      ).rowCount === 1;
    await until('the captured 上城区 row at 民政局', async () =>
      (await inMzj()) ? true : undefined,
    );

    // a row deleted at the source leaves the hosted store and 民政局's table, as evidence
    const { rows: mark } = await h.db.pool.query('SELECT max(seq) AS seq FROM evidence_entries');
    await sourcePool.query('DELETE FROM gaj_people_cdc WHERE id_number = $1', [
      people[1]!.id_number,
    ]);
    await until('the deletion at 民政局', async () => ((await inMzj()) ? undefined : true));
    expect((await storedRows()).map((r) => r.record_key)).toEqual(
      [people[0]!, people[2]!].map((p) => p.id_number).sort(),
    );
    const { rows: deletions } = await h.db.pool.query(
      `SELECT actor, record_count::int AS n FROM evidence_entries
        WHERE seq > $1 AND operation = 'delete' AND resource_code = $2`,
      [String(mark[0].seq), granted.resourceCode],
    );
    expect(deletions).toEqual([{ actor: 'connector:gaj-people-cdc', n: 1 }]);
    expect(await readStream(streamNames.deadLetter('gaj-people-cdc'))).toEqual([]);

    // deleting the running connector drops its slot: a forgotten one keeps the agency's WAL
    // until the disk fills
    const token = await h.token('hz-gaj.steward');
    const deleted = await call(h.connectors.base, 'DELETE', '/v1/connectors/gaj-people-cdc', {
      token,
    });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
    // (the view is the whole cluster's: other tests' slots live in other databases)
    const slots = await sourcePool.query(
      'SELECT slot_name FROM pg_replication_slots WHERE database = current_database()',
    );
    expect(slots.rows).toEqual([]);
    const gone = await call(h.connectors.base, 'GET', '/v1/connectors/gaj-people-cdc', { token });
    expect(gone.status).toBe(404);
  }, 120_000);
});
