import type { JWTPayload } from 'jose';
import { ROLES, type Role } from '../demo/demoOrganisation.ts';
import type { PrincipalActor } from './Actor.ts';

const KNOWN_ROLES = new Set<string>(ROLES);

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export interface ActorFromClaimsOptions {
  /** the API's client id at the issuer: roles under `resource_access.<it>.roles` count too */
  audience: string;
}

/**
 * Map verified token claims to an Actor. The same mapping serves Keycloak tokens
 * (`realm_access.roles`, `resource_access.<client>.roles`, `department`/`region` from user
 * attributes) and the embedded provider's tokens, which carry the same claims by design.
 * Roles we do not know are ignored rather than trusted.
 */
export function actorFromClaims(
  claims: JWTPayload,
  { audience }: ActorFromClaimsOptions,
): PrincipalActor {
  const realmAccess = claims.realm_access as { roles?: unknown } | undefined;
  const resourceAccess = claims.resource_access as Record<string, { roles?: unknown }> | undefined;
  const roles = [
    ...new Set([...strings(realmAccess?.roles), ...strings(resourceAccess?.[audience]?.roles)]),
  ].filter((r): r is Role => KNOWN_ROLES.has(r));
  roles.sort();

  const kind: PrincipalActor['kind'] = roles.includes('system')
    ? 'system'
    : roles.some((r) => r !== 'developer')
      ? 'user'
      : 'developer';
  const clientId = text(claims.azp) ?? text(claims.client_id);
  const username =
    text(claims.preferred_username) ??
    (kind === 'system' ? clientId : undefined) ??
    String(claims.sub);
  const actor: PrincipalActor = {
    kind,
    subject: String(claims.sub),
    username: kind === 'system' ? username.replace(/^service-account-/, '') : username,
    roles,
  };
  const displayName = text(claims.name);
  if (displayName) actor.displayName = displayName;
  const department = text(claims.department);
  if (department && kind !== 'developer') actor.departmentCode = department;
  const region = text(claims.region);
  if (region && kind !== 'developer') actor.regionCode = region;
  if (clientId) actor.clientId = clientId;
  if (typeof claims.exp === 'number') actor.expiresAt = claims.exp * 1000;
  return actor;
}
