import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { runMigrations } from '../db/migrations/runMigrations.ts';
import { ConfigError } from '../config/loadConfig.ts';
import { SERVICE_NODE_FLAGS } from '../config/serviceNodeFlags.ts';
import { EmbeddedPostgres } from '../db/EmbeddedPostgres.ts';
import { redactUrl } from '../logging/createLogger.ts';
import { EXIT_CONFIG } from '../process/startService.ts';
import { seedDemoDirectory } from '../demo/demoDirectory/seedDemoDirectory.ts';
import { seedDemo } from '../demo/seedDemo.ts';
import { loadLauncherConfig, type LauncherConfig } from './launcherConfig.ts';
import {
  superviseEmbeddedPostgres,
  type EmbeddedPostgresSupervisor,
} from './superviseEmbeddedPostgres.ts';

interface ServiceSpec {
  name: string;
  title: string;
  entry: string;
  port(config: LauncherConfig): number;
}

/** The embedded OpenID Provider: started first, and only when no OIDC_ISSUER is configured. */
const IDENTITY: ServiceSpec = {
  name: 'identity',
  title: '身份认证 (内嵌 OIDC)',
  entry: 'platform/src/identity/provider/main.ts',
  port: (c) => c.IDENTITY_PORT,
};

/** Every service `npm start` runs, each in its own process as in production. */
export const SERVICES: readonly ServiceSpec[] = [
  {
    name: 'exchange-api',
    title: '共享交换 API',
    entry: 'exchange-api/src/main.ts',
    port: (c) => c.EXCHANGE_API_PORT,
  },
  {
    name: 'catalog',
    title: '资源目录服务',
    entry: 'catalog/src/main.ts',
    port: (c) => c.CATALOG_PORT,
  },
  {
    name: 'connectors',
    title: '连接器管理',
    entry: 'connectors/src/main.ts',
    port: (c) => c.CONNECTORS_PORT,
  },
];

/**
 * The Next.js portal: started last, once the APIs its pages call are ready, from a production
 * build that `startPortalBuild` makes (or reuses) while PostgreSQL starts and the demo seeds.
 */
const PORTAL: ServiceSpec = {
  name: 'portal',
  title: '开放数据门户 (Next.js)',
  entry: 'portal/server/main.ts',
  port: (c) => c.PORTAL_PORT,
};

const say = (message: string) => process.stdout.write(`[start] ${message}\n`);

interface PortalBuild {
  distDir: string;
  built: boolean;
  ms: number;
}

/**
 * Build the portal if its sources changed since the last build (portal/server/ensurePortalBuild.ts,
 * loaded at run time by path: @gx/platform must not depend on the portal). Started at once and
 * awaited only before the portal is spawned, so `next build` overlaps the database's start,
 * migrations and seeding.
 */
function startPortalBuild(rootDir: string): Promise<PortalBuild> {
  const entry = pathToFileURL(path.join(rootDir, 'portal/server/ensurePortalBuild.ts'));
  const build = (async () => {
    const { ensurePortalBuild } = (await import(entry.href)) as {
      ensurePortalBuild(options: { log: (message: string) => void }): Promise<PortalBuild>;
    };
    return ensurePortalBuild({ log: say });
  })();
  build.catch(() => undefined); // reported when awaited
  return build;
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited with ${child.exitCode ?? child.signalCode} before becoming ready`);
    }
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready after ${timeoutMs / 1000} s`);
}

async function seed(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    if (await seedDemo(pool))
      say('demo data seeded (杭州市 demo departments, accounts and systems)');
  } finally {
    await pool.end();
  }
  // The directory is catalogued through the catalog's own use-cases (create, submit, approve),
  // loaded at run time: @gx/platform must not depend on @gx/catalog at build time.
  const workflow = (await import('@gx/catalog')) as Parameters<
    typeof seedDemoDirectory
  >[0]['workflow'];
  await seedDemoDirectory({ url, workflow, log: say });
}

/** The connector demo (connectors/src/demo/seedDemoConnectors.ts), as the launcher uses it. */
interface ConnectorsDemo {
  /** the demo databases' URLs, for the connectors service's environment only */
  env: Record<string, string>;
  summary: string;
  startActivity(options: { log: (message: string) => void }): { stop(): Promise<void> };
}

/**
 * Two demo department databases and the connectors between them. Loaded at run time by path:
 * @gx/platform must not depend on @gx/connectors at build time, and the package's entry would
 * also load the Kafka client the launcher has no use for.
 */
async function seedConnectorsDemo(
  rootDir: string,
  url: string,
): Promise<ConnectorsDemo | undefined> {
  const entry = pathToFileURL(path.join(rootDir, 'connectors/src/demo/seedDemoConnectors.ts'));
  const { seedDemoConnectors } = (await import(entry.href)) as {
    seedDemoConnectors(options: {
      url: string;
      log: (message: string) => void;
    }): Promise<ConnectorsDemo | undefined>;
  };
  return seedDemoConnectors({ url, log: say });
}

async function migrate(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { applied } = await runMigrations({ client, log: say });
    say(
      applied.length ? `${applied.length} migration(s) applied` : 'database schema is up to date',
    );
  } finally {
    await client.end();
  }
}

function loadOrExit(rootDir: string, env: NodeJS.ProcessEnv): LauncherConfig {
  try {
    return loadLauncherConfig(rootDir, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
}

function embeddedPostgres(config: LauncherConfig): EmbeddedPostgres {
  return new EmbeddedPostgres({
    dataDir: path.join(config.DATA_DIR, 'postgres'),
    port: config.EMBEDDED_PG_PORT,
    database: 'gov_exchange',
    log: say,
  });
}

/**
 * `npm run migrate`: apply pending migrations to `DATABASE_URL`, or to the embedded database
 * (started for the purpose and stopped again).
 */
export async function migrateOnly(rootDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadOrExit(rootDir, env);
  const embedded = config.DATABASE_URL ? undefined : embeddedPostgres(config);
  try {
    await migrate(config.DATABASE_URL ?? (await embedded!.start()));
  } catch (error) {
    process.stderr.write(`[migrate] failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await embedded?.stop();
  }
}

/**
 * `npm start`: start PostgreSQL (embedded unless DATABASE_URL is set), apply migrations, run
 * every service, print their URLs. Ctrl-C or SIGTERM stops the services, then the database.
 */
export async function launch(rootDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadOrExit(rootDir, env);

  const children = new Map<string, ChildProcess>();
  let database: EmbeddedPostgresSupervisor | undefined;
  let demoActivity: { stop(): Promise<void> } | undefined;
  let shuttingDown: Promise<void> | undefined;

  const shutdown = (code: number) =>
    (shuttingDown ??= (async () => {
      say('stopping…');
      await demoActivity?.stop().catch(() => undefined);
      await Promise.all(
        [...children.values()].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
              child.once('exit', () => {
                clearTimeout(force);
                resolve();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
      if (database) {
        await database.stop();
        say('PostgreSQL stopped');
      }
      process.exit(code);
    })());

  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const portalBuild = config.PORTAL ? startPortalBuild(rootDir) : undefined;

  try {
    let databaseUrl = config.DATABASE_URL;
    if (databaseUrl) {
      say(`using external PostgreSQL ${redactUrl(databaseUrl)}`);
    } else {
      const embedded = embeddedPostgres(config);
      // from here on, a server that dies is started again (or everything stops)
      database = superviseEmbeddedPostgres({
        server: embedded,
        log: say,
        onGiveUp(reason) {
          process.stderr.write(`[start] ${reason}; stopping every service\n`);
          void shutdown(1);
        },
      });
      databaseUrl = await embedded.start();
    }
    await migrate(databaseUrl);
    let connectorsDemo: ConnectorsDemo | undefined;
    if (config.DEMO_DATA) {
      await seed(databaseUrl);
      connectorsDemo = await seedConnectorsDemo(rootDir, databaseUrl);
    }

    const embeddedIdentity = !config.OIDC_ISSUER;
    const issuer = config.OIDC_ISSUER ?? `http://${config.HOST}:${config.IDENTITY_PORT}`;
    if (!embeddedIdentity) say(`using external identity provider ${issuer}`);
    const serviceEnv = {
      ...env,
      DATABASE_URL: databaseUrl,
      HOST: config.HOST,
      LOG_LEVEL: config.LOG_LEVEL,
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: config.OIDC_AUDIENCE,
      IDENTITY_PROVIDER: embeddedIdentity ? 'embedded' : 'external',
      PORTAL_URL: config.PORTAL_URL,
      // where the catalog's published metadata (DCAT-AP, CKAN, data.json) points
      PUBLIC_EXCHANGE_URL:
        env.PUBLIC_EXCHANGE_URL ?? `http://${config.HOST}:${config.EXCHANGE_API_PORT}`,
      PUBLIC_PORTAL_URL: env.PUBLIC_PORTAL_URL ?? config.PORTAL_URL,
    };
    const exchangeUrl = `http://${config.HOST}:${config.EXCHANGE_API_PORT}`;
    const spawnService = (service: ServiceSpec, extraEnv: Record<string, string> = {}) => {
      const child = spawn(
        process.execPath,
        [...SERVICE_NODE_FLAGS, '--import', 'tsx', path.join(rootDir, service.entry)],
        {
          cwd: rootDir,
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          env: {
            ...serviceEnv,
            // the demo databases' URLs carry credentials: the connectors service alone needs them
            ...(service.name === 'connectors' ? connectorsDemo?.env : undefined),
            ...extraEnv,
            PORT: String(service.port(config)),
          },
        },
      );
      children.set(service.name, child);
      child.once('exit', (code, signal) => {
        if (shuttingDown) return;
        say(`${service.name} exited unexpectedly (${code ?? signal}); stopping everything`);
        void shutdown(1);
      });
    };
    const timeoutMs = config.STARTUP_TIMEOUT_SECONDS * 1000;
    const ready = (service: ServiceSpec) =>
      waitReady(
        `http://${config.HOST}:${service.port(config)}`,
        children.get(service.name)!,
        timeoutMs,
      ).catch((error: unknown) => {
        throw new Error(`${service.name}: ${(error as Error).message}`);
      });

    // the services discover the issuer's keys, so the provider comes first
    const running = embeddedIdentity ? [IDENTITY, ...SERVICES] : [...SERVICES];
    if (embeddedIdentity) {
      spawnService(IDENTITY);
      await ready(IDENTITY);
    }
    for (const service of SERVICES) spawnService(service);
    await Promise.all(SERVICES.map(ready));
    if (portalBuild) {
      const build = await portalBuild.catch((error: unknown) => {
        throw new Error(`portal: ${(error as Error).message}`);
      });
      if (build.built) say(`portal built in ${(build.ms / 1000).toFixed(1)} s`);
      spawnService(PORTAL, {
        // the portal reads only the APIs, never the database
        DATABASE_URL: '',
        CATALOG_URL: `http://${config.HOST}:${config.CATALOG_PORT}`,
        EXCHANGE_URL: exchangeUrl,
        CONNECTORS_URL: `http://${config.HOST}:${config.CONNECTORS_PORT}`,
        PUBLIC_EXCHANGE_URL: serviceEnv.PUBLIC_EXCHANGE_URL,
        PORTAL_DIST_DIR: build.distDir,
        NEXT_TELEMETRY_DISABLED: '1',
      });
      running.push(PORTAL);
      await ready(PORTAL);
    }
    say('all services are ready:');
    for (const service of running) {
      say(
        `  ${service.name.padEnd(13)} http://${config.HOST}:${service.port(config)}  ${service.title}`,
      );
    }
    if (connectorsDemo && !shuttingDown) {
      demoActivity = connectorsDemo.startActivity({ log: say });
      say(
        `connector demo: ${connectorsDemo.summary}; a registration is added and one changed ` +
          `every 10 s — watch gx_connector_records_out_total on ` +
          `http://${config.HOST}:${config.CONNECTORS_PORT}/metrics`,
      );
    }
    say('press Ctrl-C to stop');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`[start] failed: ${message}\n`);
    await shutdown(1);
  }
}
