import path from 'node:path';
import { loadConfig } from '../config/loadConfig.ts';

export interface LauncherConfig {
  DATABASE_URL?: string;
  DATA_DIR: string;
  EMBEDDED_PG_PORT: number;
  HOST: string;
  EXCHANGE_API_PORT: number;
  CATALOG_PORT: number;
  CONNECTORS_PORT: number;
  PORTAL_PORT: number;
  /** run the Next.js portal (built on first start, see portal/server/ensurePortalBuild.ts) */
  PORTAL: boolean;
  LOG_LEVEL: string;
  STARTUP_TIMEOUT_SECONDS: number;
  OIDC_ISSUER?: string;
  OIDC_AUDIENCE: string;
  IDENTITY_PORT: number;
  PORTAL_URL: string;
  DEMO_DATA: boolean;
}

/** The only place `npm start` reads the environment. */
export function loadLauncherConfig(
  rootDir: string,
  env: Readonly<Record<string, string | undefined>>,
): LauncherConfig {
  const port = (fallback: number, description: string, httpPort = true) =>
    ({
      type: 'integer',
      minimum: 1,
      maximum: 65535,
      default: fallback,
      httpPort,
      description,
    }) as const;
  const config = loadConfig<LauncherConfig>(
    'npm start',
    {
      type: 'object',
      properties: {
        DATABASE_URL: {
          type: 'string',
          pattern: '^postgres(ql)?://',
          secret: true,
          description: 'external PostgreSQL ≥ 14; when unset an embedded PostgreSQL is started',
        },
        DATA_DIR: {
          type: 'string',
          default: '.data',
          minLength: 1,
          description: 'where embedded data lives (relative to the repository)',
        },
        EMBEDDED_PG_PORT: port(54329, 'port of the embedded PostgreSQL (loopback only)', false),
        HOST: {
          type: 'string',
          default: '127.0.0.1',
          minLength: 1,
          description: 'address the services bind to',
        },
        EXCHANGE_API_PORT: port(4000, 'exchange API port'),
        CATALOG_PORT: port(4001, 'catalog service port'),
        CONNECTORS_PORT: port(4002, 'connectors management port'),
        PORTAL_PORT: port(3000, 'portal (Next.js) port'),
        PORTAL: {
          type: 'boolean',
          default: true,
          description: 'run the portal (its first start builds it: `next build`, about 30–60 s)',
        },
        LOG_LEVEL: {
          type: 'string',
          enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
          default: 'info',
          description: 'log level of every service',
        },
        STARTUP_TIMEOUT_SECONDS: {
          type: 'integer',
          minimum: 5,
          default: 60,
          description: 'how long a service may take to become ready',
        },
        OIDC_ISSUER: {
          type: 'string',
          pattern: '^https?://',
          description: 'Keycloak realm URL; when unset the embedded OpenID Provider is started',
        },
        OIDC_AUDIENCE: {
          type: 'string',
          default: 'gov-exchange-api',
          minLength: 1,
          description: 'audience of access tokens',
        },
        IDENTITY_PORT: port(4003, 'embedded OpenID Provider port'),
        PORTAL_URL: {
          type: 'string',
          pattern: '^https?://',
          description: 'portal base URL (OIDC redirect URIs); default http://HOST:PORTAL_PORT',
        },
        DEMO_DATA: {
          type: 'boolean',
          default: true,
          description: 'seed the demo city into an empty database',
        },
      },
    },
    env,
  );
  return {
    ...config,
    DATA_DIR: path.resolve(rootDir, config.DATA_DIR),
    PORTAL_URL: config.PORTAL_URL ?? `http://${config.HOST}:${config.PORTAL_PORT}`,
  };
}
