// The embedded OpenID Provider as its own process (started by `npm start` when OIDC_ISSUER is
// not set). Production uses Keycloak instead.
import { startService } from '../../process/startService.ts';
import { loadIdentityConfig, IDENTITY_SERVICE } from './config.ts';
import { createIdentityApp } from './createIdentityApp.ts';

await startService({
  name: IDENTITY_SERVICE,
  loadConfig: () => loadIdentityConfig(),
  createApp: async ({ config, db, logger, metrics }) =>
    (
      await createIdentityApp({
        issuer: config.OIDC_ISSUER,
        portalUrl: config.PORTAL_URL,
        accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        db,
        logger,
        metrics,
      })
    ).app,
});
