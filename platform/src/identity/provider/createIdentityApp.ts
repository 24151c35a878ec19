import type { Express } from 'express';
import type Provider from 'oidc-provider';
import { databaseReadiness, type Database } from '../../db/createDatabase.ts';
import { createHttpApp } from '../../http/createHttpApp.ts';
import type { Logger } from '../../logging/createLogger.ts';
import type { ServiceMetrics } from '../../metrics/createMetrics.ts';
import { IDENTITY_SERVICE } from './config.ts';
import { createEmbeddedProvider } from './createEmbeddedProvider.ts';
import { loadIdentityKeys } from './identityKeys.ts';
import { interactionRoutes } from './interactions.ts';

export interface CreateIdentityAppOptions {
  issuer: string;
  portalUrl: string;
  accessTokenTtlSeconds?: number;
  db: Database;
  logger: Logger;
  metrics: ServiceMetrics;
}

export async function createIdentityApp(
  options: CreateIdentityAppOptions,
): Promise<{ app: Express; provider: Provider }> {
  const { db, logger } = options;
  const keys = await loadIdentityKeys(db.pool);
  const portal = options.portalUrl.replace(/\/$/, '');
  const provider = createEmbeddedProvider({
    issuer: options.issuer,
    pool: db.pool,
    keys,
    portalRedirectUris: [`${portal}/auth/callback`, `${portal}/api/auth/callback`],
    portalPostLogoutRedirectUris: [`${portal}/`],
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
  });
  provider.on('server_error', (_ctx, error) =>
    logger.error({ err: error }, 'identity provider error'),
  );
  const app = createHttpApp({
    service: IDENTITY_SERVICE,
    logger,
    metrics: options.metrics,
    readiness: [databaseReadiness(db.pool)],
    routes(app) {
      app.use(interactionRoutes(provider, db.pool, logger));
      app.use(provider.callback());
    },
  });
  return { app, provider };
}
