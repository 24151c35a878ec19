import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEMO_DEPARTMENTS,
  DEMO_SYSTEMS,
  DEMO_USERS,
  ROLES,
} from '../../platform/src/demo/demoOrganisation.ts';
import {
  API_AUDIENCE,
  AUDIENCE_SCOPE,
  DEFAULT_ROLE_NAME,
  DEPARTMENT_SCOPE,
  PORTAL_CLIENT_ID,
  REALM_FILE,
  SECRET_PLACEHOLDER_PREFIX,
  buildRealm,
  renderRealm,
  type KeycloakClient,
  type KeycloakProtocolMapper,
  type KeycloakRealm,
  type KeycloakUser,
} from './generateRealm.ts';

// Every assertion reads the committed file, which the first test proves is buildRealm()'s output.
const committedText = readFileSync(REALM_FILE, 'utf8');
const realm = JSON.parse(committedText) as KeycloakRealm;

function client(clientId: string): KeycloakClient {
  const found = realm.clients.find((c) => c.clientId === clientId);
  if (!found) throw new Error(`no client ${clientId} in the realm file`);
  return found;
}

function user(username: string): KeycloakUser {
  const found = realm.users.find((u) => u.username === username);
  if (!found) throw new Error(`no user ${username} in the realm file`);
  return found;
}

/** The mappers that run when `c` gets a token: its own plus those of its default scopes. */
function mappersOf(c: KeycloakClient): KeycloakProtocolMapper[] {
  const scopes = new Map(realm.clientScopes.map((s) => [s.name, s]));
  return [
    ...(c.protocolMappers ?? []),
    ...c.defaultClientScopes.flatMap((name) => scopes.get(name)?.protocolMappers ?? []),
  ];
}

function regionOf(departmentCode: string): string | undefined {
  return DEMO_DEPARTMENTS.find((d) => d.code === departmentCode)?.regionCode;
}

/** Every [key, value] pair in a JSON tree, with the JSON embedded as strings parsed too. */
function* entries(value: unknown): Generator<[string, unknown]> {
  if (Array.isArray(value)) for (const item of value) yield* entries(item);
  else if (value !== null && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) {
      yield [key, child];
      yield* entries(child);
    }
  else if (typeof value === 'string' && value.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return;
    }
    yield* entries(parsed);
  }
}

describe('gov-exchange Keycloak realm', () => {
  it('is the committed file exactly', async () => {
    expect(
      committedText === (await renderRealm()),
      'deploy/keycloak/gov-exchange-realm.json is out of date with the demo organisation: ' +
        'run `npx tsx deploy/keycloak/generateRealm.ts` and commit the result',
    ).toBe(true);
    expect(realm).toStrictEqual(JSON.parse(JSON.stringify(buildRealm())));
  });

  it('has every role as a realm role, and makes self-registered accounts developers', () => {
    const names = realm.roles.realm.map((r) => r.name);
    for (const role of ROLES) expect(names, role).toContain(role);
    for (const role of realm.roles.realm.filter((r) =>
      (ROLES as readonly string[]).includes(r.name),
    ))
      expect(role.description, role.name).toMatch(/\p{Script=Han}/u);

    expect(realm.defaultRole.name).toBe(DEFAULT_ROLE_NAME);
    // Keycloak takes the default role's composites from its entry in roles.realm
    const defaultRole = realm.roles.realm.find((r) => r.name === DEFAULT_ROLE_NAME);
    expect(defaultRole?.composite).toBe(true);
    expect(defaultRole?.composites?.realm).toContain('developer');
    expect(realm.defaultRole.composites?.realm).toContain('developer');
    expect(defaultRole?.composites?.realm).not.toContain('system');
  });

  it('lets the portal sign people in only by authorisation code with PKCE S256', () => {
    const portal = client(PORTAL_CLIENT_ID);
    expect(portal.publicClient).toBe(true);
    expect(portal.attributes['pkce.code.challenge.method']).toBe('S256');
    expect(portal.standardFlowEnabled).toBe(true);
    expect(portal.implicitFlowEnabled).toBe(false);
    expect(portal.directAccessGrantsEnabled).toBe(false);
    expect(portal.serviceAccountsEnabled).toBe(false);
    expect(portal.secret).toBeUndefined();
    expect(portal.redirectUris.every((uri) => !uri.includes('*') || uri.endsWith('/*'))).toBe(true);
    expect(portal.defaultClientScopes).toEqual(
      expect.arrayContaining([
        'web-origins',
        'profile',
        'roles',
        'email',
        AUDIENCE_SCOPE,
        DEPARTMENT_SCOPE,
      ]),
    );
  });

  it('gives every department system a confidential client whose service account is that department', () => {
    for (const system of DEMO_SYSTEMS) {
      const c = client(system.clientId);
      expect(c.publicClient, system.clientId).toBe(false);
      expect(c.bearerOnly, system.clientId).toBe(false);
      expect(c.serviceAccountsEnabled, system.clientId).toBe(true);
      expect(c.standardFlowEnabled, system.clientId).toBe(false);
      expect(c.directAccessGrantsEnabled, system.clientId).toBe(false);
      expect(c.clientAuthenticatorType, system.clientId).toBe('client-secret');
      expect(c.defaultClientScopes, system.clientId).toEqual(
        expect.arrayContaining(['roles', AUDIENCE_SCOPE, DEPARTMENT_SCOPE]),
      );

      const account = user(`service-account-${system.clientId}`);
      expect(account.serviceAccountClientId).toBe(system.clientId);
      expect(account.enabled).toBe(true);
      expect(account.realmRoles).toEqual(['system']);
      expect(account.attributes).toEqual({
        department: [system.departmentCode],
        region: [regionOf(system.departmentCode)],
      });
      expect(account.credentials).toBeUndefined();
    }
  });

  it('has every demo account with its roles and department', () => {
    for (const demo of DEMO_USERS) {
      const u = user(demo.username);
      // imported disabled and without a password (see README)
      expect(u.enabled, demo.username).toBe(false);
      expect(u.credentials, demo.username).toBeUndefined();
      expect(u.email, demo.username).toBe(demo.email);
      expect(u.firstName, demo.username).toBe(demo.displayName);
      expect(u.realmRoles, demo.username).toEqual(demo.roles);
      expect(u.realmRoles, demo.username).not.toContain(DEFAULT_ROLE_NAME);
      expect(u.attributes, demo.username).toEqual(
        demo.departmentCode
          ? { department: [demo.departmentCode], region: [regionOf(demo.departmentCode)] }
          : undefined,
      );
    }
    // nobody but a department system holds `system`
    for (const u of realm.users)
      if (u.realmRoles.includes('system'))
        expect(u.serviceAccountClientId, u.username).toBeTruthy();
  });

  it('puts gov-exchange-api in aud, and department and region claims, in portal and system tokens', () => {
    for (const clientId of [PORTAL_CLIENT_ID, ...DEMO_SYSTEMS.map((s) => s.clientId)]) {
      const mappers = mappersOf(client(clientId));
      const audiences = mappers.filter(
        (m) =>
          m.protocolMapper === 'oidc-audience-mapper' && m.config['access.token.claim'] === 'true',
      );
      expect(
        audiences.map((m) => m.config['included.custom.audience']),
        clientId,
      ).toContain(API_AUDIENCE);

      for (const claim of ['department', 'region']) {
        const found = mappers.filter(
          (m) =>
            m.protocolMapper === 'oidc-usermodel-attribute-mapper' &&
            m.config['claim.name'] === claim,
        );
        expect(found, `${clientId} ${claim}`).toHaveLength(1);
        expect(found[0]?.config).toMatchObject({
          'user.attribute': claim,
          'jsonType.label': 'String',
          'access.token.claim': 'true',
          'id.token.claim': 'true',
          'userinfo.token.claim': 'true',
        });
      }

      const realmRoles = mappers.find(
        (m) => m.protocolMapper === 'oidc-usermodel-realm-role-mapper',
      );
      expect(realmRoles?.config['claim.name'], clientId).toBe('realm_access.roles');
      // `sub` comes from the basic scope since Keycloak 25
      expect(mappers.some((m) => m.protocolMapper === 'oidc-sub-mapper')).toBe(true);
    }
    expect(realm.defaultDefaultClientScopes).toEqual(
      expect.arrayContaining([AUDIENCE_SCOPE, DEPARTMENT_SCOPE]),
    );
  });

  it('declares every client scope a client names, since a realm file gets no built-in ones', () => {
    const declared = new Set(realm.clientScopes.map((s) => s.name));
    const named = [
      ...realm.defaultDefaultClientScopes,
      ...realm.defaultOptionalClientScopes,
      ...realm.clients.flatMap((c) => [...c.defaultClientScopes, ...c.optionalClientScopes]),
    ];
    for (const name of named) expect(declared, name).toContain(name);
  });

  it('keeps department and region administrator-only in the user profile', () => {
    const [component] = realm.components['org.keycloak.userprofile.UserProfileProvider'] ?? [];
    const text = component?.config['kc.user.profile.config']?.[0] ?? '{}';
    const profile = JSON.parse(text) as {
      attributes: { name: string; permissions: { edit: string[] } }[];
    };
    for (const name of ['department', 'region']) {
      const attribute = profile.attributes.find((a) => a.name === name);
      expect(attribute?.permissions.edit, name).toEqual(['admin']);
    }
  });

  it('ships no client secret but the CHANGE-ME- placeholders', () => {
    const secrets = [...entries(realm)].filter(([key]) => /secret/i.test(key));
    expect(secrets).toHaveLength(DEMO_SYSTEMS.length);
    for (const [, value] of secrets)
      expect(String(value)).toMatch(new RegExp(`^${SECRET_PLACEHOLDER_PREFIX}[a-z0-9-]+$`));
    for (const c of realm.clients.filter((c) => c.secret !== undefined))
      expect(c.secret).toBe(`${SECRET_PLACEHOLDER_PREFIX}${c.clientId}`);
    // nor key material: Keycloak generates the realm's keys on import
    const keyNames = [...entries(realm)].map(([key]) => key);
    expect(keyNames).not.toContain('privateKey');
    expect(keyNames).not.toContain('org.keycloak.keys.KeyProvider');
  });
});
