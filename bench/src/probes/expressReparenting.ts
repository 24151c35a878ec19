/**
 * Probe behind `createAppServer` (bench/RESULTS.md §recordsGetByKey, session 7): the same small
 * Express app, shaped like our services (request id and timing, JSON body parser, three health
 * routes, the records router, nine more routers), served by `http.createServer(app)` and by
 * `createAppServer(app)`, each driven with 60 000 keep-alive requests at concurrency 32 from
 * this process while the server runs in a child with `--trace-gc-nvp`.
 *
 *   npx tsx bench/src/probes/expressReparenting.ts
 *
 * Prints the server's CPU per request, mean promotion and mean pause per scavenge.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createAppServer } from '@gx/platform';

const REQUESTS = 60_000;
const CONCURRENCY = 32;
const body = { a: 1, b: 'x'.repeat(200) };

function app(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    res.setHeader('X-Request-Id', req.header('x-request-id') ?? randomUUID());
    const started = process.hrtime.bigint();
    res.on('finish', () => Number(process.hrtime.bigint() - started));
    next();
  });
  app.use(express.json({ limit: '10mb' }));
  for (const path of ['/healthz', '/readyz', '/metrics']) app.get(path, (_q, r) => r.json({}));
  const records = express.Router();
  records.get('/v1/grants/:id/records/:key', (_req, res) => {
    // an answer after a few milliseconds, as a database round trip would give
    setTimeout(() => res.status(200).json(body), 3);
  });
  app.use(records);
  for (let i = 0; i < 9; i++) {
    const other = express.Router();
    other.get(`/v1/other${i}/:id`, (_q, r) => r.json({}));
    app.use(other);
  }
  return app;
}

/** child: serve, report the port */
function serve(mode: string) {
  const server = mode === 'createAppServer' ? createAppServer(app()) : http.createServer(app());
  server.listen(0, '127.0.0.1', () => {
    process.send?.((server.address() as { port: number }).port);
  });
}

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function drive(mode: string) {
  const child = fork(fileURLToPath(import.meta.url), [mode], {
    execArgv: ['--import', 'tsx', '--trace-gc-nvp'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const port = await new Promise<number>((resolve) => child.once('message', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const get = (n: number) =>
    new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: `/v1/grants/g/records/k${n}`, agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject);
    });
  let sent = 0;
  const cpuBefore = cpuMs(child.pid!);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < REQUESTS) await get(sent++);
    }),
  );
  const cpu = cpuMs(child.pid!) - cpuBefore;
  agent.destroy();
  child.kill();
  await new Promise((resolve) => child.once('exit', resolve));
  const scavenges = out.split('\n').filter((line) => line.includes(' gc=s '));
  const mean = (key: string) =>
    scavenges.reduce(
      (sum, line) => sum + Number(new RegExp(` ${key}=([\\d.]+)`).exec(line)?.[1]),
      0,
    ) / scavenges.length;
  process.stdout.write(
    `${mode.padEnd(18)} CPU ${((cpu * 1000) / REQUESTS).toFixed(1)} µs/request, ` +
      `${scavenges.length} scavenges, promoted ${(mean('promoted') / 1e6).toFixed(2)} MB and ` +
      `pause ${mean('pause').toFixed(2)} ms per scavenge\n`,
  );
}

const mode = process.argv[2];
if (mode) serve(mode);
else for (const m of ['http.createServer', 'createAppServer']) await drive(m);
