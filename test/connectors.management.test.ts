import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorsApp } from '@gx/connectors';
import { createMetrics, residentContactItems } from '@gx/platform';
import { expectResponseMatchesSpec, listen } from '@gx/platform/testing';
import { openApiSpecPath } from '@gx/schemas';
import { createConnectorMetrics } from '../connectors/src/runtime/connectorMetrics.ts';
import {
  defineSink,
  defineSource,
  type ConnectorPlugin,
} from '../connectors/src/runtime/plugin.ts';
import { fileDropSource } from '../connectors/src/plugins/sources/fileDropSource.ts';
import { SECRET_REF_SCHEMA_ID } from '../connectors/src/runtime/secrets.ts';
import { expireDeletedSinkOffsets } from '../connectors/src/runtime/expireSinkOffsets.ts';
import { streamGroups, streamNames } from '../connectors/src/runtime/streamNames.ts';
import { call, startHarness, type Harness } from './harness.ts';
import {
  grantedPeopleResource,
  peopleEntry,
  publishedPeopleResource,
  type GrantedResource,
} from './fixtures.ts';

/**
 * The connectors management API as a department's steward or system meets it: real HTTP,
 * real tokens from the embedded provider, the real database and PostgreSQL record log. The
 * plugins are small test types with real options schemas (the build's own plugins are tested
 * beside them); nothing here runs a worker, so live workers are rows a worker would write.
 */

const SPEC = openApiSpecPath('connectors');
const SECRET = { $ref: SECRET_REF_SCHEMA_ID };
const notUsed = () => Promise.reject(new Error('management never starts a task'));

const PLUGINS: ConnectorPlugin[] = [
  defineSource({
    type: 'test-http-source',
    title: '测试 HTTP 来源',
    kind: 'source',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['url', 'token'],
      properties: {
        url: { type: 'string', format: 'uri', title: '地址' },
        token: { ...SECRET, title: '访问令牌' },
        pageSize: { type: 'integer', minimum: 1, maximum: 1000 },
      },
    },
    positionSchema: { type: 'object', properties: { page: { type: 'integer', minimum: 1 } } },
    create: notUsed,
  }),
  defineSource({
    type: 'test-file-source',
    title: '测试文件来源',
    kind: 'source',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['directory'],
      properties: {
        directory: { type: 'string', pattern: '^/' },
        deleteMarker: {
          $ref: 'https://schemas.gov-exchange.cn/connectors/delete-marker.schema.json',
        },
      },
    },
    // the build's file-drop positions: what its task reads back
    positionSchema: fileDropSource.positionSchema,
    create: notUsed,
  }),
  defineSink({
    type: 'test-db-sink',
    title: '测试数据库目标',
    kind: 'sink',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['table', 'password'],
      properties: { table: { type: 'string', minLength: 1 }, password: SECRET },
    },
    create: notUsed,
  }),
];

/** a value that must never come back from the API or reach a log line */
const PLAIN_SECRET = 'S3cret-Value-Never-Echoed';

let h: Harness;
let granted: GrantedResource;
const tokens = {} as Record<
  'gajSteward' | 'gajApprover' | 'rsjSteward' | 'mzjSteward' | 'admin' | 'rsjSystem',
  string
>;

interface Answer {
  status: number;
  headers: Headers;
  contentType: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

/** Call the connectors API; every answer with a body is checked against the spec. */
async function api(
  method: string,
  path: string,
  template: string,
  options: { token?: string; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${h.connectors.base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const contentType = res.headers.get('content-type') ?? '';
  const text = await res.clone().text();
  const body = text ? await expectResponseMatchesSpec(SPEC, method, template, res) : undefined;
  return { status: res.status, headers: res.headers, contentType, body, text };
}

const SECRET_REF = { secret: { env: 'GAJ_API_TOKEN' } };
const sourceConfig = (overrides: Record<string, unknown> = {}) => ({
  type: 'test-http-source',
  department: 'hz-gaj',
  resource: granted.resourceCode,
  options: {
    url: 'https://gaj.example.cn/api/people',
    token: { secret: { env: 'GAJ_API_TOKEN' } },
  },
  ...overrides,
});

const sinkConfig = (overrides: Record<string, unknown> = {}) => ({
  type: 'test-db-sink',
  department: 'hz-rsj',
  grant: granted.grantId,
  options: { table: 'people', password: { secret: { file: '/run/secrets/rsj-db' } } },
  batchSize: 200,
  ...overrides,
});

/** a worker that is alive (its lease runs a minute more) and holds one task of `connector` */
async function liveWorker(connector: string, state: 'running' | 'failed', lastError?: string) {
  const { rows } = await h.db.pool.query<{ id: string }>(
    `INSERT INTO connect_workers (id, client, expires_at)
     VALUES (gen_random_uuid(), 'test-host:4242', now() + interval '1 minute') RETURNING id::text`,
  );
  const workerId = rows[0]!.id;
  await h.db.pool.query(
    `INSERT INTO connector_tasks (task, worker_id, connector, state, last_error, last_error_at)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $5::text IS NULL THEN NULL ELSE now() END)`,
    [`source:${connector}`, workerId, connector, state, lastError ?? null],
  );
  return {
    workerId,
    /** the lease runs out, as when the worker was killed and stopped heartbeating */
    expire: () =>
      h.db.pool.query(
        `UPDATE connect_workers SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [workerId],
      ),
  };
}

beforeAll(async () => {
  h = await startHarness({ connectorPlugins: PLUGINS });
  granted = await grantedPeopleResource(h, {}, 10);
  tokens.gajSteward = await h.token('hz-gaj.steward');
  tokens.gajApprover = await h.token('hz-gaj.approver');
  tokens.rsjSteward = await h.token('hz-rsj.steward');
  tokens.mzjSteward = await h.token('hz-mzj.steward');
  tokens.admin = await h.token('admin');
  tokens.rsjSystem = await h.systemToken('hz-rsj-system');
});

afterAll(async () => {
  await h?.close();
});

describe('connector plugins', () => {
  it('lists the types with their options schemas', async () => {
    const res = await api('GET', '/v1/connector-plugins', '/v1/connector-plugins', {
      token: tokens.rsjSystem,
    });
    expect(res.status).toBe(200);
    expect(res.body.map((p: { type: string; kind: string }) => [p.type, p.kind])).toEqual([
      ['test-db-sink', 'sink'],
      ['test-file-source', 'source'],
      ['test-http-source', 'source'],
    ]);
    expect(res.body[0].optionsSchema.properties.password).toEqual(SECRET);
    // a source's positions, titled (the console words a stored position with them); a sink has none
    expect(res.body[1].positionSchema).toEqual(fileDropSource.positionSchema);
    expect(res.body[1].positionSchema.properties.line.title).toBe('已读到的行号');
    expect(res.body[0]).not.toHaveProperty('positionSchema');
    expect((await api('GET', '/v1/connector-plugins', '/v1/connector-plugins')).status).toBe(401);
  });
});

describe('a source connector from create to delete', () => {
  const name = 'gaj-people.http_1';
  const path = `/v1/connectors/${name}`;
  const T = '/v1/connectors/{name}';

  it('creates, reads, reports status, pauses, resumes, stops, resets offsets and deletes', async () => {
    const token = tokens.gajSteward;
    const created = await api('POST', '/v1/connectors', '/v1/connectors', {
      token,
      body: { name, config: sourceConfig() },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('location')).toBe(path);
    expect(created.body).toMatchObject({
      name,
      kind: 'source',
      type: 'test-http-source',
      state: 'running',
      department: 'hz-gaj',
      resource: granted.resourceCode,
      generation: 1,
      // defaults are filled in; the secret stays a reference
      config: { ...sourceConfig(), batchSize: 500, pollIntervalMs: 1000 },
    });
    expect(created.body.grant).toBeUndefined();

    const again = await api('POST', '/v1/connectors', '/v1/connectors', {
      token,
      body: { name, config: sourceConfig() },
    });
    expect(again.status).toBe(409);
    expect(again.contentType).toContain('application/problem+json');

    const got = await api('GET', path, T, { token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
    const config = await api('GET', `${path}/config`, `${T}/config`, { token });
    expect(config.body.options.token).toEqual({ secret: { env: 'GAJ_API_TOKEN' } });

    const status = () => api('GET', `${path}/status`, `${T}/status`, { token });
    expect((await status()).body).toEqual({ name, state: 'UNASSIGNED', tasks: [] });

    const change = async (what: string, method = 'PUT') => {
      const res = await api(method, `${path}/${what}`, `${T}/${what}`, { token });
      expect(res.status, `${what}: ${res.text}`).toBe(202);
      expect(res.text).toBe('');
    };
    await change('pause');
    expect((await status()).body.state).toBe('PAUSED');
    await change('resume');
    expect((await status()).body.state).toBe('UNASSIGNED');

    // a worker picks the task up, then its task fails
    const worker = await liveWorker(name, 'running');
    expect((await status()).body).toEqual({
      name,
      state: 'RUNNING',
      tasks: [
        {
          id: `source:${name}`,
          workerId: worker.workerId,
          state: 'RUNNING',
          lastError: null,
          lastErrorAt: null,
        },
      ],
    });
    await h.db.pool.query(
      `UPDATE connector_tasks SET state = 'failed', last_error = '连接被拒绝', last_error_at = now()
        WHERE connector = $1`,
      [name],
    );
    const failed = (await status()).body;
    expect(failed.state).toBe('FAILED');
    expect(failed.tasks[0]).toMatchObject({ state: 'FAILED', lastError: '连接被拒绝' });
    expect(Date.parse(failed.tasks[0].lastErrorAt)).not.toBeNaN();

    await change('restart', 'POST');
    expect((await api('GET', path, T, { token })).body.generation).toBe(2);

    // offsets cannot move under a running connector
    const offsets = () => api('GET', `${path}/offsets`, `${T}/offsets`, { token });
    expect((await offsets()).body).toEqual({ kind: 'source', position: null });
    for (const [method, body] of [
      ['PATCH', { position: { file: 'people.csv', line: 17 } }],
      ['DELETE', undefined],
    ] as const) {
      const refused = await api(method, `${path}/offsets`, `${T}/offsets`, { token, body });
      expect(refused.status).toBe(409);
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body.detail).toContain('须先停止');
    }

    // stopped, but the worker has not let go of the task yet
    await change('stop');
    const stopped = (await status()).body;
    expect(stopped.state).toBe('STOPPED');
    expect(stopped.tasks).toHaveLength(1);
    const held = await api('PATCH', `${path}/offsets`, `${T}/offsets`, {
      token,
      body: { position: { file: 'people.csv', line: 17 } },
    });
    expect(held.status).toBe(409);
    expect(held.body.detail).toContain('仍有 1 个工作进程');

    // the worker's lease ran out: its row no longer counts
    await worker.expire();
    expect((await status()).body).toEqual({ name, state: 'STOPPED', tasks: [] });
    const moved = await api('PATCH', `${path}/offsets`, `${T}/offsets`, {
      token,
      body: { position: { file: 'people.csv', line: 17 } },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body).toEqual({ kind: 'source', position: { file: 'people.csv', line: 17 } });
    expect((await offsets()).body.position).toEqual({ file: 'people.csv', line: 17 });
    const wrongKind = await api('PATCH', `${path}/offsets`, `${T}/offsets`, {
      token,
      body: { partitions: [{ partition: 0, offset: 1 }] },
    });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.errors).toEqual([{ path: '/partitions', message: expect.any(String) }]);

    const reset = await api('DELETE', `${path}/offsets`, `${T}/offsets`, { token });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ kind: 'source', position: null });

    // another plugin type forgets the old plugin's position
    await api('PATCH', `${path}/offsets`, `${T}/offsets`, {
      token,
      body: { position: { page: 3 } },
    });
    const retyped = await api('PUT', `${path}/config`, `${T}/config`, {
      token,
      body: sourceConfig({ type: 'test-file-source', options: { directory: '/data/in' } }),
    });
    expect(retyped.status, retyped.text).toBe(200);
    expect(retyped.body).toMatchObject({ type: 'test-file-source', generation: 3 });
    expect((await offsets()).body.position).toBeNull();
    // a position the plugin could not read is refused, naming the field
    const badLine = await api('PATCH', `${path}/offsets`, `${T}/offsets`, {
      token,
      body: { position: { file: 'batch1.csv', line: 'abc' } },
    });
    expect(badLine.status).toBe(400);
    expect(badLine.contentType).toContain('application/problem+json');
    expect(badLine.body.detail).toBe('位点不符合 test-file-source 连接器的格式：line 应为整数');
    expect(badLine.body.errors).toEqual([{ path: '/position/line', message: '应为整数' }]);
    const noFile = await api('PATCH', `${path}/offsets`, `${T}/offsets`, {
      token,
      body: { position: { page: 3 } },
    });
    expect(noFile.status).toBe(400);
    expect(noFile.body.errors).toEqual(
      expect.arrayContaining([
        { path: '/position/file', message: '必填' },
        { path: '/position/page', message: '不认识的字段' },
      ]),
    );
    expect((await offsets()).body.position).toBeNull();
    const good = await api('PATCH', `${path}/offsets`, `${T}/offsets`, {
      token,
      body: { position: { file: 'batch1.csv', line: 3 } },
    });
    expect(good.status, good.text).toBe(200);

    await change('resume');
    expect((await status()).body.state).toBe('UNASSIGNED');
    const deleted = await api('DELETE', path, T, { token });
    expect(deleted.status).toBe(204);
    expect((await api('GET', path, T, { token })).status).toBe(404);
    expect((await api('PUT', `${path}/pause`, `${T}/pause`, { token })).status).toBe(404);
  });
});

describe('a sink connector', () => {
  const name = 'rsj-people-sink';
  const path = `/v1/connectors/${name}`;
  const T = '/v1/connectors/{name}';

  it("reads its grant's delivery stream offsets and lag, and resets them once stopped", async () => {
    const token = tokens.rsjSystem;
    const created = await api('POST', '/v1/connectors', '/v1/connectors', {
      token,
      body: { name, config: sinkConfig() },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'sink',
      grant: granted.grantId,
      department: 'hz-rsj',
    });
    expect(created.body.resource).toBeUndefined();
    expect(created.body.config.options.password).toEqual({
      secret: { file: '/run/secrets/rsj-db' },
    });

    const offsets = () => api('GET', `${path}/offsets`, `${T}/offsets`, { token });
    // nobody has delivered anything yet: the stream does not exist
    expect((await offsets()).body).toEqual({ kind: 'sink', partitions: [] });

    const stream = streamNames.delivery(granted.grantId);
    await h.recordLog.createStream(stream, { partitions: 4 });
    const produced = await h.recordLog.produce(
      stream,
      granted.people.map((p) => ({ key: p.id_number, value: p })),
    );
    const ends = [0, 1, 2, 3].map(
      (partition) => produced.filter((p) => p.partition === partition).length,
    );
    const before = (await offsets()).body;
    expect(before).toEqual({
      kind: 'sink',
      partitions: ends.map((end, partition) => ({ partition, offset: null, end, lag: end })),
    });

    const metrics = await call(h.connectors.base, 'GET', '/metrics');
    expect(metrics.body).toContain(
      `gx_connector_lag_records{connector="${name}",service="connectors"} ${granted.people.length}`,
    );

    const refused = await api('PATCH', `${path}/offsets`, `${T}/offsets`, {
      token,
      body: { partitions: [{ partition: 0, offset: 0 }] },
    });
    expect(refused.status).toBe(409);

    expect((await api('PUT', `${path}/stop`, `${T}/stop`, { token })).status).toBe(202);
    const busiest = ends.indexOf(Math.max(...ends));
    const moved = await api('PATCH', `${path}/offsets`, `${T}/offsets`, {
      token,
      body: { partitions: [{ partition: busiest, offset: 1 }] },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.partitions[busiest]).toEqual({
      partition: busiest,
      offset: 1,
      end: ends[busiest],
      lag: ends[busiest]! - 1,
    });
    const metricsAfter = await call(h.connectors.base, 'GET', '/metrics');
    expect(metricsAfter.body).toContain(
      `gx_connector_lag_records{connector="${name}",service="connectors"} ${granted.people.length - 1}`,
    );

    const beyond = await api('PATCH', `${path}/offsets`, `${T}/offsets`, {
      token,
      body: {
        partitions: [
          { partition: busiest, offset: 0 },
          { partition: (busiest + 1) % 4, offset: 1_000 },
        ],
      },
    });
    expect(beyond.status).toBe(400);
    expect(beyond.body.errors).toEqual([
      { path: '/partitions/1/offset', message: expect.any(String) },
    ]);
    const noSuchPartition = await api('PATCH', `${path}/offsets`, `${T}/offsets`, {
      token,
      body: { partitions: [{ partition: 7, offset: 0 }] },
    });
    expect(noSuchPartition.status).toBe(400);
    expect(noSuchPartition.body.errors[0].path).toBe('/partitions/0/partition');

    const reset = await api('DELETE', `${path}/offsets`, `${T}/offsets`, { token });
    expect(reset.status).toBe(200);
    expect(reset.body.partitions).toEqual(
      ends.map((end, partition) => ({ partition, offset: 0, end, lag: end })),
    );
  });

  it('serves the connector counters and the lag on /metrics of the process that runs them', async () => {
    // a second connectors process on the same database: what a worker process exposes
    const metrics = createMetrics('connectors');
    const connectorMetrics = createConnectorMetrics(metrics.registry, {
      pool: h.db.pool,
      recordLog: h.recordLog,
    });
    const deps = h.serviceDependencies(h.db, 'connectors');
    const other = await listen(
      createConnectorsApp({
        ...deps,
        config: { ...deps.config, RECORD_LOG_LEASE_MS: 10_000 },
        metrics,
        recordLog: h.recordLog,
        plugins: PLUGINS,
        connectorMetrics,
      }),
    );
    try {
      connectorMetrics.recordsIn('gaj-people', 120);
      connectorMetrics.recordsIn('gaj-people', 3);
      connectorMetrics.recordsOut(name, 40);
      connectorMetrics.deadLetters('gaj-people', 2);
      connectorMetrics.error(name);
      connectorMetrics.error(name);
      const text = (await call(other.base, 'GET', '/metrics')).body as string;
      const line = (metric: string, connector: string) =>
        `${metric}{connector="${connector}",service="connectors"}`;
      expect(text).toContain(`${line('gx_connector_records_in_total', 'gaj-people')} 123`);
      expect(text).toContain(`${line('gx_connector_records_out_total', name)} 40`);
      expect(text).toContain(`${line('gx_connector_dead_letters_total', 'gaj-people')} 2`);
      expect(text).toContain(`${line('gx_connector_errors_total', name)} 2`);
      // offsets were reset to the earliest record above: every record is lag again
      expect(text).toContain(`${line('gx_connector_lag_records', name)} ${granted.people.length}`);
    } finally {
      await other.close();
    }
  });

  it('keeps its offsets when deleted, and forgets them once the retention has passed', async () => {
    const token = tokens.rsjSystem;
    const other = `${name}-2`;
    const otherPath = `/v1/connectors/${other}`;
    const created = await api('POST', '/v1/connectors', '/v1/connectors', {
      token,
      body: { name: other, config: sinkConfig() },
    });
    expect(created.status, created.text).toBe(201);
    expect((await api('PUT', `${otherPath}/stop`, `${T}/stop`, { token })).status).toBe(202);
    // committed offsets at the start of each of the 4 partitions
    const reset = await api('DELETE', `${otherPath}/offsets`, `${T}/offsets`, { token });
    expect(reset.status, reset.text).toBe(200);
    const group = streamGroups.sink(other);
    const offsetRows = async () =>
      (
        await h.db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM log_group_offsets WHERE group_name = $1',
          [group],
        )
      ).rows[0]!.n;
    const age = (hours: number) =>
      h.db.pool.query(
        `UPDATE log_group_offsets SET committed_at = now() - $2::float8 * interval '1 hour'
          WHERE group_name = $1`,
        [group, hours],
      );
    // an existing connector keeps them however old
    await age(200);
    expect(await expireDeletedSinkOffsets(h.db.pool, 168)).toEqual([]);
    expect(await offsetRows()).toBe(4);

    const deleted = await api('DELETE', otherPath, T, { token });
    expect(deleted.status, deleted.text).toBe(204);
    // deleted an hour ago: created again under the same name, it would resume
    await age(1);
    expect(await expireDeletedSinkOffsets(h.db.pool, 168)).toEqual([]);
    expect(await offsetRows()).toBe(4);
    // past the retention: forgotten, the delivery stream has one reader less
    await age(200);
    expect(await expireDeletedSinkOffsets(h.db.pool, 168)).toEqual([group]);
    expect(await offsetRows()).toBe(0);
  });
});

describe('records written through the exchange API', () => {
  it('wait in the outbox for a worker when the resource has connectors, changed ones only, counted in /metrics', async () => {
    const created = await api('POST', '/v1/connectors', '/v1/connectors', {
      token: tokens.rsjSystem,
      body: { name: 'rsj-outbox-sink', config: sinkConfig() },
    });
    expect(created.status, created.text).toBe(201);
    const gajSystem = await h.systemToken('hz-gaj-system');
    const pending = async () =>
      Number((await h.db.pool.query('SELECT count(*) AS n FROM record_outbox')).rows[0].n);
    const push = (records: unknown[]) =>
      call(h.exchange.base, 'POST', `/v1/resources/${granted.resourceCode}/records`, {
        token: gajSystem,
        body: { records },
      });
    const before = await pending();
    const changed = { ...granted.people[0]!, mobile: '13700001111' };
    const added = { ...granted.people[1]!, id_number: '330106199001016001' };
    expect((await push([changed, added])).body.accepted).toBe(2);
    expect(await pending()).toBe(before + 2);
    // pushed again as they are: nothing new for the consumers' sinks
    expect((await push([changed, added, granted.people[2]])).body.accepted).toBe(3);
    expect(await pending()).toBe(before + 2);
    // no worker runs in this file: an operator sees them waiting
    const metrics = await call(h.connectors.base, 'GET', '/metrics');
    expect(metrics.body).toContain(
      `gx_exchange_outbox_records{service="connectors"} ${before + 2}`,
    );
    const deleted = await api('DELETE', '/v1/connectors/rsj-outbox-sink', '/v1/connectors/{name}', {
      token: tokens.rsjSystem,
    });
    expect(deleted.status).toBe(204);
  });
});

describe('dead letters', () => {
  const name = 'gaj-people.letters';
  const T = '/v1/connectors/{name}/dead-letters';

  it('pages a connector’s dead letters newest first across partitions, none twice, none skipped', async () => {
    const token = tokens.gajSteward;
    const created = await api('POST', '/v1/connectors', '/v1/connectors', {
      token,
      body: { name, config: sourceConfig() },
    });
    expect(created.status, created.text).toBe(201);
    const path = `/v1/connectors/${name}/dead-letters`;
    // before anything was set aside there is no stream, and nothing to show
    const empty = await api('GET', path, T, { token });
    expect(empty.body).toEqual({ total: 0, items: [], nextCursor: null });

    const stream = streamNames.deadLetter(name);
    await h.recordLog.createStream(stream, { partitions: 4 });
    const keys = Array.from({ length: 7 }, (_, i) => `3301061990010170${10 + i}`);
    for (const [i, key] of keys.entries()) {
      // one produce per letter, so that their times order them
      await h.recordLog.produce(stream, [
        {
          key,
          value: { id_number: key, name: i % 2 ? null : '某人' },
          headers: {
            'connect.reason': `第 ${i} 条: name 不能为空`,
            'connect.context.line': String(i + 1),
          },
        },
      ]);
    }
    const seen: string[] = [];
    let before: string | null | undefined;
    let pages = 0;
    do {
      const page = await api('GET', `${path}?limit=3${before ? `&before=${before}` : ''}`, T, {
        token,
      });
      expect(page.status, page.text).toBe(200);
      expect(page.body.total).toBe(7);
      seen.push(...page.body.items.map((l: { key: string }) => l.key));
      before = page.body.nextCursor;
      pages += 1;
    } while (before && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...keys].reverse());
    const newest = await api('GET', `${path}?limit=1`, T, { token });
    expect(newest.body.items[0]).toMatchObject({
      key: keys[6],
      reason: '第 6 条: name 不能为空',
      context: { line: '7' },
      value: { id_number: keys[6], name: '某人' },
      valueEncoding: 'json',
    });
    // reading moved nothing: the letters are all still there for the next reader
    const again = await api('GET', `${path}?limit=200`, T, { token });
    expect(again.body.items).toHaveLength(7);
    // another department's steward is not told they exist
    const other = await api('GET', path, T, { token: tokens.rsjSteward });
    expect(other.status).toBe(404);
  });
});

describe('configuration problems', () => {
  const byPath = <T extends { path: string }>(problems: T[]) =>
    [...problems].sort((a, b) => a.path.localeCompare(b.path));
  const create = (token: string, name: string, config: unknown) =>
    api('POST', '/v1/connectors', '/v1/connectors', { token, body: { name, config } });
  const validate = (token: string, type: string, config: unknown) =>
    api(
      'PUT',
      `/v1/connector-plugins/${type}/config/validate`,
      '/v1/connector-plugins/{type}/config/validate',
      { token, body: config },
    );

  it('answers 400 problem+json naming each field, and validate lists the same problems', async () => {
    const token = tokens.gajSteward;
    const cases: [string, Record<string, unknown>, { path: string; message: unknown }[]][] = [
      [
        'unknown type',
        sourceConfig({ type: 'no-such-type' }),
        [{ path: '/type', message: '没有类型为 no-such-type 的连接器插件' }],
      ],
      [
        'bad options',
        sourceConfig({ options: { url: 'not a url', pageSize: 0, colour: 'red' } }),
        [
          { path: '/options/token', message: '必填' },
          { path: '/options/colour', message: '不认识的字段' },
          { path: '/options/url', message: '应为完整的网址（如 https://example.gov.cn/api）' },
          { path: '/options/pageSize', message: '不能小于 1' },
        ],
      ],
      [
        'a plain secret',
        sourceConfig({ options: { url: 'https://gaj.example.cn/', token: PLAIN_SECRET } }),
        [{ path: '/options/token', message: expect.stringContaining('密钥不能直接写在配置中') }],
      ],
      [
        'a sink field on a source',
        sourceConfig({ grant: granted.grantId }),
        [{ path: '/grant', message: '来源连接器不使用共享授权' }],
      ],
      [
        'an initial load asked of a source',
        sourceConfig({ initialLoad: true }),
        [{ path: '/initialLoad', message: '存量同步只适用于目标连接器' }],
      ],
      [
        "a grant to another department (hz-gaj is the grant's provider, not its consumer)",
        sinkConfig({ department: 'hz-gaj' }),
        [
          {
            path: '/grant',
            message: `共享授权 ${granted.grantId} 不存在或其使用方不是部门 hz-gaj`,
          },
        ],
      ],
    ];
    for (const [label, config, errors] of cases) {
      const res = await create(token, 'gaj-bad', config);
      expect(res.status, label).toBe(400);
      expect(res.contentType, label).toContain('application/problem+json');
      expect(res.body.type, label).toBe('/problems/input');
      expect(byPath(res.body.errors), label).toEqual(
        byPath(errors.map((e) => ({ ...e, path: `/config${e.path}` }))),
      );
      expect(res.text, label).not.toContain(PLAIN_SECRET);

      const checked = await validate(token, String(config.type), config);
      expect(checked.status, label).toBe(200);
      expect({ ...checked.body, errors: byPath(checked.body.errors) }, label).toEqual({
        type: config.type,
        errorCount: errors.length,
        errors: byPath(errors),
      });
    }
    expect(h.logs.text()).not.toContain(PLAIN_SECRET);
    expect(
      (await api('GET', '/v1/connectors/gaj-bad', '/v1/connectors/{name}', { token })).status,
    ).toBe(404);

    // what the console's 校验 (and a refused 创建) shows: an empty resource does not hide the
    // options' problems, and a pattern says what is expected
    const empty = await validate(
      token,
      'test-http-source',
      sourceConfig({ resource: '', options: { url: 'not a url', token: SECRET_REF } }),
    );
    expect(byPath(empty.body.errors)).toEqual([
      { path: '/options/url', message: '应为完整的网址（如 https://example.gov.cn/api）' },
      { path: '/resource', message: '格式不正确，应形如 102004001-002511875-000001' },
    ]);
  });

  it('refuses a resource of another department, one not yet published and a retired one', async () => {
    const foreign = await create(
      tokens.rsjSteward,
      'rsj-source',
      sourceConfig({ department: 'hz-rsj' }),
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors).toEqual([
      {
        path: '/config/resource',
        message: `信息资源 ${granted.resourceCode} 不存在或不由部门 hz-rsj 提供`,
      },
    ]);

    const draft = await call(h.catalog.base, 'POST', '/v1/resources', {
      token: tokens.gajSteward,
      body: {
        name: '未发布的测试目录',
        abstract: '尚在编目中的资源',
        themeCode: 'population',
        format: 'database',
        sharingType: 'conditional',
        sharingConditions: '仅限依法履职所需',
        sharingMethods: ['api'],
        openType: 'none',
        updateCycle: 'daily',
        items: [{ name: 'id', label: '编号', dataType: 'string', isKey: true }],
      },
    });
    expect(draft.status).toBe(201);
    const unpublished = await create(
      tokens.gajSteward,
      'gaj-draft',
      sourceConfig({ resource: draft.body.code }),
    );
    expect(unpublished.status).toBe(400);
    expect(unpublished.body.errors).toEqual([
      { path: '/config/resource', message: expect.stringContaining('尚未发布') },
    ]);

    const retiredCode = await publishedPeopleResource(h);
    const retired = await call(h.catalog.base, 'POST', `/v1/resources/${retiredCode}/retire`, {
      token: tokens.gajSteward,
      body: { comment: '业务调整，停止共享' },
    });
    expect(retired.body.status).toBe('retired');
    const onRetired = await create(
      tokens.gajSteward,
      'gaj-retired',
      sourceConfig({ resource: retiredCode }),
    );
    expect(onRetired.status).toBe(400);
    expect(onRetired.body.errors).toEqual([
      { path: '/config/resource', message: `信息资源 ${retiredCode} 已停用，不能接收数据` },
    ]);
  });

  it("keeps a source's deletion marker and the resource's fields apart, whichever changes", async () => {
    const code = await publishedPeopleResource(h);
    const steward = tokens.gajSteward;
    const marked = (field: string) => ({
      type: 'test-file-source',
      department: 'hz-gaj',
      resource: code,
      options: { directory: '/srv/gaj/drop', deleteMarker: { field, values: ['删除'] } },
    });
    const reconfigure = (field: string) =>
      api('PUT', '/v1/connectors/gaj-marked/config', '/v1/connectors/{name}/config', {
        token: steward,
        body: marked(field),
      });
    const onItem = await create(steward, 'gaj-marked', marked('district'));
    expect(onItem.status).toBe(400);
    expect(onItem.body.errors).toEqual([
      { path: '/config/options/deleteMarker/field', message: expect.stringContaining('数据项') },
    ]);
    expect((await create(steward, 'gaj-marked', marked('op'))).status).toBe(201);

    // the steward then adds an item named like the marker: every record would lose it
    const approver = await h.token('hz-dsj.approver');
    const catalog = (step: string, body?: unknown) =>
      call(
        h.catalog.base,
        step === 'update' ? 'PUT' : 'POST',
        `/v1/resources/${code}${step === 'update' ? '' : `/${step}`}`,
        { token: step === 'approve' ? approver : steward, body },
      );
    expect((await catalog('revise')).status).toBe(200);
    const items = [
      ...residentContactItems(),
      { name: 'op', label: '业务操作', dataType: 'string' },
    ];
    expect((await catalog('update', peopleEntry(items))).status).toBe(200);
    expect((await catalog('submit')).status).toBe(200);
    const refused = await catalog('approve');
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      type: '/problems/conflict',
      detail: expect.stringContaining('数据项 op 与来源连接器 gaj-marked 的删除标记字段重名'),
      connectors: [{ name: 'gaj-marked', deleteMarkerField: 'op' }],
    });
    const waiting = await call(h.catalog.base, 'GET', `/v1/resources/${code}`, { token: steward });
    expect(waiting.body).toMatchObject({ status: 'in_review', schemaVersion: 1 });

    // the connector can be changed while its entry is in review; then the version is published
    expect((await reconfigure('_op')).status).toBe(200);
    const approved = await catalog('approve');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'published', schemaVersion: 2 });
    // and the marker cannot move back onto the new item
    const back = await reconfigure('op');
    expect(back.status).toBe(400);
    expect(back.body.errors).toEqual([
      { path: '/options/deleteMarker/field', message: expect.stringContaining('数据项') },
    ]);
    const deleted = await api('DELETE', '/v1/connectors/gaj-marked', '/v1/connectors/{name}', {
      token: steward,
    });
    expect(deleted.status).toBe(204);
  });

  it('refuses an envelope the spec forbids before any handler runs', async () => {
    for (const config of [
      sourceConfig({ batchSize: 0 }),
      sourceConfig({ pollIntervalMs: 3_600_001 }),
      sourceConfig({ extra: true }),
      { department: 'hz-gaj', options: {} },
    ]) {
      const res = await create(tokens.gajSteward, 'gaj-envelope', config);
      expect(res.status, JSON.stringify(config)).toBe(400);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    const badName = await create(tokens.gajSteward, 'Has Spaces', sourceConfig());
    expect(badName.status).toBe(400);
  });

  it('lists every problem when the spec refuses the configuration, as validate does', async () => {
    const token = tokens.gajSteward;
    // two bad options and an envelope the spec refuses (batchSize, the resource's pattern):
    // the spec's validator answers before any handler, with its first problem only, and never
    // sees the options (the plugin's schema checks them); the answer still lists all of them
    const config = sourceConfig({
      type: 'test-file-source',
      resource: '',
      batchSize: 0,
      options: { directory: 'drop', deleteMarker: { field: '', values: ['删除'] } },
    });
    const checked = await validate(token, 'test-file-source', config);
    expect(byPath(checked.body.errors)).toEqual([
      { path: '/batchSize', message: '不能小于 1' },
      { path: '/options/deleteMarker/field', message: '长度至少为 1' },
      { path: '/options/directory', message: expect.any(String) },
      { path: '/resource', message: '格式不正确，应形如 102004001-002511875-000001' },
    ]);
    const created = await create(token, 'gaj-every-problem', config);
    expect(created.status).toBe(400);
    expect(created.contentType).toContain('application/problem+json');
    expect(created.body.type).toBe('/problems/input');
    expect(byPath(created.body.errors)).toEqual(
      byPath(checked.body.errors).map((e: { path: string }) => ({
        ...e,
        path: `/config${e.path}`,
      })),
    );
    // a bad name too: its problem beside the configuration's
    const named = await create(token, 'Has Spaces', config);
    expect(byPath(named.body.errors)).toEqual(
      byPath([
        { path: '/name', message: expect.stringContaining('只能包含小写字母') },
        ...checked.body.errors.map((e: { path: string }) => ({ ...e, path: `/config${e.path}` })),
      ]),
    );
    expect(
      (await api('GET', '/v1/connectors/gaj-every-problem', '/v1/connectors/{name}', { token }))
        .status,
    ).toBe(404);

    // a connector's new configuration, the same
    const good = await create(token, 'gaj-every-problem', sourceConfig());
    expect(good.status).toBe(201);
    const put = await api(
      'PUT',
      '/v1/connectors/gaj-every-problem/config',
      '/v1/connectors/{name}/config',
      { token, body: config },
    );
    expect(put.status).toBe(400);
    expect(byPath(put.body.errors)).toEqual(byPath(checked.body.errors));
    expect(
      (
        await api(
          'GET',
          '/v1/connectors/gaj-every-problem/config',
          '/v1/connectors/{name}/config',
          {
            token,
          },
        )
      ).body,
    ).toMatchObject({ type: 'test-http-source' });

    // a caller who may not manage connectors is told only what the spec says, as before
    const anonymous = await create('', 'gaj-every-problem', config);
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.errors).toHaveLength(1);
    expect(anonymous.body.errors[0].path).not.toContain('options');
    expect(
      (await api('DELETE', '/v1/connectors/gaj-every-problem', '/v1/connectors/{name}', { token }))
        .status,
    ).toBe(204);
  });

  it('validate accepts a good configuration and reports a department the caller does not manage', async () => {
    const good = await validate(tokens.gajSteward, 'test-http-source', sourceConfig());
    expect(good.body).toEqual({ type: 'test-http-source', errorCount: 0, errors: [] });
    const withoutType = { ...sourceConfig() } as Record<string, unknown>;
    delete withoutType.type;
    expect(
      (await validate(tokens.gajSteward, 'test-http-source', withoutType)).body.errorCount,
    ).toBe(0);
    const mismatch = await validate(tokens.gajSteward, 'test-db-sink', sourceConfig());
    expect(mismatch.body.errors).toEqual([{ path: '/type', message: expect.any(String) }]);
    const notMine = await validate(tokens.rsjSteward, 'test-http-source', sourceConfig());
    expect(notMine.body.errors).toEqual([
      { path: '/department', message: '无权管理部门 hz-gaj 的连接器' },
    ]);
    expect((await validate('', 'test-http-source', sourceConfig())).status).toBe(401);
  });
});

describe('who may manage a connector', () => {
  const name = 'gaj-guarded';
  const path = `/v1/connectors/${name}`;
  const T = '/v1/connectors/{name}';

  beforeAll(async () => {
    const created = await api('POST', '/v1/connectors', '/v1/connectors', {
      token: tokens.gajSteward,
      body: { name, config: sourceConfig() },
    });
    expect(created.status, created.text).toBe(201);
  });

  it("hides another department's connector (404 to reads, 403 to writes)", async () => {
    for (const who of ['rsjSteward', 'rsjSystem', 'mzjSteward', 'gajApprover'] as const) {
      const token = tokens[who];
      for (const [suffix, template] of [
        ['', T],
        ['/config', `${T}/config`],
        ['/status', `${T}/status`],
        ['/offsets', `${T}/offsets`],
      ] as const) {
        const res = await api('GET', `${path}${suffix}`, template, { token });
        expect(res.status, `${who} GET ${suffix}`).toBe(404);
        expect(res.text).not.toContain('GAJ_API_TOKEN');
      }
      for (const [method, suffix, body] of [
        ['PUT', '/pause', undefined],
        ['PUT', '/resume', undefined],
        ['PUT', '/stop', undefined],
        ['POST', '/restart', undefined],
        ['PUT', '/config', sourceConfig({ batchSize: 1 })],
        ['PATCH', '/offsets', { position: { line: 1 } }],
        ['DELETE', '/offsets', undefined],
        ['DELETE', '', undefined],
      ] as const) {
        const res = await api(method, `${path}${suffix}`, `${T}${suffix}`, { token, body });
        expect(res.status, `${who} ${method} ${suffix}`).toBe(403);
        expect(res.contentType).toContain('application/problem+json');
      }
      const list = await api('GET', '/v1/connectors', '/v1/connectors', { token });
      expect(list.status).toBe(200);
      expect(list.body.items.map((c: { name: string }) => c.name)).not.toContain(name);
    }
    // nothing changed
    const after = await api('GET', path, T, { token: tokens.gajSteward });
    expect(after.body).toMatchObject({ state: 'running', generation: 1 });
  });

  it("refuses to create or move a connector into another department's name (403)", async () => {
    const res = await api('POST', '/v1/connectors', '/v1/connectors', {
      token: tokens.rsjSteward,
      body: { name: 'rsj-in-gaj', config: sourceConfig() },
    });
    expect(res.status).toBe(403);
    const moved = await api('PUT', `${path}/config`, `${T}/config`, {
      token: tokens.gajSteward,
      body: sinkConfig(),
    });
    expect(moved.status).toBe(403);
  });

  it('lets the department steward and the platform admin in, and anonymous callers nowhere', async () => {
    const mine = await api('GET', '/v1/connectors', '/v1/connectors', { token: tokens.gajSteward });
    expect(mine.body.items.every((c: { department: string }) => c.department === 'hz-gaj')).toBe(
      true,
    );
    expect(mine.body.items.map((c: { name: string }) => c.name)).toContain(name);
    const all = await api('GET', '/v1/connectors', '/v1/connectors', { token: tokens.admin });
    const departments = new Set(all.body.items.map((c: { department: string }) => c.department));
    expect(departments).toEqual(new Set(['hz-gaj', 'hz-rsj']));
    const byAdmin = await api('PUT', `${path}/config`, `${T}/config`, {
      token: tokens.admin,
      body: sourceConfig({ batchSize: 50 }),
    });
    expect(byAdmin.status, byAdmin.text).toBe(200);
    expect(byAdmin.body).toMatchObject({ generation: 2, config: { batchSize: 50 } });

    for (const [method, suffix, template, body] of [
      ['GET', '/v1/connectors', '/v1/connectors', undefined],
      ['POST', '/v1/connectors', '/v1/connectors', { name: 'anon', config: sourceConfig() }],
      ['GET', path, T, undefined],
      ['GET', `${path}/status`, `${T}/status`, undefined],
      ['PUT', `${path}/stop`, `${T}/stop`, undefined],
      ['DELETE', path, T, undefined],
      ['GET', '/v1/connectors/no-such-connector', T, undefined],
    ] as const) {
      const res = await api(method, suffix, template, { body });
      expect(res.status, `${method} ${suffix}`).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    }
    expect((await api('GET', path, T, { token: tokens.gajSteward })).body.state).toBe('running');
  });
});
