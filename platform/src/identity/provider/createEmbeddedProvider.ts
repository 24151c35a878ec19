import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Pool } from 'pg';
import { accountClaims, findAccountById, findSystemByClientId, systemClaims } from './accounts.ts';
import type { IdentityKeys } from './identityKeys.ts';
import { PAGE_LOCALES, pageLocale, pageMessages } from './pageMessages.ts';
import { postgresAdapterFactory } from './PostgresAdapter.ts';
import { API_AUDIENCE } from '../apiAudience.ts';

export { API_AUDIENCE };

/** The resource indicator of our APIs; tokens for it carry `aud` = the audience below. */
export const API_RESOURCE = 'urn:gov-exchange:api';
export const PORTAL_CLIENT_ID = 'gov-exchange-portal';

export interface EmbeddedProviderOptions {
  issuer: string;
  pool: Pool;
  keys: IdentityKeys;
  /** where the portal receives authorization codes */
  portalRedirectUris: string[];
  portalPostLogoutRedirectUris: string[];
  accessTokenTtlSeconds?: number;
}

/**
 * The embedded OpenID Provider (oidc-provider): discovery, JWKS, authorization code + PKCE for
 * the portal, client credentials for department systems, refresh tokens. Access tokens are JWTs
 * with Keycloak-shaped claims (`realm_access.roles`, `department`, `region`), so services verify
 * them exactly as they verify Keycloak's.
 */
export function createEmbeddedProvider(options: EmbeddedProviderOptions): Provider {
  const { pool } = options;
  const accessTokenTTL = options.accessTokenTtlSeconds ?? 300;

  const configuration: Configuration = {
    adapter: postgresAdapterFactory(pool),
    jwks: { keys: options.keys.signing as never },
    cookies: { keys: options.keys.cookie, long: { signed: true }, short: { signed: true } },
    clients: [
      {
        client_id: PORTAL_CLIENT_ID,
        // the login page names the portal in the visitor's language (interactions.ts)
        client_name: pageMessages('zh-CN').siteName,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: options.portalRedirectUris,
        post_logout_redirect_uris: options.portalPostLogoutRedirectUris,
      },
    ],
    clientDefaults: { id_token_signed_response_alg: 'RS256' },
    scopes: ['openid', 'profile', 'email', 'department', 'offline_access', 'api'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      department: ['department', 'region'],
    },
    async findAccount(_ctx, sub) {
      const account = await findAccountById(pool, sub);
      if (!account || account.status !== 'active') return undefined;
      return {
        accountId: account.id,
        async claims() {
          return { sub: account.id, ...accountClaims(account) };
        },
      };
    },
    async extraTokenClaims(_ctx, token) {
      if (token.kind === 'ClientCredentials') {
        const system = await findSystemByClientId(pool, token.clientId!);
        return system ? systemClaims(system) : {};
      }
      if ('accountId' in token && token.accountId) {
        const account = await findAccountById(pool, token.accountId);
        return account ? accountClaims(account) : {};
      }
      return {};
    },
    // the languages the portal may ask for with ui_locales; anything else gets Chinese
    discovery: { ui_locales_supported: [...PAGE_LOCALES] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: false },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api',
          audience: API_AUDIENCE,
          accessTokenTTL,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    // First-party portal: its users get refresh tokens without asking for offline_access.
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.kind === 'AuthorizationCode',
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: accessTokenTTL,
      ClientCredentials: accessTokenTTL,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 14 * 24 * 3600,
      RefreshToken: 14 * 24 * 3600,
    },
    // Our own error pages: no stack, in the language the request asked for (Chinese if it did
    // not, or if the error came before its parameters were read). The error itself is the
    // protocol's, in English.
    async renderError(ctx: KoaContextWithOIDC, out) {
      const locale = pageLocale(ctx.oidc?.params?.ui_locales);
      const t = pageMessages(locale);
      ctx.type = 'html';
      const escape = (s: unknown) =>
        String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      ctx.body = `<!doctype html><html lang="${locale}"><meta charset="utf-8"><title>${escape(t.error.title)} · ${escape(t.siteName)}</title>
<main style="font-family:sans-serif;max-width:32rem;margin:4rem auto"><h1>${escape(t.error.title)}</h1>
<p>${escape(out.error)}: ${escape(out.error_description)}</p></main></html>`;
    },
  };
  const provider = new Provider(options.issuer, configuration);
  provider.proxy = true;
  return provider;
}
