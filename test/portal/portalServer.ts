import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ensurePortalBuild, type PortalBuild } from '@gx/portal/build';
import { freePort } from '@gx/platform/testing';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface RunningPortal {
  base: string;
  build: PortalBuild;
  /** what the portal process printed (for a failing test's message) */
  output(): string;
  close(): Promise<void>;
}

export interface StartPortalOptions {
  catalogUrl: string;
  exchangeUrl: string;
  /** the connectors management API the console reads (default: the portal's own default) */
  connectorsUrl?: string;
  /** the exchange as the browser reaches it (default: exchangeUrl) */
  publicExchangeUrl?: string;
  /** the port to listen on (default: a free one); the OIDC redirect URI must know it in advance */
  port?: number;
  /** the OpenID Provider developers sign in with (default: the portal's own default) */
  oidcIssuer?: string;
  /** PORTAL_SESSION_SECRET (default: none, a random key per process) */
  sessionSecret?: string;
}

/**
 * The real portal as `npm start` runs it: the production build of the current sources (made
 * once, then reused by every test file and by `npm start`), served by portal/server/main.ts in
 * its own process on a free port, pointing at the given APIs.
 */
export async function startPortal(options: StartPortalOptions): Promise<RunningPortal> {
  const build = await ensurePortalBuild();
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'portal/server/main.ts')],
    {
      cwd: ROOT,
      // the IPC channel ends the portal if the test process dies
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        HOST: '127.0.0.1',
        PORT: String(port),
        PORTAL_DIST_DIR: build.distDir,
        CATALOG_URL: options.catalogUrl,
        EXCHANGE_URL: options.exchangeUrl,
        PUBLIC_EXCHANGE_URL: options.publicExchangeUrl ?? options.exchangeUrl,
        ...(options.connectorsUrl ? { CONNECTORS_URL: options.connectorsUrl } : {}),
        PORTAL_URL: `http://127.0.0.1:${port}`,
        ...(options.oidcIssuer ? { OIDC_ISSUER: options.oidcIssuer } : {}),
        ...(options.sessionSecret ? { PORTAL_SESSION_SECRET: options.sessionSecret } : {}),
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  );
  let text = '';
  child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`portal exited before listening:\n${text}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    build,
    output: () => text,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
