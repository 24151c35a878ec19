// The embedded OpenID Provider. Kept out of the package's main entry so that services, which
// only verify tokens, do not load oidc-provider.
export * from './createIdentityApp.ts';
export * from './createEmbeddedProvider.ts';
export * from './config.ts';
