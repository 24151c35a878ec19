// Builds the production Keycloak realm (deploy/keycloak/gov-exchange-realm.json) from the demo
// organisation, so the realm and the embedded identity provider cannot drift apart.
// Regenerate with `npx tsx deploy/keycloak/generateRealm.ts`; generateRealm.test.ts fails when the
// committed file differs from what this module builds.
//
// Written for Keycloak 26 (the `basic` scope and its `oidc-sub-mapper` need Keycloak 25 or later).
// Three import behaviours of Keycloak shape this file (RealmManager.importRealm):
// - a realm file that declares any `clientScopes` gets none of the built-in ones, so every
//   built-in scope a client names (basic, profile, email, roles, web-origins, acr,
//   offline_access) is declared here; a client naming a missing scope is imported without it and
//   only a warning is logged;
// - Keycloak's own `account` and `account-console` clients are created before the file's scopes
//   exist and so would carry none (the account console would answer every call with 403); they
//   are declared here with the scopes Keycloak gives them in a fresh realm;
// - since Keycloak 24 user attributes that the user profile does not declare are dropped, so
//   `department` and `region` are declared in the user profile, editable by administrators only.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import {
  DEMO_DEPARTMENTS,
  DEMO_SYSTEMS,
  DEMO_USERS,
  ROLES,
  type DemoDepartment,
  type Role,
} from '../../platform/src/demo/demoOrganisation.ts';

export const REALM_NAME = 'gov-exchange';
/** `aud` every access token for the platform must carry; the platform's `OIDC_AUDIENCE`. */
export const API_AUDIENCE = 'gov-exchange-api';
export const PORTAL_CLIENT_ID = 'gov-exchange-portal';
export const AUDIENCE_SCOPE = 'gov-exchange-api-audience';
export const DEPARTMENT_SCOPE = 'gov-exchange-department';
export const DEFAULT_ROLE_NAME = `default-roles-${REALM_NAME}`;
/** Client secrets in the file are placeholders that must be regenerated after import. */
export const SECRET_PLACEHOLDER_PREFIX = 'CHANGE-ME-';
export const REALM_FILE = fileURLToPath(new URL('./gov-exchange-realm.json', import.meta.url));

const OIDC = 'openid-connect';
const ACCOUNT_CLIENT_ID = 'account';
const ACCOUNT_CONSOLE_CLIENT_ID = 'account-console';
const ACCOUNT_BASE_URL = `/realms/${REALM_NAME}/account/`;
/** What a new account may do in the account console (Keycloak's defaults). */
const ACCOUNT_DEFAULT_ROLES = ['view-profile', 'manage-account'];

export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  'platform-admin': '平台管理员',
  steward: '部门数据管理员',
  approver: '审核人',
  auditor: '审计员',
  developer: '开发者',
  system: '部门业务系统',
};

// The subset of Keycloak's RealmRepresentation this file uses (string-valued configs, as
// Keycloak exports them).
export interface KeycloakProtocolMapper {
  name: string;
  protocol: string;
  protocolMapper: string;
  consentRequired: boolean;
  config: Record<string, string>;
}

export interface KeycloakClientScope {
  name: string;
  description: string;
  protocol: string;
  attributes: Record<string, string>;
  protocolMappers?: KeycloakProtocolMapper[];
}

export interface KeycloakRole {
  name: string;
  description: string;
  composite: boolean;
  clientRole?: boolean;
  composites?: { realm?: string[]; client?: Record<string, string[]> };
}

export interface KeycloakClient {
  clientId: string;
  name: string;
  description?: string;
  enabled: boolean;
  protocol: string;
  publicClient: boolean;
  bearerOnly: boolean;
  standardFlowEnabled: boolean;
  implicitFlowEnabled: boolean;
  directAccessGrantsEnabled: boolean;
  serviceAccountsEnabled: boolean;
  clientAuthenticatorType?: string;
  secret?: string;
  rootUrl?: string;
  baseUrl?: string;
  redirectUris: string[];
  webOrigins: string[];
  frontchannelLogout?: boolean;
  fullScopeAllowed: boolean;
  attributes: Record<string, string>;
  protocolMappers?: KeycloakProtocolMapper[];
  defaultClientScopes: string[];
  optionalClientScopes: string[];
}

export interface KeycloakUser {
  username: string;
  enabled: boolean;
  email?: string;
  emailVerified?: boolean;
  firstName?: string;
  lastName?: string;
  serviceAccountClientId?: string;
  realmRoles: string[];
  clientRoles?: Record<string, string[]>;
  attributes?: Record<string, string[]>;
  credentials?: { type: 'password'; value: string; temporary: boolean }[];
  requiredActions?: string[];
}

export interface KeycloakRealm {
  realm: string;
  displayName: string;
  enabled: boolean;
  sslRequired: 'external' | 'all' | 'none';
  registrationAllowed: boolean;
  registrationEmailAsUsername: boolean;
  loginWithEmailAllowed: boolean;
  duplicateEmailsAllowed: boolean;
  verifyEmail: boolean;
  resetPasswordAllowed: boolean;
  editUsernameAllowed: boolean;
  internationalizationEnabled: boolean;
  supportedLocales: string[];
  defaultLocale: string;
  accessTokenLifespan: number;
  ssoSessionIdleTimeout: number;
  ssoSessionMaxLifespan: number;
  bruteForceProtected: boolean;
  permanentLockout: boolean;
  failureFactor: number;
  waitIncrementSeconds: number;
  maxFailureWaitSeconds: number;
  minimumQuickLoginWaitSeconds: number;
  quickLoginCheckMilliSeconds: number;
  maxDeltaTimeSeconds: number;
  passwordPolicy: string;
  eventsEnabled: boolean;
  eventsExpiration: number;
  adminEventsEnabled: boolean;
  adminEventsDetailsEnabled: boolean;
  roles: { realm: KeycloakRole[]; client: Record<string, KeycloakRole[]> };
  defaultRole: KeycloakRole;
  clientScopes: KeycloakClientScope[];
  defaultDefaultClientScopes: string[];
  defaultOptionalClientScopes: string[];
  scopeMappings: { clientScope: string; roles: string[] }[];
  clientScopeMappings: Record<string, { client: string; roles: string[] }[]>;
  clients: KeycloakClient[];
  users: KeycloakUser[];
  components: Record<
    string,
    { name: string; providerId: string; subComponents: object; config: Record<string, string[]> }[]
  >;
}

// ---------------------------------------------------------------------------- protocol mappers

type TokenClaim = 'access' | 'id' | 'userinfo' | 'introspection';

/** The tokens a mapper writes its claim into; Keycloak reads an absent flag as false. */
function claimFlags(...tokens: TokenClaim[]): Record<string, string> {
  const keys: Record<TokenClaim, string> = {
    access: 'access.token.claim',
    id: 'id.token.claim',
    userinfo: 'userinfo.token.claim',
    introspection: 'introspection.token.claim',
  };
  return Object.fromEntries(tokens.map((token) => [keys[token], 'true']));
}

const EVERY_TOKEN: TokenClaim[] = ['access', 'id', 'userinfo', 'introspection'];

function mapper(
  name: string,
  protocolMapper: string,
  config: Record<string, string>,
): KeycloakProtocolMapper {
  return { name, protocol: OIDC, protocolMapper, consentRequired: false, config };
}

function userAttributeMapper(
  name: string,
  attribute: string,
  claim: string,
  jsonType = 'String',
): KeycloakProtocolMapper {
  return mapper(name, 'oidc-usermodel-attribute-mapper', {
    'user.attribute': attribute,
    'claim.name': claim,
    'jsonType.label': jsonType,
    multivalued: 'false',
    'aggregate.attrs': 'false',
    ...claimFlags(...EVERY_TOKEN),
  });
}

// ---------------------------------------------------------------------------- client scopes

function scope(
  name: string,
  description: string,
  attributes: Record<string, string>,
  protocolMappers?: KeycloakProtocolMapper[],
): KeycloakClientScope {
  return {
    name,
    description,
    protocol: OIDC,
    attributes,
    ...(protocolMappers ? { protocolMappers } : {}),
  };
}

const HIDDEN_SCOPE = { 'include.in.token.scope': 'false', 'display.on.consent.screen': 'false' };

/** Keycloak 26's built-in OIDC scopes, as a fresh realm has them (the ones our clients use). */
function builtInClientScopes(): KeycloakClientScope[] {
  return [
    scope('basic', 'OpenID Connect scope for add all basic claims to the token', HIDDEN_SCOPE, [
      mapper('sub', 'oidc-sub-mapper', claimFlags('access', 'introspection')),
      mapper('auth_time', 'oidc-usersessionmodel-note-mapper', {
        'user.session.note': 'AUTH_TIME',
        'claim.name': 'auth_time',
        'jsonType.label': 'long',
        ...claimFlags(...EVERY_TOKEN),
      }),
    ]),
    scope(
      'profile',
      'OpenID Connect built-in scope: profile',
      {
        'include.in.token.scope': 'true',
        'display.on.consent.screen': 'true',
        'consent.screen.text': '${profileScopeConsentText}',
      },
      [
        userAttributeMapper('username', 'username', 'preferred_username'),
        mapper('full name', 'oidc-full-name-mapper', claimFlags(...EVERY_TOKEN)),
        userAttributeMapper('given name', 'firstName', 'given_name'),
        userAttributeMapper('family name', 'lastName', 'family_name'),
        userAttributeMapper('locale', 'locale', 'locale'),
        userAttributeMapper('updated at', 'updatedAt', 'updated_at', 'long'),
      ],
    ),
    scope(
      'email',
      'OpenID Connect built-in scope: email',
      {
        'include.in.token.scope': 'true',
        'display.on.consent.screen': 'true',
        'consent.screen.text': '${emailScopeConsentText}',
      },
      [
        userAttributeMapper('email', 'email', 'email'),
        mapper('email verified', 'oidc-usermodel-property-mapper', {
          'user.attribute': 'emailVerified',
          'claim.name': 'email_verified',
          'jsonType.label': 'boolean',
          ...claimFlags(...EVERY_TOKEN),
        }),
      ],
    ),
    scope(
      'roles',
      'OpenID Connect scope for add user roles to the access token',
      {
        'include.in.token.scope': 'false',
        'display.on.consent.screen': 'true',
        'consent.screen.text': '${rolesScopeConsentText}',
      },
      [
        mapper('realm roles', 'oidc-usermodel-realm-role-mapper', {
          'claim.name': 'realm_access.roles',
          'jsonType.label': 'String',
          multivalued: 'true',
          ...claimFlags('access', 'introspection'),
        }),
        mapper('client roles', 'oidc-usermodel-client-role-mapper', {
          'claim.name': 'resource_access.${client_id}.roles',
          'jsonType.label': 'String',
          multivalued: 'true',
          ...claimFlags('access', 'introspection'),
        }),
        mapper('audience resolve', 'oidc-audience-resolve-mapper', {
          ...claimFlags('access', 'introspection'),
        }),
      ],
    ),
    scope(
      'web-origins',
      'OpenID Connect scope for add allowed web origins to the access token',
      { ...HIDDEN_SCOPE, 'consent.screen.text': '' },
      [
        mapper(
          'allowed web origins',
          'oidc-allowed-origins-mapper',
          claimFlags('access', 'introspection'),
        ),
      ],
    ),
    scope(
      'acr',
      'OpenID Connect scope for add acr (authentication context class reference) to the token',
      HIDDEN_SCOPE,
      [mapper('acr loa level', 'oidc-acr-mapper', claimFlags(...EVERY_TOKEN))],
    ),
    scope('offline_access', 'OpenID Connect built-in scope: offline_access', {
      'display.on.consent.screen': 'true',
      'consent.screen.text': '${offlineAccessScopeConsentText}',
    }),
    // Keycloak 26 puts `client_id` into service-account tokens through this scope; declared here
    // because the file's scopes replace the built-in ones.
    scope(
      'service_account',
      'Specific scope for a client enabled for service accounts',
      HIDDEN_SCOPE,
      [
        mapper('Client ID', 'oidc-usersessionmodel-note-mapper', {
          'user.session.note': 'client_id',
          'claim.name': 'client_id',
          'jsonType.label': 'String',
          ...claimFlags('access', 'introspection'),
        }),
      ],
    ),
  ];
}

/** The platform's token contract: `aud` ∋ gov-exchange-api, `department`, `region`. */
function platformClientScopes(): KeycloakClientScope[] {
  return [
    scope(
      AUDIENCE_SCOPE,
      `访问令牌的 aud 包含 ${API_AUDIENCE}（平台 API 只接受这样的令牌）`,
      HIDDEN_SCOPE,
      [
        mapper(`audience ${API_AUDIENCE}`, 'oidc-audience-mapper', {
          'included.custom.audience': API_AUDIENCE,
          ...claimFlags('access', 'introspection'),
        }),
      ],
    ),
    scope(
      DEPARTMENT_SCOPE,
      '所属部门编码（department）与部门所在行政区划代码（region）',
      HIDDEN_SCOPE,
      [
        userAttributeMapper('department', 'department', 'department'),
        userAttributeMapper('region', 'region', 'region'),
      ],
    ),
  ];
}

// ---------------------------------------------------------------------------- roles

function realmRoles(): KeycloakRole[] {
  return [
    ...ROLES.map((name) => ({ name, description: ROLE_DESCRIPTIONS[name], composite: false })),
    { name: 'offline_access', description: '${role_offline-access}', composite: false },
    { name: 'uma_authorization', description: '${role_uma_authorization}', composite: false },
    defaultRole(),
  ];
}

/** Every new account (self-registration) gets these: developers register themselves. */
function defaultRole(): KeycloakRole {
  return {
    name: DEFAULT_ROLE_NAME,
    description: '${role_default-roles}',
    composite: true,
    clientRole: false,
    composites: {
      realm: ['developer', 'offline_access', 'uma_authorization'],
      client: { [ACCOUNT_CLIENT_ID]: ACCOUNT_DEFAULT_ROLES },
    },
  };
}

/** The `account` client's roles, as Keycloak creates them in a fresh realm. */
function accountClientRoles(): KeycloakRole[] {
  const role = (name: string, composites?: string[]): KeycloakRole => ({
    name,
    description: `\${role_${name}}`,
    composite: composites !== undefined,
    clientRole: true,
    ...(composites ? { composites: { client: { [ACCOUNT_CLIENT_ID]: composites } } } : {}),
  });
  return [
    role('view-profile'),
    role('manage-account', ['manage-account-links']),
    role('manage-account-links'),
    role('view-applications'),
    role('view-consent'),
    role('manage-consent', ['view-consent']),
    role('view-groups'),
    role('delete-account'),
  ];
}

// ---------------------------------------------------------------------------- clients

const PERSON_SCOPES = ['basic', 'acr', 'web-origins', 'profile', 'roles', 'email'];

function baseClient(clientId: string, name: string, description?: string): KeycloakClient {
  return {
    clientId,
    name,
    ...(description ? { description } : {}),
    enabled: true,
    protocol: OIDC,
    publicClient: false,
    bearerOnly: false,
    standardFlowEnabled: false,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: false,
    redirectUris: [],
    webOrigins: [],
    fullScopeAllowed: true,
    attributes: {},
    defaultClientScopes: [],
    optionalClientScopes: [],
  };
}

function portalClient(): KeycloakClient {
  return {
    ...baseClient(
      PORTAL_CLIENT_ID,
      // what the sign-in page names: the portal people come from, as the embedded provider does
      '杭州市公共数据开放平台',
      '门户网站（Next.js）：授权码 + PKCE 登录的公开客户端',
    ),
    publicClient: true,
    standardFlowEnabled: true,
    frontchannelLogout: true,
    redirectUris: ['http://127.0.0.1:3000/*', 'http://localhost:3000/*'],
    webOrigins: ['+'],
    attributes: {
      'pkce.code.challenge.method': 'S256',
      'post.logout.redirect.uris': '+',
    },
    defaultClientScopes: [...PERSON_SCOPES, AUDIENCE_SCOPE, DEPARTMENT_SCOPE],
    optionalClientScopes: ['offline_access'],
  };
}

/** The resource server: never obtains tokens, exists so that it can be the audience. */
function apiClient(): KeycloakClient {
  return {
    ...baseClient(
      API_AUDIENCE,
      '政务数据共享交换平台 API',
      '平台 API（资源服务器）：只作为访问令牌的 aud，不申请令牌',
    ),
    bearerOnly: true,
  };
}

function systemClient(system: (typeof DEMO_SYSTEMS)[number]): KeycloakClient {
  return {
    ...baseClient(system.clientId, system.name, system.description),
    serviceAccountsEnabled: true,
    clientAuthenticatorType: 'client-secret',
    secret: `${SECRET_PLACEHOLDER_PREFIX}${system.clientId}`,
    defaultClientScopes: [
      'basic',
      'profile',
      'roles',
      'service_account',
      AUDIENCE_SCOPE,
      DEPARTMENT_SCOPE,
    ],
  };
}

/** Keycloak's own account clients, with the scopes a fresh realm gives them. */
function accountClients(): KeycloakClient[] {
  const account = (clientId: string, name: string): KeycloakClient => ({
    ...baseClient(clientId, name),
    rootUrl: '${authBaseUrl}',
    baseUrl: ACCOUNT_BASE_URL,
    publicClient: true,
    standardFlowEnabled: true,
    redirectUris: [`${ACCOUNT_BASE_URL}*`],
    fullScopeAllowed: false,
    attributes: { 'post.logout.redirect.uris': '+' },
    defaultClientScopes: PERSON_SCOPES,
    optionalClientScopes: ['offline_access'],
  });
  const accountConsole = account(
    ACCOUNT_CONSOLE_CLIENT_ID,
    `\${client_${ACCOUNT_CONSOLE_CLIENT_ID}}`,
  );
  return [
    account(ACCOUNT_CLIENT_ID, `\${client_${ACCOUNT_CLIENT_ID}}`),
    {
      ...accountConsole,
      attributes: { ...accountConsole.attributes, 'pkce.code.challenge.method': 'S256' },
      protocolMappers: [mapper('audience resolve', 'oidc-audience-resolve-mapper', {})],
    },
  ];
}

// ---------------------------------------------------------------------------- users

const departments = new Map(DEMO_DEPARTMENTS.map((d) => [d.code, d]));

function department(code: string): DemoDepartment {
  const found = departments.get(code);
  if (!found) throw new Error(`unknown department ${code} in the demo organisation`);
  return found;
}

function departmentAttributes(code: string): Record<string, string[]> {
  return { department: [code], region: [department(code).regionCode] };
}

function personUsers(): KeycloakUser[] {
  // Disabled and without a password: the demo password is published in this repository, so a
  // production import must not make these accounts usable. An administrator enables the ones
  // wanted and sets their passwords (deploy/keycloak/README.md).
  return DEMO_USERS.map((user) => ({
    username: user.username,
    enabled: false,
    email: user.email,
    emailVerified: true,
    // Chinese names are written whole (陈晓东), so the full name is the first name.
    firstName: user.displayName,
    lastName: '',
    realmRoles: [...user.roles],
    // Not the default role: that would make every staff member a developer too.
    clientRoles: { [ACCOUNT_CLIENT_ID]: ACCOUNT_DEFAULT_ROLES },
    ...(user.kind === 'staff' && user.departmentCode
      ? { attributes: departmentAttributes(user.departmentCode) }
      : {}),
    requiredActions: ['UPDATE_PASSWORD'],
  }));
}

function serviceAccountUsers(): KeycloakUser[] {
  return DEMO_SYSTEMS.map((system) => ({
    username: `service-account-${system.clientId}`,
    enabled: true,
    serviceAccountClientId: system.clientId,
    realmRoles: ['system'],
    attributes: departmentAttributes(system.departmentCode),
  }));
}

// ---------------------------------------------------------------------------- user profile

/**
 * Keycloak's default user profile, with lastName optional (Chinese names are kept whole in
 * firstName) and the two attributes the platform reads, which only administrators may change:
 * a user who could edit `department` could act for another department.
 */
function userProfile(): object {
  const everyone = { view: ['admin', 'user'], edit: ['admin', 'user'] };
  const adminEdits = { view: ['admin', 'user'], edit: ['admin'] };
  return {
    attributes: [
      {
        name: 'username',
        displayName: '${username}',
        permissions: everyone,
        validations: {
          length: { min: 3, max: 255 },
          'username-prohibited-characters': {},
          'up-username-not-idn-homograph': {},
        },
        multivalued: false,
      },
      {
        name: 'email',
        displayName: '${email}',
        required: { roles: ['user'] },
        permissions: everyone,
        validations: { email: {}, length: { max: 255 } },
        multivalued: false,
      },
      {
        name: 'firstName',
        displayName: '${firstName}',
        required: { roles: ['user'] },
        permissions: everyone,
        validations: { length: { max: 255 }, 'person-name-prohibited-characters': {} },
        multivalued: false,
      },
      {
        name: 'lastName',
        displayName: '${lastName}',
        permissions: everyone,
        validations: { length: { max: 255 }, 'person-name-prohibited-characters': {} },
        multivalued: false,
      },
      {
        name: 'department',
        displayName: '所属部门编码 (department)',
        permissions: adminEdits,
        validations: {
          pattern: {
            pattern: '^[a-z0-9][a-z0-9-]*$',
            'error-message': '部门编码只含小写字母、数字和连字符',
          },
          length: { max: 64 },
        },
        multivalued: false,
      },
      {
        name: 'region',
        displayName: '行政区划代码 (region)',
        permissions: adminEdits,
        validations: {
          pattern: { pattern: '^[0-9]{12}$', 'error-message': '行政区划代码是 12 位数字' },
        },
        multivalued: false,
      },
    ],
    groups: [
      {
        name: 'user-metadata',
        displayHeader: 'User metadata',
        displayDescription: 'Attributes, which refer to user metadata',
      },
    ],
  };
}

// ---------------------------------------------------------------------------- the realm

export function buildRealm(): KeycloakRealm {
  return {
    realm: REALM_NAME,
    displayName: '杭州市公共数据开放平台',
    enabled: true,
    sslRequired: 'external',
    registrationAllowed: true,
    registrationEmailAsUsername: false,
    loginWithEmailAllowed: true,
    duplicateEmailsAllowed: false,
    verifyEmail: false,
    resetPasswordAllowed: false,
    editUsernameAllowed: false,
    internationalizationEnabled: true,
    supportedLocales: ['zh-CN', 'en'],
    defaultLocale: 'zh-CN',
    accessTokenLifespan: 300,
    ssoSessionIdleTimeout: 1800,
    ssoSessionMaxLifespan: 36000,
    bruteForceProtected: true,
    permanentLockout: false,
    failureFactor: 5,
    waitIncrementSeconds: 60,
    maxFailureWaitSeconds: 900,
    minimumQuickLoginWaitSeconds: 60,
    quickLoginCheckMilliSeconds: 1000,
    maxDeltaTimeSeconds: 43200,
    passwordPolicy:
      'length(8) and upperCase(1) and lowerCase(1) and digits(1) and specialChars(1) and notUsername and passwordHistory(3)',
    eventsEnabled: true,
    eventsExpiration: 90 * 24 * 3600,
    adminEventsEnabled: true,
    adminEventsDetailsEnabled: false,
    roles: { realm: realmRoles(), client: { [ACCOUNT_CLIENT_ID]: accountClientRoles() } },
    defaultRole: defaultRole(),
    clientScopes: [...builtInClientScopes(), ...platformClientScopes()],
    defaultDefaultClientScopes: [...PERSON_SCOPES, AUDIENCE_SCOPE, DEPARTMENT_SCOPE],
    defaultOptionalClientScopes: ['offline_access'],
    scopeMappings: [{ clientScope: 'offline_access', roles: ['offline_access'] }],
    clientScopeMappings: {
      [ACCOUNT_CLIENT_ID]: [
        { client: ACCOUNT_CONSOLE_CLIENT_ID, roles: ['manage-account', 'view-groups'] },
      ],
    },
    clients: [portalClient(), apiClient(), ...DEMO_SYSTEMS.map(systemClient), ...accountClients()],
    users: [...personUsers(), ...serviceAccountUsers()],
    components: {
      'org.keycloak.userprofile.UserProfileProvider': [
        {
          name: 'Declarative User Profile',
          providerId: 'declarative-user-profile',
          subComponents: {},
          config: { 'kc.user.profile.config': [JSON.stringify(userProfile())] },
        },
      ],
    },
  };
}

/** The file's exact text: JSON formatted by the repository's prettier settings. */
export async function renderRealm(): Promise<string> {
  const options = await prettier.resolveConfig(REALM_FILE);
  return prettier.format(JSON.stringify(buildRealm(), null, 2), {
    ...options,
    filepath: REALM_FILE,
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(REALM_FILE, await renderRealm());
  process.stdout.write(`wrote ${REALM_FILE}\n`);
}
