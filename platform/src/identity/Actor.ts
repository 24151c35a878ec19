import type { Role } from '../demo/demoOrganisation.ts';

export type { Role } from '../demo/demoOrganisation.ts';

/**
 * Who is calling, whatever proved it (an embedded-provider token, a Keycloak token or a
 * developer API key). Authorization decisions read only this.
 */
export type Actor =
  | { kind: 'anonymous' }
  | {
      kind: 'user' | 'system' | 'developer';
      /** stable subject: the token's `sub` */
      subject: string;
      username: string;
      displayName?: string;
      /** department code (e.g. `hz-gaj`); absent for developers */
      departmentCode?: string;
      /** 12-digit code of the department's region */
      regionCode?: string;
      roles: readonly Role[];
      /** OAuth2 client the token was issued to */
      clientId?: string;
      /** when the token proving this actor expires (epoch ms): long streams end there */
      expiresAt?: number;
    }
  | {
      kind: 'api-key';
      /** the key's public id (`gx_<keyId>_…`) */
      keyId: string;
      apiKeyId: string;
      ownerId: string;
      actions: readonly string[];
      resources: readonly string[];
    };

export type AuthenticatedActor = Exclude<Actor, { kind: 'anonymous' }>;
export type PrincipalActor = Extract<Actor, { kind: 'user' | 'system' | 'developer' }>;

export const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous' });

export function hasRole(actor: Actor, role: Role): boolean {
  return (
    (actor.kind === 'user' || actor.kind === 'system' || actor.kind === 'developer') &&
    actor.roles.includes(role)
  );
}

/** A short description for logs and evidence: never contains a credential. */
export function describeActor(actor: Actor): string {
  switch (actor.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'api-key':
      return `api-key:${actor.keyId}`;
    default:
      return `${actor.kind}:${actor.username}${actor.departmentCode ? `@${actor.departmentCode}` : ''}`;
  }
}
