import type { RequestHandler } from 'express';
import type { Pool } from 'pg';
import type { ServiceConfig } from '../config/serviceConfig.ts';
import { ApiKeyAuthenticator } from './apiKeys/ApiKeyAuthenticator.ts';
import { authenticate } from './authenticate.ts';
import { TokenVerifier } from './TokenVerifier.ts';

export interface ServiceIdentity {
  verifier: TokenVerifier;
  apiKeys: ApiKeyAuthenticator;
  authenticate: RequestHandler;
  stop(): void;
}

/** Token verification and API-key authentication as a service needs them. */
export function createIdentity(config: ServiceConfig, pool: Pool): ServiceIdentity {
  const verifier = new TokenVerifier({
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
  });
  const apiKeys = new ApiKeyAuthenticator(pool);
  apiKeys.startHousekeeping();
  return {
    verifier,
    apiKeys,
    authenticate: authenticate({ verifier, apiKeys }),
    stop: () => apiKeys.stop(),
  };
}
