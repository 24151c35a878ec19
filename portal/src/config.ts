import path from 'node:path';

export interface PortalConfig {
  /** where the portal's server components reach the catalog service */
  CATALOG_URL: string;
  /** where the portal's server components reach the exchange API */
  EXCHANGE_URL: string;
  /**
   * the exchange API as a visitor's browser reaches it: download links and the API tab's
   * examples point there (see docs/adr/0008-portal.md for why downloads are not proxied)
   */
  PUBLIC_EXCHANGE_URL: string;
  /** the OpenAPI documents the API tab is generated from */
  SCHEMAS_DIR: string;
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

/** The only place the portal reads the environment (read once, when first needed). */
export function loadPortalConfig(env: Readonly<Record<string, string | undefined>>): PortalConfig {
  const EXCHANGE_URL = url(env, 'EXCHANGE_URL', 'http://127.0.0.1:4000');
  return {
    CATALOG_URL: url(env, 'CATALOG_URL', 'http://127.0.0.1:4001'),
    EXCHANGE_URL,
    PUBLIC_EXCHANGE_URL: url(env, 'PUBLIC_EXCHANGE_URL', EXCHANGE_URL),
    // read at run time from the repository, not bundled: the API tab follows the specs in place
    SCHEMAS_DIR: path.resolve(
      /*turbopackIgnore: true*/ env.SCHEMAS_DIR ?? path.join(process.cwd(), '..', 'schemas'),
    ),
  };
}

let cached: PortalConfig | undefined;

export function portalConfig(): PortalConfig {
  return (cached ??= loadPortalConfig(process.env));
}
