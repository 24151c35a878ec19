import http from 'node:http';
import { createCatalogApp } from '@gx/catalog';
import { createConnectorsApp, PostgresRecordLog, type ConnectorsAppOptions } from '@gx/connectors';
import { createExchangeApiApp } from '@gx/exchange-api';
import {
  createDatabase,
  createMetrics,
  demoSystemSecret,
  DEMO_PASSWORD,
  seedDemo,
  type Database,
  type ServiceConfig,
  type ServiceDependencies,
} from '@gx/platform';
import { API_AUDIENCE, createIdentityApp, PORTAL_CLIENT_ID } from '@gx/platform/identity-provider';
import {
  captureLogs,
  clientCredentialsToken,
  createTestDatabase,
  freePort,
  listen,
  passwordLogin,
  type CapturedLogs,
  type Listening,
  type TestDatabase,
} from '@gx/platform/testing';

export interface Harness {
  db: Database;
  testDb: TestDatabase;
  issuer: string;
  catalog: Listening;
  exchange: Listening;
  /** the connectors management API, on a PostgreSQL record log in the harness database */
  connectors: Listening;
  recordLog: PostgresRecordLog;
  logs: CapturedLogs;
  /** an access token of a demo account (password login through the real provider), cached */
  token(username: string): Promise<string>;
  systemToken(clientId: string): Promise<string>;
  /** what another service process is built from (same config), on the given pool: "another process" */
  serviceDependencies(db: Database, name: string): ServiceDependencies<HarnessConfig>;
  close(): Promise<void>;
}

type HarnessConfig = ServiceConfig & {
  SHARING_DECISION_DAYS: number;
  EVIDENCE_VERIFY_INTERVAL_SECONDS: number;
  EVIDENCE_FULL_VERIFY_HOURS: number;
  RECORD_DELETION_RETENTION_HOURS: number;
  RECORD_DELETION_PURGE_INTERVAL_SECONDS: number;
  PUBLIC_EXCHANGE_URL: string;
  PUBLIC_PORTAL_URL: string;
};

/**
 * The platform as a user meets it, in one process: a seeded database, the embedded identity
 * provider, the catalog, the exchange API and the connectors management API, each on its own
 * port.
 */
export interface HarnessOptions {
  /** the connector types the connectors app offers (default: the build's plugins) */
  connectorPlugins?: ConnectorsAppOptions['plugins'];
  /** resolves connectors' secrets when a delete frees what they hold (a CDC slot); default: env */
  connectorSecrets?: ConnectorsAppOptions['secrets'];
  /** where the portal under test listens: the provider accepts its OIDC redirects (default :3000) */
  portalUrl?: string;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const testDb = await createTestDatabase();
  // seeding waits for a connection, and to begin a transaction, longer than a service would: a
  // loaded machine is slow to fork, and the demo directory's seed (the catalog's workflow, four
  // departments at a time) failed Prisma's 2 s start of a transaction at load 9–15
  const db = createDatabase({
    url: testDb.url,
    max: 10,
    connectionTimeoutMillis: 30_000,
    transactionOptions: { maxWait: 30_000, timeout: 30_000 },
  });
  await seedDemo(db.pool);
  const logs = captureLogs('harness');
  const identityPort = await freePort();
  const issuer = `http://127.0.0.1:${identityPort}`;
  const { app: identityApp } = await createIdentityApp({
    issuer,
    portalUrl: options.portalUrl ?? 'http://127.0.0.1:3000',
    db,
    logger: logs.logger,
    metrics: createMetrics('identity'),
  });
  const identity = await listen(identityApp, identityPort);
  const config: HarnessConfig = {
    PORT: 0,
    HOST: '127.0.0.1',
    DATABASE_URL: testDb.url,
    DB_POOL_MAX: 5,
    LOG_LEVEL: 'info',
    OIDC_ISSUER: issuer,
    OIDC_AUDIENCE: API_AUDIENCE,
    IDENTITY_PROVIDER: 'embedded',
    SHARING_DECISION_DAYS: 5,
    EVIDENCE_VERIFY_INTERVAL_SECONDS: 300,
    EVIDENCE_FULL_VERIFY_HOURS: 24,
    RECORD_DELETION_RETENTION_HOURS: 168,
    RECORD_DELETION_PURGE_INTERVAL_SECONDS: 0,
    PUBLIC_EXCHANGE_URL: 'http://127.0.0.1:4000',
    PUBLIC_PORTAL_URL: 'http://127.0.0.1:3000',
  };
  const deps = (name: string, pool: Database = db) => ({
    config,
    logger: logs.logger,
    metrics: createMetrics(name),
    db: pool,
  });
  const exchange = await listen(createExchangeApiApp(deps('exchange-api')));
  // the catalog links downloads and the open-data API to where this exchange really listens
  config.PUBLIC_EXCHANGE_URL = exchange.base;
  const catalog = await listen(createCatalogApp(deps('catalog')));
  const recordLog = new PostgresRecordLog({ pool: db.pool });
  const connectors = await listen(
    createConnectorsApp({
      ...deps('connectors'),
      config: { ...config, RECORD_LOG_LEASE_MS: 10_000 },
      recordLog,
      plugins: options.connectorPlugins,
      secrets: options.connectorSecrets,
    }),
  );
  const tokens = new Map<string, Promise<string>>();
  return {
    db,
    testDb,
    issuer,
    catalog,
    exchange,
    connectors,
    recordLog,
    logs,
    token(username) {
      let token = tokens.get(username);
      if (!token) {
        token = passwordLogin({
          issuer,
          clientId: PORTAL_CLIENT_ID,
          redirectUri: `${options.portalUrl ?? 'http://127.0.0.1:3000'}/auth/callback`,
          username,
          password: DEMO_PASSWORD,
        }).then((t) => t.access_token);
        tokens.set(username, token);
      }
      return token;
    },
    serviceDependencies: (pool, name) => deps(name, pool),
    async systemToken(clientId) {
      return (await clientCredentialsToken(issuer, clientId, demoSystemSecret(clientId)))
        .access_token;
    },
    async close() {
      await Promise.all([catalog.close(), exchange.close(), connectors.close(), identity.close()]);
      await recordLog.close();
      await db.close();
      await testDb.drop();
    },
  };
}

/** fetch with an optional bearer token and JSON body */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    headers: res.headers,
    contentType,
    body: (text && contentType.includes('json') ? JSON.parse(text) : text) as any, // eslint-disable-line @typescript-eslint/no-explicit-any
  };
}

export interface Download {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  trailers: NodeJS.Dict<string>;
}

/** GET through node:http, which (unlike fetch) exposes the HTTP trailers receipts travel in. */
export function download(url: string, headers: Record<string, string> = {}): Promise<Download> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            trailers: res.trailers,
          }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}
