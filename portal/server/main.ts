// The portal's process: Next.js's production server, started the way `npm start` starts every
// service (`node --import tsx portal/server/main.ts` with PORT and HOST), from the build that
// PORTAL_DIST_DIR names (made by ensurePortalBuild; made here when it is not set).
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import { loadPortalConfig } from '../src/config.ts';
import { ensurePortalBuild } from './ensurePortalBuild.ts';

/** the platform's exit status for a bad setting (as @gx/platform's services use it) */
const EXIT_CONFIG = 78;

function fail(message: string): never {
  process.stderr.write(`portal: ${message}\n`);
  process.exit(EXIT_CONFIG);
}

function readPort(value: string | undefined): number {
  if (value === undefined) return 3000;
  const port = Number(value);
  if (!/^[0-9]+$/.test(value) || port < 1 || port > 65535) {
    fail(`PORT must be an integer between 1 and 65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

const portalDir = path.resolve(import.meta.dirname, '..');
// the API tab reads the OpenAPI documents beside the portal, wherever the process was started
process.env.SCHEMAS_DIR ??= path.join(portalDir, '..', 'schemas');

const port = readPort(process.env.PORT);
const hostname = process.env.HOST || '127.0.0.1';
if (!process.env.PORTAL_DIST_DIR) {
  // started on its own (`npm start -w @gx/portal`): build first if the sources changed
  const build = await ensurePortalBuild({
    log: (message) => process.stdout.write(`portal: ${message}\n`),
  });
  process.env.PORTAL_DIST_DIR = build.distDir;
}
try {
  // the settings the pages read: refuse to start with a bad one rather than fail per request
  loadPortalConfig(process.env);
} catch (error) {
  fail((error as Error).message);
}

const app = next({ dev: false, dir: portalDir, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
// a refused form comes back with what was typed, sealed in its URL (lib/console/carriedForm.ts):
// up to 40 000 characters, more than Node's default 16 KiB for a request's line and headers
const server = http.createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => void handle(req, res));
// idle keep-alive connections outlast a proxy's (65 s, as the services' createAppServer and
// docs/operations.md say), so no proxy reuses a connection this server is closing
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
// a port another process holds is a start-up failure to name, not an uncaught stack trace
const cannotListen = (error: Error) => {
  process.stderr.write(`portal: cannot listen on ${hostname}:${port}: ${error.message}\n`);
  process.exit(1);
};
server.once('error', cannotListen);
server.listen(port, hostname, () => {
  server.off('error', cannotListen);
  // A parent with an IPC channel (the tests) learns that this very process serves the port: a
  // /readyz answer on it could come from whatever else took the port in the meantime.
  process.send?.({ listening: port });
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// started by the launcher with an IPC channel: if the launcher dies, so does the portal
process.on('disconnect', stop);
