/**
 * One side of the authOverhead benchmark, run in its own process by the benchmark:
 *
 *   node --import tsx authOverheadServer.ts baseline
 *   node --import tsx authOverheadServer.ts subject <issuer>
 *
 * Both sides are the real platform HTTP stack (`createHttpApp`: request id, metrics, silent
 * access log, JSON body parser, 404/problem+json handlers) with one route. The subject adds
 * `authenticate` (JWT verification against the issuer's JWKS) and `authorize`.
 */
import type { Server } from 'node:http';
import {
  createAppServer,
  actorOf,
  authenticate,
  authorize,
  createHttpApp,
  createLogger,
  createMetrics,
  TokenVerifier,
} from '@gx/platform';
import type { ListeningMessage } from '../childServer.ts';

const BENCH_AUDIENCE = 'gov-exchange-api';

const [mode, issuer] = process.argv.slice(2);
if (mode !== 'baseline' && mode !== 'subject') {
  throw new Error(`usage: authOverheadServer.ts baseline | subject <issuer> (got ${mode})`);
}
if (mode === 'subject' && !issuer) throw new Error('the subject needs the issuer URL');

const service = `bench-auth-${mode}`;
const app = createHttpApp({
  service,
  logger: createLogger({ service, level: 'silent' }),
  metrics: createMetrics(service),
  readiness: [],
  routes(app) {
    if (mode === 'subject') {
      app.use(
        authenticate({
          verifier: new TokenVerifier({ issuer: issuer!, audience: BENCH_AUDIENCE }),
        }),
      );
    }
    app.get('/v1/bench/:code', (req, res) => {
      const code = req.params.code;
      if (mode === 'subject') {
        authorize(actorOf(res), 'department.update', { departmentCode: code }, 'write');
      }
      res.json({ departmentCode: code, name: '杭州市公安局', regionCode: '330100000000' });
    });
  },
});

const server: Server = createAppServer(app).listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  const message: ListeningMessage = { listening: { port: address.port } };
  process.send?.(message);
});

const shutdown = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// the benchmark went away without stopping us
process.on('disconnect', shutdown);
