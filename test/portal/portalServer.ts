import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ensurePortalBuild, type PortalBuild } from '@gx/portal/build';

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
  /** the port, reserved in advance because the OIDC redirect URI names it (default: a free one) */
  port?: PortReservation;
  /** the OpenID Provider developers sign in with (default: the portal's own default) */
  oidcIssuer?: string;
  /** PORTAL_SESSION_SECRET (default: none, a random key per process) */
  sessionSecret?: string;
}

/** A port held by a listener of ours until the portal process is about to take it. */
export interface PortReservation {
  port: number;
  release(): Promise<void>;
}

/**
 * Reserve a port for a portal that starts later. A journey must name the portal's port to the
 * identity provider (the redirect URI) before the harness starts, tens of seconds before the
 * portal listens — minutes when this run builds the portal. A port merely found free would stay
 * up for grabs all that time, and any service that took it answers /readyz like the portal;
 * holding it keeps it ours until the spawn.
 */
export async function reservePort(): Promise<PortReservation> {
  const holder = net.createServer();
  holder.unref();
  await new Promise<void>((resolve, reject) => {
    holder.once('error', reject);
    holder.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = holder.address() as net.AddressInfo;
  let released: Promise<void> | undefined;
  return {
    port,
    release: () => (released ??= new Promise<void>((resolve) => holder.close(() => resolve()))),
  };
}

/**
 * Resolves when the portal process itself reports that it listens on `port` (portal/server/main.ts
 * sends `{ listening: port }` over the IPC channel); rejects with its output if it exits first.
 */
function untilListening(child: ChildProcess, port: number, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if ((message as { listening?: unknown } | null)?.listening !== port) return;
      child.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      child.off('message', onMessage);
      reject(new Error(`portal exited before listening on port ${port}:\n${output()}`));
    };
    child.on('message', onMessage);
    child.once('close', onClose);
  });
}

/**
 * The real portal as `npm start` runs it: the production build of the current sources (made
 * once, then reused by every test file and by `npm start`), served by portal/server/main.ts in
 * its own process on the reserved port (or a free one), pointing at the given APIs. Ready when
 * the process itself says it listens: the port is released to it only at the spawn.
 */
export async function startPortal(options: StartPortalOptions): Promise<RunningPortal> {
  const build = await ensurePortalBuild();
  const reservation = options.port ?? (await reservePort());
  const { port } = reservation;
  await reservation.release();
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
  await untilListening(child, port, () => text);
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
