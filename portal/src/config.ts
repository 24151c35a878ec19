import path from 'node:path';

export interface PortalConfig {
  /** where the portal's server components reach the catalog service */
  CATALOG_URL: string;
  /** where the portal's server components reach the exchange API */
  EXCHANGE_URL: string;
  /** where the console reaches the connectors management API */
  CONNECTORS_URL: string;
  /**
   * the exchange API as a visitor's browser reaches it: download links and the API tab's
   * examples point there (see docs/adr/0008-portal.md for why downloads are not proxied)
   */
  PUBLIC_EXCHANGE_URL: string;
  /** the catalog as a developer reaches it: its API documentation and the open-data API description */
  PUBLIC_CATALOG_URL: string;
  /** the connectors management API as a developer reaches it: its API documentation */
  PUBLIC_CONNECTORS_URL: string;
  /** the OpenAPI documents the API tab is generated from */
  SCHEMAS_DIR: string;
  /** the OpenID Provider developers sign in with (the embedded provider, or Keycloak's realm) */
  OIDC_ISSUER: string;
  /** the portal's OIDC client (public client: authorization code + PKCE) */
  OIDC_CLIENT_ID: string;
  /** the portal as a browser reaches it: the OIDC redirect URI and the CSRF origin check */
  PORTAL_URL: string;
  /**
   * the secret the session cookie is encrypted with; when unset, a random key per process (every
   * session ends when the portal restarts, and several portal processes cannot share sessions)
   */
  PORTAL_SESSION_SECRET: string | undefined;
}

function url(env: Readonly<Record<string, string | undefined>>, name: string, fallback: string) {
  const value = env[name] ?? fallback;
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
  } catch {
    throw new Error(`portal: ${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return value.replace(/\/+$/, '');
}

function sessionSecret(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 32)
    throw new Error('portal: PORTAL_SESSION_SECRET must be at least 32 characters');
  return value;
}

/** The only place the portal reads the environment (read once, when first needed). */
export function loadPortalConfig(env: Readonly<Record<string, string | undefined>>): PortalConfig {
  const EXCHANGE_URL = url(env, 'EXCHANGE_URL', 'http://127.0.0.1:4000');
  const CATALOG_URL = url(env, 'CATALOG_URL', 'http://127.0.0.1:4001');
  const CONNECTORS_URL = url(env, 'CONNECTORS_URL', 'http://127.0.0.1:4002');
  return {
    CATALOG_URL,
    EXCHANGE_URL,
    CONNECTORS_URL,
    PUBLIC_EXCHANGE_URL: url(env, 'PUBLIC_EXCHANGE_URL', EXCHANGE_URL),
    PUBLIC_CATALOG_URL: url(env, 'PUBLIC_CATALOG_URL', CATALOG_URL),
    PUBLIC_CONNECTORS_URL: url(env, 'PUBLIC_CONNECTORS_URL', CONNECTORS_URL),
    // read at run time from the repository, not bundled: the API tab follows the specs in place
    SCHEMAS_DIR: path.resolve(
      /*turbopackIgnore: true*/ env.SCHEMAS_DIR ?? path.join(process.cwd(), '..', 'schemas'),
    ),
    OIDC_ISSUER: url(env, 'OIDC_ISSUER', 'http://127.0.0.1:4003'),
    OIDC_CLIENT_ID: env.OIDC_CLIENT_ID || 'gov-exchange-portal',
    PORTAL_URL: url(env, 'PORTAL_URL', 'http://127.0.0.1:3000'),
    PORTAL_SESSION_SECRET: sessionSecret(env.PORTAL_SESSION_SECRET),
  };
}

let cached: PortalConfig | undefined;

export function portalConfig(): PortalConfig {
  return (cached ??= loadPortalConfig(process.env));
}
