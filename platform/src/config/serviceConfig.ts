import type { ConfigPropertySchema } from './loadConfig.ts';

/** What every HTTP service reads; each service's config.ts adds its own variables. */
export interface ServiceConfig {
  PORT: number;
  HOST: string;
  DATABASE_URL: string;
  DB_POOL_MAX: number;
  LOG_LEVEL: string;
  OIDC_ISSUER: string;
  OIDC_AUDIENCE: string;
  IDENTITY_PROVIDER: 'embedded' | 'external';
}

export function serviceConfigProperties(
  defaultPort: number,
): Record<keyof ServiceConfig, ConfigPropertySchema> {
  return {
    PORT: {
      type: 'integer',
      minimum: 1,
      maximum: 65535,
      default: defaultPort,
      httpPort: true,
      description: 'TCP port the HTTP service listens on',
    },
    HOST: {
      type: 'string',
      default: '127.0.0.1',
      minLength: 1,
      description: 'address the HTTP service binds to (0.0.0.0 in containers)',
    },
    DATABASE_URL: {
      type: 'string',
      pattern: '^postgres(ql)?://',
      secret: true,
      description: 'PostgreSQL connection string; `npm start` provides the embedded one',
    },
    DB_POOL_MAX: {
      type: 'integer',
      minimum: 1,
      maximum: 500,
      default: 10,
      description: 'database connections per process',
    },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
      description: 'log level',
    },
    OIDC_ISSUER: {
      type: 'string',
      pattern: '^https?://',
      description: 'token issuer (Keycloak realm URL, or the embedded provider `npm start` runs)',
    },
    OIDC_AUDIENCE: {
      type: 'string',
      default: 'gov-exchange-api',
      minLength: 1,
      description: 'audience our access tokens must carry',
    },
    IDENTITY_PROVIDER: {
      type: 'string',
      enum: ['embedded', 'external'],
      default: 'external',
      description:
        '`embedded` when the issuer is our embedded provider (systems get their OIDC client created directly)',
    },
  };
}

export const SERVICE_CONFIG_REQUIRED = ['DATABASE_URL', 'OIDC_ISSUER'] as const;
