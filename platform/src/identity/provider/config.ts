import { loadConfig } from '../../config/loadConfig.ts';
import {
  SERVICE_CONFIG_REQUIRED,
  serviceConfigProperties,
  type ServiceConfig,
} from '../../config/serviceConfig.ts';

export const IDENTITY_SERVICE = 'identity';
export const IDENTITY_DEFAULT_PORT = 4003;

export interface IdentityConfig extends ServiceConfig {
  PORTAL_URL: string;
  ACCESS_TOKEN_TTL_SECONDS: number;
}

/** The only place the embedded identity provider reads the environment. */
export function loadIdentityConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): IdentityConfig {
  return loadConfig<IdentityConfig>(
    IDENTITY_SERVICE,
    {
      type: 'object',
      properties: {
        ...serviceConfigProperties(IDENTITY_DEFAULT_PORT),
        PORTAL_URL: {
          type: 'string',
          pattern: '^https?://',
          default: 'http://127.0.0.1:3000',
          description: 'portal base URL (OIDC redirects)',
        },
        ACCESS_TOKEN_TTL_SECONDS: {
          type: 'integer',
          minimum: 30,
          maximum: 86400,
          default: 300,
          description: 'access token lifetime',
        },
      },
      required: [...SERVICE_CONFIG_REQUIRED],
    },
    env,
  );
}
