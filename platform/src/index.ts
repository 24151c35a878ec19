export * from './config/loadConfig.ts';
export * from './config/serviceConfig.ts';
export * from './errors/errors.ts';
export * from './http/problemDetails.ts';
export * from './http/createHttpApp.ts';
export * from './logging/createLogger.ts';
export * from './metrics/createMetrics.ts';
export * from './db/createDatabase.ts';
export * from './db/EmbeddedPostgres.ts';
export * from './process/startService.ts';
export * from './db/migrations/runMigrations.ts';
export * from './db/migrations/schemaDrift.ts';
export * from './organisation/unifiedSocialCreditCode.ts';
export * from './demo/demoOrganisation.ts';
export * from './identity/Actor.ts';
export * from './identity/actorFromClaims.ts';
export * from './identity/TokenVerifier.ts';
export * from './identity/authorize.ts';
export * from './identity/authenticate.ts';
export * from './identity/createIdentity.ts';
export * from './identity/resolveLocalUser.ts';
export * from './identity/passwords.ts';
export * from './identity/apiKeys/apiKeyFormat.ts';
export * from './identity/apiKeys/ApiKeyAuthenticator.ts';
export * from './identity/provider/PostgresAdapter.ts';
export * from './demo/seedDemo.ts';
export * from './identity/provider/createIdentityApp.ts';
export {
  API_AUDIENCE,
  API_RESOURCE,
  PORTAL_CLIENT_ID,
} from './identity/provider/createEmbeddedProvider.ts';
