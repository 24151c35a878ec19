import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NotAllowedError, NotFoundError, UnauthenticatedError } from '../errors/errors.ts';
import { ANONYMOUS, type Actor } from './Actor.ts';
import { authorize, isAllowed, type Action, type AuthorizationTarget } from './authorize.ts';

const ACTORS = {
  anonymous: ANONYMOUS,
  'admin@hz-dsj': {
    kind: 'user',
    subject: 'sub-admin',
    username: 'admin',
    departmentCode: 'hz-dsj',
    regionCode: '330100000000',
    roles: ['platform-admin'],
  },
  'steward@hz-gaj': {
    kind: 'user',
    subject: 'sub-steward',
    username: 'hz-gaj.steward',
    departmentCode: 'hz-gaj',
    regionCode: '330100000000',
    roles: ['steward'],
  },
  'approver@hz-gaj': {
    kind: 'user',
    subject: 'sub-approver',
    username: 'hz-gaj.approver',
    departmentCode: 'hz-gaj',
    regionCode: '330100000000',
    roles: ['approver'],
  },
  'approver@hz-dsj': {
    kind: 'user',
    subject: 'sub-authority-approver',
    username: 'hz-dsj.approver',
    departmentCode: 'hz-dsj',
    regionCode: '330100000000',
    roles: ['approver'],
  },
  'auditor@hz-dsj': {
    kind: 'user',
    subject: 'sub-auditor',
    username: 'auditor',
    departmentCode: 'hz-dsj',
    regionCode: '330100000000',
    roles: ['auditor'],
  },
  'system@hz-gaj': {
    kind: 'system',
    subject: 'hz-gaj-system',
    username: 'hz-gaj-system',
    departmentCode: 'hz-gaj',
    regionCode: '330100000000',
    roles: ['system'],
    clientId: 'hz-gaj-system',
  },
  developer: { kind: 'developer', subject: 'sub-dev', username: 'developer', roles: ['developer'] },
  'api-key': {
    kind: 'api-key',
    keyId: 'k3y1d',
    apiKeyId: '0b7e2c1a-0000-4000-8000-000000000001',
    ownerId: 'sub-dev',
    actions: ['records.read'],
    resources: ['*'],
  },
  'no-roles@hz-gaj': {
    kind: 'user',
    subject: 'sub-nobody',
    username: 'hz-gaj.nobody',
    departmentCode: 'hz-gaj',
    regionCode: '330100000000',
    roles: [],
  },
} satisfies Record<string, Actor>;
type ActorName = keyof typeof ACTORS;

/**
 * Target relations, by the department that owns the thing acted on. hz-gaj is the own
 * department of the steward, approver, system and no-roles user; hz-dsj that of the admin and
 * the auditor; hz-mzj nobody's here.
 */
const TARGETS = {
  'hz-gaj': { departmentCode: 'hz-gaj', dataAuthorityCode: 'hz-dsj' },
  'hz-mzj': { departmentCode: 'hz-mzj', dataAuthorityCode: 'hz-dsj' },
  'hz-dsj': { departmentCode: 'hz-dsj', dataAuthorityCode: 'hz-dsj' },
  none: {},
} satisfies Record<string, AuthorizationTarget>;
type Relation = keyof typeof TARGETS;

type Cell = 'allow' | 'deny';
/** one cell per target, in the order of TARGETS: hz-gaj, hz-mzj, hz-dsj, none */
type Row = readonly [gaj: Cell, mzj: Cell, dsj: Cell, none: Cell];

const ALL: Row = ['allow', 'allow', 'allow', 'allow'];
const NONE: Row = ['deny', 'deny', 'deny', 'deny'];
const ONLY_HZ_GAJ: Row = ['allow', 'deny', 'deny', 'deny'];

/**
 * The expected decision for every action × actor × target, written out rather than derived.
 * `Record<Action, …>` makes the type check fail when an Action is added without a row.
 */
const MATRIX: Record<Action, Record<ActorName, Row>> = {
  // a platform admin administers regions, departments and systems, wherever they are
  'organisation.administer': {
    anonymous: NONE,
    'admin@hz-dsj': ALL,
    'steward@hz-gaj': NONE,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': NONE,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // a department's own details: the admin, or that department's steward
  'department.update': {
    anonymous: NONE,
    'admin@hz-dsj': ALL,
    'steward@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': NONE,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // a department's systems are visible to the admin and to that department's steward/approver
  'department.systems.read': {
    anonymous: NONE,
    'admin@hz-dsj': ALL,
    'steward@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-dsj': ['deny', 'deny', 'allow', 'deny'],
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': NONE,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // a steward manages only their own department's resources (not even the admin does)
  'resource.manage': {
    anonymous: NONE,
    'admin@hz-dsj': NONE,
    'steward@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': NONE,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // directory entries are reviewed by approvers of the data authority (数据主管部门) only
  'resource.review': {
    anonymous: NONE,
    'admin@hz-dsj': NONE,
    'steward@hz-gaj': NONE,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': ['allow', 'allow', 'allow', 'deny'],
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': NONE,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // a department's steward or system asks on behalf of its own department
  'request.create': {
    anonymous: NONE,
    'admin@hz-dsj': NONE,
    'steward@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': ONLY_HZ_GAJ,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // an approver decides requests addressed to their own department
  'request.decide': {
    anonymous: NONE,
    'admin@hz-dsj': NONE,
    'steward@hz-gaj': NONE,
    'approver@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-dsj': ['deny', 'deny', 'allow', 'deny'],
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': NONE,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // auditors (and the admin) read evidence, whichever department it concerns
  'evidence.read': {
    anonymous: NONE,
    'admin@hz-dsj': ALL,
    'steward@hz-gaj': NONE,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': ALL,
    'system@hz-gaj': NONE,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // a department's staff read its part of the evidence; auditors (and the admin) any department's
  'evidence.department': {
    anonymous: NONE,
    'admin@hz-dsj': ALL,
    'steward@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-dsj': ['deny', 'deny', 'allow', 'deny'],
    'auditor@hz-dsj': ALL,
    'system@hz-gaj': NONE,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // a system acts for its own department only
  'exchange.call': {
    anonymous: NONE,
    'admin@hz-dsj': NONE,
    'steward@hz-gaj': NONE,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': ONLY_HZ_GAJ,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // developers manage their own keys; an API key cannot mint more keys
  'apikey.manage': {
    anonymous: NONE,
    'admin@hz-dsj': NONE,
    'steward@hz-gaj': NONE,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': NONE,
    developer: ALL,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // a department's steward or system objects for its own department; people and API keys
  // have no department (which data they may object to is the domain's check)
  'objection.raise': {
    anonymous: NONE,
    'admin@hz-dsj': NONE,
    'steward@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': ONLY_HZ_GAJ,
    developer: ALL,
    'api-key': ALL,
    'no-roles@hz-gaj': NONE,
  },
  // the provider's steward answers objections to its department's data
  'objection.answer': {
    anonymous: NONE,
    'admin@hz-dsj': NONE,
    'steward@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': NONE,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // the data authority's staff, auditors and the admin see every department's objections
  'objection.oversee': {
    anonymous: NONE,
    'admin@hz-dsj': ALL,
    'steward@hz-gaj': NONE,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': ['allow', 'allow', 'allow', 'deny'],
    'auditor@hz-dsj': ALL,
    'system@hz-gaj': NONE,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // a department's connectors: its steward or system; the admin runs every department's
  'connector.manage': {
    anonymous: NONE,
    'admin@hz-dsj': ALL,
    'steward@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': ONLY_HZ_GAJ,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // harvest sources pull other catalogues into the directory: the platform admin only
  'harvest.manage': {
    anonymous: NONE,
    'admin@hz-dsj': ALL,
    'steward@hz-gaj': NONE,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': NONE,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // developers apply for 有条件开放 data for themselves; an API key cannot apply
  'openapp.apply': {
    anonymous: NONE,
    'admin@hz-dsj': NONE,
    'steward@hz-gaj': NONE,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': NONE,
    developer: ALL,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // the provider department's steward or approver decides applications for its resources
  'openapp.decide': {
    anonymous: NONE,
    'admin@hz-dsj': NONE,
    'steward@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-dsj': ['deny', 'deny', 'allow', 'deny'],
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': NONE,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // a signed-in person asks for data; departments and keys do not
  'datarequest.create': {
    anonymous: NONE,
    'admin@hz-dsj': NONE,
    'steward@hz-gaj': NONE,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': NONE,
    developer: ALL,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // working figures: the admin, auditors and the data authority's staff for every department,
  // stewards and approvers for their own
  'report.read': {
    anonymous: NONE,
    'admin@hz-dsj': ALL,
    'steward@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-dsj': ['allow', 'allow', 'allow', 'deny'],
    'auditor@hz-dsj': ALL,
    'system@hz-gaj': NONE,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // a signed-in person rates datasets; departments and keys do not
  'review.write': {
    anonymous: NONE,
    'admin@hz-dsj': NONE,
    'steward@hz-gaj': NONE,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': NONE,
    developer: ALL,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
  // a steward answers for its own department only
  'datarequest.answer': {
    anonymous: NONE,
    'admin@hz-dsj': NONE,
    'steward@hz-gaj': ONLY_HZ_GAJ,
    'approver@hz-gaj': NONE,
    'approver@hz-dsj': NONE,
    'auditor@hz-dsj': NONE,
    'system@hz-gaj': NONE,
    developer: NONE,
    'api-key': NONE,
    'no-roles@hz-gaj': NONE,
  },
};

const ACTIONS = Object.keys(MATRIX) as Action[];
const ACTOR_NAMES = Object.keys(ACTORS) as ActorName[];
const RELATIONS = Object.keys(TARGETS) as Relation[];

/** The members of the `Action` union as written in authorize.ts (vitest does not type-check). */
function actionsDeclaredInSource(): string[] {
  const source = readFileSync(new URL('./authorize.ts', import.meta.url), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  const declaration = /export type Action =([^;]*);/.exec(source)?.[1];
  if (!declaration) throw new Error('cannot find `export type Action` in authorize.ts');
  return [...declaration.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

/** What isAllowed decides for one action, laid out like MATRIX for a readable diff. */
function decided(action: Action): Record<string, readonly Cell[]> {
  return Object.fromEntries(
    ACTOR_NAMES.map((name) => [
      name,
      RELATIONS.map((relation): Cell =>
        isAllowed(ACTORS[name], action, TARGETS[relation]) ? 'allow' : 'deny',
      ),
    ]),
  );
}

describe('authorization matrix', () => {
  it('has a row for every action authorize.ts declares, and no other', () => {
    expect([...ACTIONS].sort()).toEqual(actionsDeclaredInSource().sort());
    expect(ACTIONS).toHaveLength(22);
  });

  it.each(ACTIONS)('%s: isAllowed matches the table for every actor and target', (action) => {
    expect(decided(action)).toEqual(MATRIX[action]);
  });

  it('defaults to "no target department" when no target is given', () => {
    for (const action of ACTIONS) {
      for (const name of ACTOR_NAMES) {
        expect(isAllowed(ACTORS[name], action), `${action} × ${name}`).toBe(
          isAllowed(ACTORS[name], action, {}),
        );
      }
    }
  });

  it('fails closed on an action it does not know, including inherited property names', () => {
    for (const name of [
      'organisation.destroy',
      'toString',
      'valueOf',
      'constructor',
      '__proto__',
    ]) {
      expect(isAllowed(ACTORS['admin@hz-dsj'], name as Action, TARGETS['hz-gaj']), name).toBe(
        false,
      );
      expect(
        () => authorize(ACTORS['api-key'], name as Action, TARGETS['hz-gaj'], 'write'),
        name,
      ).toThrow(NotAllowedError);
    }
  });
});

describe('authorize', () => {
  it('answers anonymous callers 401 in both modes, for every action', () => {
    for (const action of ACTIONS) {
      for (const mode of ['read', 'write'] as const) {
        const call = () => authorize(ANONYMOUS, action, TARGETS['hz-gaj'], mode);
        expect(call, `${action} ${mode}`).toThrow(UnauthenticatedError);
        try {
          call();
        } catch (error) {
          expect((error as UnauthenticatedError).status).toBe(401);
        }
      }
    }
  });

  it('hides a denied read as 404', () => {
    const steward = ACTORS['steward@hz-gaj'];
    expect(() => authorize(steward, 'department.systems.read', TARGETS['hz-mzj'], 'read')).toThrow(
      NotFoundError,
    );
    try {
      authorize(ACTORS['api-key'], 'evidence.read', {}, 'read');
      expect.unreachable('an API key must not read evidence');
    } catch (error) {
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).status).toBe(404);
      expect((error as NotFoundError).message).not.toContain('evidence');
    }
  });

  it('refuses a denied write with 403 naming the action', () => {
    try {
      authorize(ACTORS['steward@hz-gaj'], 'resource.manage', TARGETS['hz-mzj'], 'write');
      expect.unreachable('a steward must not manage another department’s resources');
    } catch (error) {
      expect(error).toBeInstanceOf(NotAllowedError);
      expect((error as NotAllowedError).status).toBe(403);
      expect((error as NotAllowedError).message).toContain('resource.manage');
    }
    expect(() =>
      authorize(ACTORS['no-roles@hz-gaj'], 'department.update', TARGETS['hz-gaj'], 'write'),
    ).toThrow(NotAllowedError);
  });

  it('lets allowed calls through in both modes', () => {
    expect(() =>
      authorize(ACTORS['approver@hz-gaj'], 'request.decide', TARGETS['hz-gaj'], 'write'),
    ).not.toThrow();
    expect(() =>
      authorize(ACTORS['auditor@hz-dsj'], 'evidence.read', TARGETS.none, 'read'),
    ).not.toThrow();
  });

  it('maps every cell of the matrix to pass, 401, 404 or 403', () => {
    const expected: string[] = [];
    const actual: string[] = [];
    for (const action of ACTIONS) {
      for (const name of ACTOR_NAMES) {
        RELATIONS.forEach((relation, column) => {
          for (const mode of ['read', 'write'] as const) {
            const cell = `${action} × ${name} × ${relation} × ${mode}`;
            const allowed = MATRIX[action][name][column] === 'allow';
            expected.push(
              `${cell}: ${allowed ? 'pass' : name === 'anonymous' ? 401 : mode === 'read' ? 404 : 403}`,
            );
            let outcome: string | number = 'pass';
            try {
              authorize(ACTORS[name], action, TARGETS[relation], mode);
            } catch (error) {
              outcome = (error as { status?: number }).status ?? String(error);
            }
            actual.push(`${cell}: ${outcome}`);
          }
        });
      }
    }
    expect(actual).toEqual(expected);
    expect(actual).toHaveLength(22 * 10 * 4 * 2);
  });
});
