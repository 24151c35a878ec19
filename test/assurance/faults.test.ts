import http from 'node:http';
import type net from 'node:net';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogApp } from '@gx/catalog';
import {
  createConnectorsApp,
  PostgresRecordLog,
  startConnectWorker,
  type ConnectWorker,
} from '@gx/connectors';
import { createExchangeApiApp } from '@gx/exchange-api';
import {
  createDatabase,
  createMetrics,
  demoSystemSecret,
  DEMO_PASSWORD,
  EmbeddedPostgres,
  runMigrations,
  seedDemo,
  type Database,
} from '@gx/platform';
import { API_AUDIENCE, createIdentityApp, PORTAL_CLIENT_ID } from '@gx/platform/identity-provider';
import {
  captureLogs,
  clientCredentialsToken,
  freePort,
  listen,
  passwordLogin,
  type CapturedLogs,
  type Listening,
  until,
} from '@gx/platform/testing';
import { call, type Harness } from '../harness.ts';
import { demoPeople, grantedPeopleResource, type GrantedResource } from '../fixtures.ts';
import {
  departmentDatabases,
  peopleChecksumSql,
  peopleSinkConnector,
  peopleSourceConnector,
  peopleTable,
  RSJ_PEOPLE_TABLE,
  type DepartmentDatabases,
} from '../connectorFixtures.ts';

/**
 * Faults a production system meets. The platform gets a PostgreSQL server of its own (the test
 * run's shared one cannot be stopped under the other files): the services are built exactly as
 * their processes build them, each with its own pool, and nothing is restarted by the test
 * while the database goes away and comes back. 公安局's and 人社局's own databases (the
 * connectors' source and sink) live on the shared server and stay up, as agency systems would.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
let server: EmbeddedPostgres;
let dataDir: string;
const pools: Database[] = [];
let logs: CapturedLogs;
let identity: Listening;
let exchange: Listening;
let catalog: Listening;
let connectors: Listening;
let recordLog: PostgresRecordLog;
let worker: ConnectWorker;
let dbs: DepartmentDatabases;
let granted: GrantedResource;
let issuer: string;
const tokens = new Map<string, Promise<string>>();

/** 人社局's second system: accepts connections and never answers */
let hanging: http.Server;
let hangingBase: string;
const hangingRequests = { started: 0 };
const hangingSockets = new Set<net.Socket>();

function token(username: string): Promise<string> {
  let t = tokens.get(username);
  if (!t) {
    t = passwordLogin({
      issuer,
      clientId: PORTAL_CLIENT_ID,
      redirectUri: 'http://127.0.0.1:3000/auth/callback',
      username,
      password: DEMO_PASSWORD,
    }).then((r) => r.access_token);
    tokens.set(username, t);
  }
  return t;
}

async function systemToken(clientId: string): Promise<string> {
  return (await clientCredentialsToken(issuer, clientId, demoSystemSecret(clientId))).access_token;
}

function pool(name: string): Database {
  const db = createDatabase({ url: server.url(), max: 5, applicationName: name });
  pools.push(db);
  return db;
}

const sourceCount = async () =>
  Number((await dbs.sourcePool.query('SELECT count(*) AS n FROM gaj_people')).rows[0].n);
const sinkCount = async () =>
  Number((await dbs.sinkPool.query('SELECT count(*) AS n FROM rsj_people')).rows[0].n);

let inserted = 0;
/** 公安局 registers people: `count` more rows in its own table, in small batches */
async function register(count: number, batch = 25, pauseMs = 0): Promise<void> {
  const all = demoPeople(inserted + count).slice(inserted);
  inserted += count;
  for (let i = 0; i < all.length; i += batch) {
    await dbs.sourcePool.query(
      `INSERT INTO gaj_people (id_number, name, mobile, address, district)
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS p(id_number text, name text, mobile text, address text, district text)`,
      [JSON.stringify(all.slice(i, i + batch))],
    );
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
  }
}

beforeAll(async () => {
  dataDir = path.join(
    root,
    '.data',
    'test',
    `faults-${process.pid}-${randomBytes(3).toString('hex')}`,
  );
  server = new EmbeddedPostgres({ dataDir, port: await freePort(), database: 'gx_faults' });
  const url = await server.start();
  const migrator = new pg.Client({ connectionString: url });
  await migrator.connect();
  await runMigrations({ client: migrator });
  await migrator.end();
  const seeding = pool('seed');
  await seedDemo(seeding.pool);

  logs = captureLogs('faults');
  const identityPort = await freePort();
  issuer = `http://127.0.0.1:${identityPort}`;
  const { app: identityApp } = await createIdentityApp({
    issuer,
    portalUrl: 'http://127.0.0.1:3000',
    db: pool('identity'),
    logger: logs.logger,
    metrics: createMetrics('identity'),
  });
  identity = await listen(identityApp, identityPort);
  const config = {
    PORT: 0,
    HOST: '127.0.0.1',
    DATABASE_URL: url,
    DB_POOL_MAX: 5,
    LOG_LEVEL: 'info' as const,
    OIDC_ISSUER: issuer,
    OIDC_AUDIENCE: API_AUDIENCE,
    IDENTITY_PROVIDER: 'embedded' as const,
    SHARING_DECISION_DAYS: 5,
    EVIDENCE_VERIFY_INTERVAL_SECONDS: 300,
    EVIDENCE_FULL_VERIFY_HOURS: 24,
    RECORD_DELETION_RETENTION_HOURS: 168,
    RECORD_DELETION_PURGE_INTERVAL_SECONDS: 0,
    PUBLIC_EXCHANGE_URL: 'http://127.0.0.1:4000',
    PUBLIC_PORTAL_URL: 'http://127.0.0.1:3000',
  };
  const deps = (name: string) => ({
    config,
    logger: logs.logger,
    metrics: createMetrics(name),
    db: pool(name),
  });
  exchange = await listen(createExchangeApiApp(deps('exchange-api')));
  catalog = await listen(createCatalogApp(deps('catalog')));
  const connectorsDeps = deps('connectors');
  recordLog = new PostgresRecordLog({ pool: connectorsDeps.db.pool });
  connectors = await listen(
    createConnectorsApp({
      ...connectorsDeps,
      config: { ...config, RECORD_LOG_LEASE_MS: 10_000 },
      recordLog,
    }),
  );

  const h = {
    catalog,
    exchange,
    token,
    systemToken,
  } as unknown as Harness;
  granted = await grantedPeopleResource(h, {}, 2);
  dbs = await departmentDatabases();
  await dbs.sourcePool.query(peopleTable('gaj_people'));
  await dbs.sinkPool.query(RSJ_PEOPLE_TABLE);

  hanging = http.createServer(() => {
    hangingRequests.started += 1; // and never an answer
  });
  hanging.on('connection', (socket) => {
    hangingSockets.add(socket);
    socket.once('close', () => hangingSockets.delete(socket));
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  hangingBase = `http://127.0.0.1:${(hanging.address() as net.AddressInfo).port}`;

  const gaj = await token('hz-gaj.steward');
  const rsj = await token('hz-rsj.steward');
  const created = [
    await call(connectors.base, 'POST', '/v1/connectors', {
      token: gaj,
      body: peopleSourceConnector('gaj-people-in', 'gaj_people', granted.resourceCode, 100),
    }),
    await call(connectors.base, 'POST', '/v1/connectors', {
      token: rsj,
      body: peopleSinkConnector('rsj-people-out', granted.grantId, 100),
    }),
    await call(connectors.base, 'POST', '/v1/connectors', {
      token: rsj,
      body: {
        name: 'rsj-people-hook',
        config: {
          type: 'webhook',
          department: 'hz-rsj',
          grant: granted.grantId,
          options: {
            url: `${hangingBase}/hooks/people`,
            signingKey: { secret: { env: 'RSJ_WEBHOOK_KEY' } },
            batchSize: 50,
            // long enough that the target hangs for the whole test
            timeoutMs: 600_000,
          },
        },
      },
    }),
  ];
  for (const response of created) expect(response.status, JSON.stringify(response.body)).toBe(201);

  worker = await startConnectWorker({
    pool: pool('connect-worker').pool,
    recordLog: new PostgresRecordLog({ pool: pools.at(-1)!.pool }),
    logger: logs.logger,
    leaseMs: 10_000,
    env: { ...dbs.secrets, RSJ_WEBHOOK_KEY: 'rsj-webhook-signing-key-for-tests' },
    counters: { recordsIn() {}, recordsOut() {}, deadLetters() {}, error() {} },
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop().catch(() => undefined);
  for (const socket of hangingSockets) socket.destroy();
  await new Promise<void>((resolve) => (hanging ? hanging.close(() => resolve()) : resolve()));
  await Promise.all([exchange, catalog, connectors, identity].map((s) => s?.close()));
  await recordLog?.close().catch(() => undefined);
  await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
  await dbs?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 120_000);

/** both tables hold the same people, row for row (count and checksum of the delivered columns) */
async function expectSinkEqualsSource() {
  const [source, sink] = await Promise.all([
    dbs.sourcePool.query(peopleChecksumSql('SELECT * FROM gaj_people')),
    dbs.sinkPool.query(peopleChecksumSql('SELECT * FROM rsj_people')),
  ]);
  expect(sink.rows[0]).toEqual(source.rows[0]);
}

describe('faults', () => {
  it('a webhook target that hangs does not stall the other connectors', async () => {
    await register(100);
    await until('the hanging target to be called', async () =>
      hangingRequests.started > 0 ? true : undefined,
    );
    // while that request hangs, 公安局 keeps registering and the table sink keeps receiving
    await register(150);
    await until('the sink to hold every record', async () =>
      (await sinkCount()) === inserted ? true : undefined,
    );
    await expectSinkEqualsSource();
    expect(hangingRequests.started).toBeGreaterThan(0);
    expect(hangingSockets.size).toBeGreaterThan(0); // still waiting for its answer
  }, 120_000);

  it('PostgreSQL stopped and restarted: 503 while down, nothing lost, resumes by itself', async () => {
    const system = await systemToken('hz-rsj-system');
    const records = () =>
      call(exchange.base, 'GET', `/v1/grants/${granted.grantId}/records?limit=5`, {
        token: system,
        headers: { 'x-purpose': 'SOCIAL_SECURITY' },
      });
    expect((await records()).status).toBe(200);

    // 公安局 keeps registering people all along; the platform's database goes away meanwhile
    const writing = register(900, 10, 60);
    writing.catch(() => undefined); // awaited below; a failed assertion must not leave it unhandled
    const before = await sinkCount();
    await until('records to flow', async () =>
      (await sinkCount()) >= before + 50 ? true : undefined,
    );
    const linesBefore = logs.lines().length;
    await server.stop();

    for (const service of [exchange, catalog, connectors]) {
      const ready = await call(service.base, 'GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.contentType).toContain('application/problem+json');
    }
    const down = await records();
    expect(down.status, JSON.stringify(down.body)).toBe(503);
    expect(down.contentType).toContain('application/problem+json');
    expect(down.body.status).toBe(503);
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|at .*\.ts:\d+/);
    const search = await call(catalog.base, 'GET', `/v1/search?q=${encodeURIComponent('居民')}`);
    expect(search.status).toBe(503);
    expect(search.contentType).toContain('application/problem+json');
    const status = await call(connectors.base, 'GET', '/v1/connectors/gaj-people-in/status', {
      token: await token('hz-gaj.steward'),
    });
    expect(status.status).toBe(503);
    // down for a while: longer than a pool's connection timeout, and the source moves on
    await new Promise((r) => setTimeout(r, 6_000));
    await register(100); // 公安局's own system is up: registrations continue during the outage
    const sinkWhileDown = await sinkCount();
    expect(await sourceCount()).toBeGreaterThan(sinkWhileDown);

    // an outage is not a bug: no request was answered with 500 ("unhandled error")
    const unhandled = logs
      .lines()
      .slice(linesBefore)
      .filter((line) => line.msg === 'unhandled error');
    expect(unhandled).toEqual([]);

    await server.start();
    await writing;
    // nothing restarted: the same services and the same worker take up where they were
    await until('the exchange to be ready again', async () =>
      (await call(exchange.base, 'GET', '/readyz')).status === 200 ? true : undefined,
    );
    const up = await records();
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body.items).toHaveLength(5);
    expect((await call(catalog.base, 'GET', '/readyz')).status).toBe(200);
    await until(
      'the sink to hold exactly the source',
      async () => ((await sinkCount()) === inserted ? true : undefined),
      90_000,
    );
    await expectSinkEqualsSource();
    expect(await sourceCount()).toBe(inserted);
    // nothing went to the dead-letter stream because of the outage
    const dead = await call(connectors.base, 'GET', '/v1/connectors/gaj-people-in/dead-letters', {
      token: await token('hz-gaj.steward'),
    });
    expect(dead.status).toBe(200);
    expect(dead.body.total).toBe(0);
    // the connectors report themselves running again, without anyone restarting them
    await until('the source task to be healthy', async () => {
      const s = await call(connectors.base, 'GET', '/v1/connectors/gaj-people-in/status', {
        token: await token('hz-gaj.steward'),
      });
      return s.status === 200 &&
        s.body.tasks?.every((t: { state: string }) => t.state === 'RUNNING')
        ? true
        : undefined;
    });
  }, 180_000);
});
