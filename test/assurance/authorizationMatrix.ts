import { isAllowed, type Action, type Actor } from '@gx/platform';
import { operationKey, type SpecOperation } from './specOperations.ts';

/**
 * The authorization matrix: for every operation with security, who may call it, by role and by
 * the caller's relation to the target (own department, another department, none). Derived
 * from docs/authorization.md: a row names the rule of platform/src/identity/authorize.ts the
 * operation is guarded by and whose department owns its target, and the cells follow from
 * that rule; rows whose guard is not one action (visibility, parties of a request) list the
 * allowed callers themselves. authorization-matrix.test.ts checks every cell against the
 * running services; docs/authorization-matrix.md is this table rendered (`npm run docs:authz`).
 */

export const COLUMNS = [
  'anonymous',
  'developer',
  'api-key',
  'admin',
  'auditor',
  'steward·own',
  'steward·other',
  'approver·own',
  'approver·other',
  'system·own',
  'system·other',
] as const;
export type Column = (typeof COLUMNS)[number];

/**
 * allow: anything but 401/403 (the call may still fail on its merits: 400, 404, 409);
 * 401: identity required; 403: denied write; 404: denied read, the target is hidden;
 * n/a: no such caller (the data authority has no steward or system).
 */
export type Outcome = 'allow' | 401 | 403 | 404 | 'n/a';

/** The demo departments the fixture's targets belong to. */
export type Department = 'hz-gaj' | 'hz-rsj' | 'hz-dsj';
/** Where "another department" comes from: a department with no part in the fixture. */
export const OTHER_DEPARTMENT = 'hz-scjg';
export const DATA_AUTHORITY: Department = 'hz-dsj';

export interface Declaration {
  /** `METHOD /path` of every operation the row covers */
  operations: string[];
  /**
   * whose target it is: the fixture's provider (hz-gaj: resource, sharing request, grant
   * decisions), consumer (hz-rsj: the grant's use, its connector, its objection), the data
   * authority (hz-dsj: reviews), or `actor` when the target is the caller's own department
   */
  owner: Department | 'actor';
  /** the rule of authorize.ts that decides, evaluated for each column's caller */
  action?: Action;
  /** callers allowed besides (or instead of) the action's */
  allow?: Column[];
  /** how a denied caller is answered (default: 404 for GET, 403 otherwise) */
  denied?: 401 | 403 | 404;
  /**
   * denied callers the target is hidden from, anonymous ones included: they get 404, as if it
   * did not exist (the lookup only finds what the caller may see)
   */
  hidden?: Column[];
  /** what decides, in words, for the rendered table */
  rule: string;
}

const STAFF: Column[] = [
  'admin',
  'auditor',
  'steward·own',
  'steward·other',
  'approver·own',
  'approver·other',
];
const SYSTEMS: Column[] = ['system·own', 'system·other'];
const PEOPLE_AND_SYSTEMS: Column[] = [...STAFF, ...SYSTEMS, 'developer'];
const SIGNED_IN: Column[] = [...PEOPLE_AND_SYSTEMS, 'api-key'];
const EVERYONE: Column[] = ['anonymous', ...SIGNED_IN];

/** callers outside government: they see only what is open */
const OUTSIDERS: Column[] = ['anonymous', 'developer', 'api-key'];
/** callers of a department with no part in the target */
const OTHERS: Column[] = ['steward·other', 'approver·other', 'system·other'];

/** Rows, one per guard. Operations without security (public) need none. */
export const DECLARATIONS: Declaration[] = [
  // who am I
  { operations: ['GET /v1/me'], owner: 'actor', allow: SIGNED_IN, rule: 'any credential' },
  // organisation
  {
    operations: ['GET /v1/systems'],
    owner: 'actor',
    allow: ['admin', 'steward·own', 'steward·other', 'approver·own', 'approver·other'],
    hidden: ['api-key'],
    rule: 'department.systems.read (own department), organisation.administer (all)',
  },
  {
    operations: [
      'POST /v1/systems',
      'POST /v1/systems/{clientId}/secret',
      'POST /v1/systems/{clientId}/disable',
    ],
    owner: 'hz-rsj',
    action: 'organisation.administer',
    rule: 'organisation.administer',
  },
  {
    operations: ['PATCH /v1/departments/{code}', 'POST /v1/departments/{code}/functions'],
    owner: 'hz-gaj',
    action: 'department.update',
    rule: 'department.update (its details and statutory functions)',
  },
  // developer API keys
  {
    operations: [
      'GET /v1/api-keys',
      'POST /v1/api-keys',
      'DELETE /v1/api-keys/{id}',
      'POST /v1/api-keys/{id}/rotate',
      'GET /v1/api-keys/{id}/usage',
    ],
    owner: 'actor',
    action: 'apikey.manage',
    denied: 403,
    rule: 'apikey.manage (one’s own keys)',
  },
  // directory
  {
    operations: [
      'GET /v1/resources/{code}',
      'GET /v1/resources/{code}/history',
      'GET /v1/resources/{code}/schema',
      'GET /v1/resources/{code}/schema-versions',
      'GET /v1/resources/{code}/schema-versions/{version}',
      'GET /dcat/datasets/{code}',
    ],
    owner: 'hz-gaj',
    allow: [...STAFF, ...SYSTEMS],
    hidden: OUTSIDERS,
    rule: 'visibility: a published 有条件共享 entry, not open — staff and systems',
  },
  {
    operations: ['POST /v1/resources', 'POST /v1/excel/import', 'POST /v1/excel/imports'],
    owner: 'actor',
    action: 'resource.manage',
    rule: 'resource.manage (entries of one’s own department)',
  },
  {
    operations: [
      'PUT /v1/resources/{code}',
      'DELETE /v1/resources/{code}',
      'POST /v1/resources/{code}/submit',
    ],
    owner: 'hz-gaj',
    action: 'resource.manage',
    hidden: [...OUTSIDERS, 'auditor', ...OTHERS],
    rule: 'resource.manage; a draft is seen only by its own department (and the admin)',
  },
  {
    operations: ['POST /v1/resources/{code}/revise'],
    owner: 'hz-gaj',
    action: 'resource.manage',
    hidden: OUTSIDERS,
    rule: 'resource.manage (a published entry)',
  },
  {
    operations: [
      'POST /v1/resources/{code}/approve',
      'POST /v1/resources/{code}/reject',
      'POST /v1/resources/{code}/retire',
      'POST /v1/resources/{code}/publish',
    ],
    owner: 'hz-dsj',
    action: 'resource.review',
    hidden: OUTSIDERS,
    rule: 'resource.review (the data authority’s approver)',
  },
  {
    operations: ['GET /v1/excel/imports/{id}'],
    owner: 'actor',
    action: 'resource.manage',
    rule: 'resource.manage (the import’s department)',
  },
  // harvest
  {
    operations: [
      'GET /v1/harvest-sources',
      'POST /v1/harvest-sources',
      'GET /v1/harvest-sources/{id}',
      'PATCH /v1/harvest-sources/{id}',
      'DELETE /v1/harvest-sources/{id}',
      'POST /v1/harvest-sources/{id}/run',
      'GET /v1/harvest-sources/{id}/jobs',
      'GET /v1/harvest-jobs/{id}',
    ],
    owner: 'actor',
    action: 'harvest.manage',
    denied: 403,
    rule: 'harvest.manage',
  },
  // public participation
  {
    operations: ['POST /v1/data-requests'],
    owner: 'actor',
    action: 'datarequest.create',
    rule: 'datarequest.create',
  },
  {
    operations: ['POST /v1/data-requests/{id}/answer'],
    owner: 'hz-gaj',
    action: 'datarequest.answer',
    rule: 'datarequest.answer (the wanted department)',
  },
  {
    operations: [
      'PUT /v1/resources/{code}/reviews/mine',
      'DELETE /v1/resources/{code}/reviews/mine',
    ],
    owner: 'actor',
    action: 'review.write',
    rule: 'review.write',
  },
  // reports
  {
    operations: [
      'GET /v1/reports/departments',
      'GET /v1/reports/overdue',
      'GET /v1/reports/gaps',
      'GET /v1/reports/exchange',
    ],
    owner: 'actor',
    allow: STAFF,
    denied: 403,
    rule: 'department staff (the city for overseers, one’s own department for others)',
  },
  // sharing
  {
    operations: ['GET /v1/sharing-requests', 'GET /v1/grants'],
    owner: 'actor',
    allow: [...STAFF, ...SYSTEMS],
    denied: 403,
    rule: 'staff and systems (each sees its own department’s)',
  },
  {
    operations: ['POST /v1/sharing-requests'],
    owner: 'actor',
    action: 'request.create',
    rule: 'request.create (for one’s own department)',
  },
  {
    operations: ['GET /v1/sharing-requests/{id}', 'GET /v1/grants/{id}'],
    owner: 'hz-gaj',
    allow: ['admin', 'auditor', 'steward·own', 'approver·own', 'system·own'],
    hidden: ['api-key'],
    rule: 'the parties (provider hz-gaj, consumer hz-rsj), admin, auditor',
  },
  {
    operations: [
      'POST /v1/sharing-requests/{id}/approve',
      'POST /v1/sharing-requests/{id}/reject',
      'POST /v1/grants/{id}/{change}',
    ],
    owner: 'hz-gaj',
    action: 'request.decide',
    hidden: ['developer', 'api-key', 'auditor', ...OTHERS],
    rule: 'request.decide (the provider’s approver); hidden from non-parties',
  },
  {
    operations: ['POST /v1/sharing-requests/{id}/withdraw'],
    owner: 'hz-rsj',
    action: 'request.create',
    hidden: ['developer', 'api-key', 'auditor', ...OTHERS],
    rule: 'request.create (the asking department); hidden from non-parties',
  },
  // the exchange
  {
    operations: ['POST /v1/resources/{code}/records', 'DELETE /v1/resources/{code}/records/{key}'],
    owner: 'hz-gaj',
    action: 'exchange.call',
    allow: ['steward·own'],
    hidden: ['developer', 'api-key', 'admin', 'auditor', 'approver·own', ...OTHERS],
    rule: 'exchange.call or resource.manage of the provider; others do not find the resource',
  },
  {
    operations: [
      'GET /v1/grants/{id}/records',
      'GET /v1/grants/{id}/records/{key}',
      'POST /v1/grants/{id}/verify',
      'GET /v1/grants/{id}/export',
      'GET /v1/grants/{id}/subscription',
    ],
    owner: 'hz-rsj',
    action: 'exchange.call',
    allow: ['steward·own'],
    denied: 403,
    hidden: ['developer', 'api-key', 'admin', 'auditor', ...OTHERS],
    rule: 'exchange.call or request.create of the consumer (its grants only)',
  },
  {
    operations: ['GET /v1/resources/{code}/open-policy'],
    owner: 'hz-gaj',
    action: 'resource.manage',
    hidden: ['api-key'],
    rule: 'resource.manage',
  },
  {
    operations: ['PUT /v1/resources/{code}/open-policy', 'DELETE /v1/resources/{code}/open-policy'],
    owner: 'hz-gaj',
    action: 'resource.manage',
    rule: 'resource.manage',
  },
  {
    operations: ['POST /v1/policies/preview'],
    owner: 'hz-gaj',
    allow: ['admin', 'steward·own', 'approver·own'],
    hidden: [...OUTSIDERS, 'auditor', 'system·own', ...OTHERS],
    rule: 'the provider’s steward or approver, the admin',
  },
  // evidence
  {
    operations: [
      'GET /v1/evidence',
      'GET /v1/evidence/verify',
      'GET /v1/evidence/verification',
      'GET /v1/evidence/archives',
      'GET /v1/evidence/checkpoint',
    ],
    owner: 'actor',
    action: 'evidence.read',
    denied: 403,
    rule: 'evidence.read',
  },
  {
    operations: ['GET /v1/evidence/department'],
    owner: 'actor',
    action: 'evidence.department',
    denied: 403,
    rule: 'evidence.department: the department’s own stewards and approvers; auditors, the admin',
  },
  {
    operations: ['GET /v1/evidence/receipts/{entryId}'],
    owner: 'hz-rsj',
    allow: ['admin', 'auditor', 'steward·own', 'approver·own', 'system·own'],
    rule: 'auditor, admin, staff and systems of the department that acted',
  },
  // objections
  {
    operations: ['GET /v1/objections'],
    owner: 'actor',
    allow: SIGNED_IN,
    rule: 'any credential (each sees its own, overseers all)',
  },
  {
    operations: ['POST /v1/objections'],
    owner: 'hz-rsj',
    action: 'objection.raise',
    rule: 'objection.raise (a grant holder; developers and keys on open resources)',
  },
  {
    operations: ['GET /v1/objections/{id}'],
    owner: 'hz-rsj',
    allow: ['admin', 'auditor', 'steward·own', 'approver·own', 'system·own'],
    rule: 'the raising department, the provider, overseers',
  },
  {
    operations: [
      'POST /v1/objections/{id}/answer',
      'POST /v1/objections/{id}/correct',
      'POST /v1/objections/{id}/record',
    ],
    owner: 'hz-gaj',
    action: 'objection.answer',
    hidden: ['developer', 'api-key', ...OTHERS],
    rule: 'objection.answer (the provider’s steward); hidden from non-parties',
  },
  {
    // the record's present values are for correcting it: parties who only see the objection
    // (the raiser, overseers) are refused, not told it does not exist
    operations: ['GET /v1/objections/{id}/record'],
    owner: 'hz-gaj',
    action: 'objection.answer',
    denied: 403,
    hidden: ['developer', 'api-key', ...OTHERS],
    rule: 'objection.answer (the provider’s steward); refused to the other parties, hidden from non-parties',
  },
  {
    operations: [
      'POST /v1/objections/{id}/withdraw',
      'POST /v1/objections/{id}/close',
      'POST /v1/objections/{id}/reopen',
    ],
    owner: 'hz-rsj',
    action: 'objection.raise',
    hidden: OTHERS,
    rule: 'objection.raise (the raising department); hidden from non-parties',
  },
  // open data
  {
    operations: ['GET /v1/open/departments'],
    owner: 'actor',
    allow: ['api-key'],
    denied: 401,
    rule: 'a developer API key (a token instead: 401)',
  },
  {
    operations: [
      'GET /v1/open/resources/{code}/records',
      'GET /v1/open/resources/{code}/records/{key}',
    ],
    owner: 'actor',
    allow: ['api-key'],
    denied: 403,
    rule: 'a developer API key (a token instead: 403)',
  },
  {
    operations: ['GET /v1/open/resources/{code}/preview', 'GET /v1/open/resources/{code}/download'],
    owner: 'actor',
    allow: EVERYONE,
    rule: 'public (open resources only)',
  },
  {
    operations: [
      'GET /v1/open-applications',
      'POST /v1/open-applications',
      'POST /v1/open-applications/{id}/cancel',
      'POST /v1/open-applications/{id}/key',
    ],
    owner: 'actor',
    action: 'openapp.apply',
    denied: 403,
    rule: 'openapp.apply (one’s own applications)',
  },
  {
    operations: ['GET /v1/open-applications/{id}'],
    owner: 'hz-gaj',
    allow: ['developer', 'steward·own', 'approver·own'],
    hidden: ['api-key'],
    rule: 'the applicant; the provider’s steward or approver',
  },
  {
    operations: [
      'POST /v1/open-applications/{id}/approve',
      'POST /v1/open-applications/{id}/reject',
    ],
    owner: 'hz-gaj',
    action: 'openapp.decide',
    hidden: ['api-key', 'admin', 'auditor', 'system·own', ...OTHERS],
    rule: 'openapp.decide; hidden from all but the applicant and the provider',
  },
  // public, but what the answer holds depends on who asks (directory visibility)
  {
    operations: [
      'GET /v1/resources',
      'GET /v1/search',
      'GET /v1/excel/template',
      'GET /v1/excel/export',
      'GET /v1/data-requests',
      'GET /v1/data-requests/{id}',
      'GET /dcat/catalog',
      'GET /dcat/catalog.ttl',
      'GET /dcat/catalog.jsonld',
      'GET /data.json',
      'GET /api/3/action/{action}',
      'POST /api/3/action/{action}',
      'GET /api/action/{action}',
      'POST /api/action/{action}',
      'GET /v1/resources/{code}/reviews',
    ],
    owner: 'actor',
    allow: EVERYONE,
    rule: 'public; the answer holds what the caller may see',
  },
  // connectors
  {
    operations: [
      'GET /v1/connectors',
      'GET /v1/connector-plugins',
      'PUT /v1/connector-plugins/{type}/config/validate',
    ],
    owner: 'actor',
    allow: PEOPLE_AND_SYSTEMS,
    denied: 403,
    rule: 'people and systems (each sees its own department’s connectors)',
  },
  {
    operations: ['POST /v1/connectors'],
    owner: 'hz-rsj',
    action: 'connector.manage',
    rule: 'connector.manage (the department in the config)',
  },
  {
    operations: [
      'GET /v1/connectors/{name}',
      'DELETE /v1/connectors/{name}',
      'GET /v1/connectors/{name}/config',
      'PUT /v1/connectors/{name}/config',
      'GET /v1/connectors/{name}/status',
      'PUT /v1/connectors/{name}/pause',
      'PUT /v1/connectors/{name}/resume',
      'PUT /v1/connectors/{name}/stop',
      'POST /v1/connectors/{name}/restart',
      'POST /v1/connectors/{name}/initial-load',
      'GET /v1/connectors/{name}/offsets',
      'PATCH /v1/connectors/{name}/offsets',
      'DELETE /v1/connectors/{name}/offsets',
      'GET /v1/connectors/{name}/dead-letters',
    ],
    owner: 'hz-rsj',
    action: 'connector.manage',
    rule: 'connector.manage (the connector’s department)',
  },
];

/** The department each column's caller belongs to, for a row owned by `owner`. */
export function departmentOf(column: Column, owner: Department | 'actor'): string | undefined {
  const own = owner === 'actor' ? 'hz-gaj' : owner;
  if (column === 'admin' || column === 'auditor') return DATA_AUTHORITY;
  if (column.endsWith('·own')) return own;
  // hz-scjg owns none of the fixture's targets, so it is "another department" for every row
  if (column.endsWith('·other')) return OTHER_DEPARTMENT;
  return undefined;
}

/** The caller a column stands for, as authorize.ts sees it. */
export function actorOf(column: Column, owner: Department | 'actor'): Actor | undefined {
  const departmentCode = departmentOf(column, owner);
  const user = (role: 'platform-admin' | 'auditor' | 'steward' | 'approver'): Actor => ({
    kind: 'user',
    subject: column,
    username: column,
    departmentCode,
    roles: [role],
  });
  switch (column) {
    case 'anonymous':
      return { kind: 'anonymous' };
    case 'developer':
      return {
        kind: 'developer',
        subject: 'developer',
        username: 'developer',
        roles: ['developer'],
      };
    case 'api-key':
      return {
        kind: 'api-key',
        keyId: 'k',
        apiKeyId: 'k',
        ownerId: 'developer',
        actions: [],
        resources: [],
      };
    case 'admin':
      return user('platform-admin');
    case 'auditor':
      return user('auditor');
    case 'steward·own':
    case 'steward·other':
      return departmentCode === DATA_AUTHORITY ? undefined : user('steward');
    case 'approver·own':
    case 'approver·other':
      return user('approver');
    case 'system·own':
    case 'system·other':
      return departmentCode === DATA_AUTHORITY
        ? undefined
        : { kind: 'system', subject: column, username: column, departmentCode, roles: ['system'] };
  }
}

export interface MatrixRow {
  service: string;
  operation: string;
  rule: string;
  owner: Department | 'actor';
  cells: Record<Column, Outcome>;
}

/** The cells of one declared operation. */
export function rowOf(
  service: string,
  operation: string,
  d: Declaration,
  acceptsApiKey = true,
): MatrixRow {
  const read = operation.startsWith('GET ');
  const cells = {} as Record<Column, Outcome>;
  for (const column of COLUMNS) {
    const actor = actorOf(column, d.owner);
    if (!actor) {
      cells[column] = 'n/a';
      continue;
    }
    const target =
      d.owner === 'actor'
        ? { departmentCode: departmentOf(column, d.owner), dataAuthorityCode: DATA_AUTHORITY }
        : { departmentCode: d.owner, dataAuthorityCode: DATA_AUTHORITY };
    const allowed =
      (d.allow?.includes(column) ?? false) ||
      (d.action ? isAllowed(actor, d.action, target) : false);
    cells[column] = allowed
      ? 'allow'
      : d.hidden?.includes(column)
        ? 404
        : column === 'api-key' && !acceptsApiKey
          ? 403 // a credential the operation does not take: refused before any lookup
          : column === 'anonymous'
            ? 401
            : (d.denied ?? (read ? 404 : 403));
  }
  return { service, operation, rule: d.rule, owner: d.owner, cells };
}

/**
 * The whole matrix for the operations of the specs: operations without security are public
 * (every cell allowed); an operation with security and no row is reported in `missing`.
 */
export function buildMatrix(operations: SpecOperation[]): { rows: MatrixRow[]; missing: string[] } {
  const declared = new Map<string, Declaration>();
  for (const d of DECLARATIONS) for (const op of d.operations) declared.set(op, d);
  const rows: MatrixRow[] = [];
  const missing: string[] = [];
  for (const op of operations) {
    const key = operationKey(op);
    const d = declared.get(key);
    if (d) rows.push(rowOf(op.service, key, d, op.security.includes('apiKey')));
    else if (op.security.every((s) => s === 'none'))
      rows.push({
        service: op.service,
        operation: key,
        rule: 'public',
        owner: 'actor',
        cells: Object.fromEntries(COLUMNS.map((c) => [c, 'allow'])) as Record<Column, Outcome>,
      });
    else missing.push(key);
  }
  return { rows, missing };
}

const SYMBOL: Record<string, string> = {
  allow: '✓',
  401: '401',
  403: '403',
  404: '404',
  'n/a': '—',
};

/** The matrix as the markdown table of docs/authorization-matrix.md. */
export function renderMatrix(rows: MatrixRow[]): string {
  const lines = [
    '# Authorization matrix',
    '',
    '<!-- generated by `npm run docs:authz` from test/assurance/authorizationMatrix.ts; do not edit -->',
    '',
    'Every operation of the catalog, exchange and connectors contracts, by caller and by the',
    'caller’s relation to the target. `test/assurance/authorization-matrix.test.ts` checks every',
    'cell against the running services, with real tokens and an API key, on targets of the',
    'caller’s own department and of another one; it fails when an operation of the specs has',
    'security and no row here.',
    '',
    '- **✓** allowed: the answer is never 401 or 403 (it may still be 400, 404 or 409 on its merits)',
    '- **401** an identity is needed (or the operation takes another kind of credential)',
    '- **403** denied write, or a credential of a kind the operation does not take (an API key',
    '  on a bearer-only operation)',
    '- **404** denied, and the target is hidden from the caller: the lookup finds only what the',
    '  caller may see and answers as if the target did not exist (docs/authorization.md) — for',
    '  reads, and for writes on targets the caller may not see (a draft of another department,',
    '  a sharing request it is no party to)',
    '- **—** no such caller (the data authority hz-dsj has no steward and no system)',
    '',
    'Callers: `admin` (platform-admin) and `auditor` of hz-dsj; `steward`, `approver` and',
    '`system` of the target’s own department (·own) or of another department (·other, hz-scjg);',
    '`developer` (a person with the developer role only); `api-key` (a developer’s key);',
    '`anonymous` (no credentials). Own department of the fixture’s targets: **hz-gaj** provides',
    'the resource and decides the sharing request and grant; **hz-rsj** holds the grant, its',
    'connector and the objection; **hz-dsj** is the data authority reviewing entries; *caller*',
    'means the caller acts for its own department (lists, creations).',
    '',
  ];
  const byService = new Map<string, MatrixRow[]>();
  for (const row of rows) {
    const service = row.service;
    byService.set(service, [...(byService.get(service) ?? []), row]);
  }
  for (const [service, serviceRows] of byService) {
    lines.push(`## ${service}`, '');
    lines.push(`| operation | owner | ${COLUMNS.join(' | ')} | rule |`);
    lines.push(`| --- | --- | ${COLUMNS.map(() => ':-:').join(' | ')} | --- |`);
    for (const row of serviceRows)
      lines.push(
        `| \`${row.operation}\` | ${row.owner === 'actor' ? '*caller*' : row.owner} | ${COLUMNS.map((c) => SYMBOL[String(row.cells[c])]).join(' | ')} | ${row.rule} |`,
      );
    lines.push('');
  }
  return lines.join('\n');
}
