/**
 * The audience our access tokens carry (`aud`), for the embedded provider and the services alike.
 * In a module of its own so that a service can name it without loading the provider
 * (oidc-provider and Koa, ≈ 20 MB resident).
 */
export const API_AUDIENCE = 'gov-exchange-api';
