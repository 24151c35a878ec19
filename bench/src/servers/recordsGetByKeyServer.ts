/**
 * One side of the recordsGetByKey benchmark, run in its own process by the benchmark:
 *
 *   node --import tsx recordsGetByKeyServer.ts subject <databaseUrl> <issuer>
 *   node --import tsx recordsGetByKeyServer.ts no-evidence <databaseUrl> <issuer>
 *   node --import tsx recordsGetByKeyServer.ts baseline <databaseUrl> <resourceId>
 *
 * - subject: the real exchange API (`createExchangeApiApp`), as `npm start` builds it, with the
 *   access log at level `silent`.
 * - no-evidence: the very same app, except that `EvidenceLog.append` records nothing and
 *   returns no receipt (patched in this process only, to show what evidence costs: everything
 *   else — request validation, every router, authentication, the grant gate — is the subject's).
 * - baseline: a bare `node:http` handler running the same primary-key query on a `pg.Pool` of the
 *   same size and answering the stored JSON.
 */
import http from 'node:http';
import pg from 'pg';
import {
  API_AUDIENCE,
  createAppServer,
  createDatabase,
  createLogger,
  createMetrics,
} from '@gx/platform';
import { createExchangeApiApp, EvidenceLog, type ExchangeApiConfig } from '@gx/exchange-api';
import type { ListeningMessage } from '../childServer.ts';
import { startStallProbe } from '../stallProbe.ts';

/** connections per process, the services' default (DB_POOL_MAX) */
export const POOL_MAX = 10;

const [mode, databaseUrl, arg] = process.argv.slice(2);
if ((mode !== 'subject' && mode !== 'no-evidence' && mode !== 'baseline') || !databaseUrl || !arg) {
  throw new Error(
    'usage: recordsGetByKeyServer.ts subject|no-evidence <databaseUrl> <issuer> | ' +
      `baseline <databaseUrl> <resourceId> (got ${process.argv.slice(2).join(' ')})`,
  );
}

const closers: (() => Promise<void>)[] = [];
const probe = startStallProbe(mode);

function bareServer(resourceId: string): http.Server {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_MAX });
  closers.push(() => pool.end());
  const route = /^\/v1\/grants\/[^/]+\/records\/([^/?]+)$/;
  return http.createServer((req, res) => {
    const match = route.exec(req.url ?? '');
    if (req.method !== 'GET' || !match) {
      res.writeHead(404).end();
      return;
    }
    pool
      .query<{ data: unknown }>(
        'SELECT data FROM records WHERE resource_id = $1 AND record_key = $2',
        [resourceId, decodeURIComponent(match[1]!)],
      )
      .then(
        ({ rows }) => {
          if (rows.length === 0) {
            res.writeHead(404).end();
            return;
          }
          const body = JSON.stringify(rows[0]!.data);
          res.writeHead(200, {
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(body),
          });
          res.end(body);
        },
        () => {
          res.writeHead(500).end();
        },
      );
  });
}

function exchangeServer(issuer: string, withEvidence: boolean): http.Server {
  const service = withEvidence ? 'exchange-api' : 'exchange-api-no-evidence';
  const db = createDatabase({ url: databaseUrl!, max: POOL_MAX });
  closers.push(() => db.close());
  if (process.env.BENCH_STALL_LOG) {
    // bench-only: time the evidence log's batch writes (named statements) for the stall probe
    const query = db.pool.query.bind(db.pool) as (...args: unknown[]) => Promise<unknown>;
    (db.pool as { query: unknown }).query = (...args: unknown[]) => {
      const name = (args[0] as { name?: string } | null)?.name;
      if (!name?.startsWith('evidence')) return query(...args);
      const started = performance.now();
      return query(...args).finally(() => probe.timed(name, performance.now() - started));
    };
  }
  const config: ExchangeApiConfig = {
    PORT: 0,
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl!,
    DB_POOL_MAX: POOL_MAX,
    LOG_LEVEL: 'silent',
    OIDC_ISSUER: issuer,
    OIDC_AUDIENCE: API_AUDIENCE,
    IDENTITY_PROVIDER: 'embedded',
    SHARING_DECISION_DAYS: 5,
    EVIDENCE_VERIFY_INTERVAL_SECONDS: 300,
    EVIDENCE_FULL_VERIFY_HOURS: 24,
    RECORD_DELETION_RETENTION_HOURS: 168,
    RECORD_DELETION_PURGE_INTERVAL_SECONDS: 0,
  };
  const logger = createLogger({ service, level: 'silent' });
  const metrics = createMetrics(service);
  if (!withEvidence) {
    // bench-only: no entry, no receipt (so no Evidence-Receipt header); nothing else changes
    EvidenceLog.prototype.append = () => Promise.resolve(undefined as never);
  }
  return createAppServer(createExchangeApiApp({ config, logger, metrics, db }));
}

const server = mode === 'baseline' ? bareServer(arg) : exchangeServer(arg, mode === 'subject');

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  const message: ListeningMessage = { listening: { port: address.port } };
  process.send?.(message);
});

let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections();
  server.close(() => {
    Promise.allSettled(closers.map((close) => close())).then(() => process.exit(0));
  });
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// the benchmark went away without stopping us
process.on('disconnect', shutdown);
