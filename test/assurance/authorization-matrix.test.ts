import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../harness.ts';
import {
  buildMatrix,
  COLUMNS,
  departmentOf,
  type Column,
  type MatrixRow,
} from './authorizationMatrix.ts';
import { send } from './client.ts';
import { createRandom, generateValue, type Random } from './generate.ts';
import { MATRIX_DOC, renderCurrentMatrix } from './renderAuthorizationMatrix.ts';
import { loadAllOperations, operationKey, type SpecOperation } from './specOperations.ts';
import { createTargets, discoverTargets, resolvePath, type Targets } from './targets.ts';

/**
 * Every cell of the authorization matrix (authorizationMatrix.ts) against the running services:
 * each operation called by each kind of caller, with real tokens and a real API key, on the
 * fixture's targets (own department) and as a department with no part in them (other).
 */

let h: Harness;
let targets: Targets;
let operations: SpecOperation[];
let matrix: { rows: MatrixRow[]; missing: string[] };
const tokens = new Map<string, string>();

beforeAll(async () => {
  h = await startHarness();
  targets = await createTargets(h);
  operations = await loadAllOperations();
  matrix = buildMatrix(operations);
  await discoverTargets(h, operations, targets, [
    await h.token('admin'),
    await h.token('hz-gaj.steward'),
    await h.token('developer'),
  ]);
  // the receipt of something hz-rsj did (its sharing request), for the receipts row
  const { rows } = await h.db.pool.query<{ id: string }>(
    `SELECT id FROM evidence_entries WHERE department_code = 'hz-rsj' ORDER BY seq LIMIT 1`,
  );
  if (rows[0]) targets.evidenceEntryId = rows[0].id;
}, 180_000);

afterAll(async () => {
  await h?.close();
});

/** The credential headers of a column's caller, for a row owned by `owner`. */
async function credentialsOf(column: Column, row: MatrixRow): Promise<Record<string, string>> {
  if (column === 'anonymous') return {};
  if (column === 'api-key') return { 'x-api-key': targets.apiKey };
  const department = departmentOf(column, row.owner);
  const name =
    column === 'admin' || column === 'auditor' || column === 'developer'
      ? column
      : column.startsWith('system')
        ? `${department}-system`
        : `${department}.${column.split('·')[0]}`;
  let token = tokens.get(name);
  if (!token) {
    token = column.startsWith('system') ? await h.systemToken(name) : await h.token(name);
    tokens.set(name, token);
  }
  return { authorization: `Bearer ${token}` };
}

/**
 * Bodies that name the fixture's targets, where the body (not the path) says whose the target
 * is; every other operation gets a body generated from its schema.
 */
function bodyFor(op: SpecOperation, column: Column, serial: number): unknown {
  const g = targets.granted;
  switch (operationKey(op)) {
    case 'POST /v1/sharing-requests':
      return {
        resourceCode: g.resourceCode,
        fields: ['id_number', 'name'],
        purposeCodes: ['SOCIAL_SECURITY'],
        purposeText: '社会保险待遇资格认证',
        legalBasisText: '《社会保险法》第八条',
        deliveryModes: ['query'],
      };
    case 'POST /v1/objections':
      return {
        resourceCode: g.resourceCode,
        recordKey: g.people[1]!.id_number,
        fields: ['mobile'],
        description: '手机号码与本局登记不一致',
      };
    case 'POST /v1/objections/{id}/answer':
      return { decision: 'reject', reply: '经核实数据无误' };
    case 'POST /v1/connectors':
      return {
        name: `matrix-${column.replace(/[^a-z]/g, '')}-${serial}`,
        config: {
          type: 'webhook',
          department: 'hz-rsj',
          grant: g.grantId,
          options: {
            url: 'https://rsj.example.cn/hook',
            signingKey: { secret: { env: 'HOOK_KEY' } },
          },
        },
      };
    case 'POST /v1/objections/{id}/record':
      return { values: { mobile: '13900139001' } };
    // a generated body may be empty, which the contract refuses before the caller is looked at
    case 'PATCH /v1/departments/{code}':
      return { contactName: '矩阵测试联系人' };
    case 'POST /v1/data-requests':
      return { title: '希望开放统计数据', description: '按区县统计', contact: 'a@example.cn' };
    case 'POST /v1/data-requests/{id}/answer':
      return { status: 'answered', answer: '已在整理，预计下月开放' };
    case 'POST /v1/resources/{code}/records':
      return { records: [g.people[2]] };
    case 'POST /v1/grants/{id}/verify':
      return { key: g.people[0]!.id_number, claims: { name: g.people[0]!.name } };
    case 'PATCH /v1/connectors/{name}/offsets':
      return { partitions: [{ partition: 0, offset: 0 }] };
    case 'POST /v1/api-keys':
      return { name: `matrix-${serial}` };
    case 'POST /v1/resources':
      return {
        name: `矩阵测试目录${serial}`,
        abstract: '权限矩阵测试用的草稿目录',
        themeCode: 'population',
        format: 'database',
        sharingType: 'unconditional',
        sharingMethods: ['api'],
        openType: 'none',
        updateCycle: 'daily',
        items: [{ name: 'code', label: '编号', dataType: 'string', isKey: true }],
      };
    case 'POST /v1/harvest-sources':
      return {
        name: `矩阵测试来源${serial}`,
        type: 'ckan',
        url: 'https://fy.example.gov.cn/',
        fallbackThemeCode: 'government',
      };
    case 'POST /v1/open-applications':
      return {
        resourceCode: targets.openCode,
        purpose: '开发空气质量提醒小程序',
        purposeCode: 'PUBLIC_WELFARE',
        realName: '张伟',
        organisation: '杭州数智科技有限公司',
        contact: 'zhangwei@example.cn',
        intendedUse: '小程序首页展示附近站点读数',
        actions: ['read'],
      };
    default:
      return undefined;
  }
}

/**
 * GETs first, then changes, deletions (the deepest path first: a connector's offsets before the
 * connector), decisions that end a target's life, and retirement last, so that targets outlive
 * the cells that need them.
 */
const rank = (op: SpecOperation) =>
  op.path.endsWith('/retire')
    ? 6
    : op.path.includes('{change}') || /withdraw|reject|disable/.test(op.path)
      ? 5
      : op.method === 'DELETE'
        ? 4 - op.path.length / 1000
        : op.method === 'GET'
          ? 0
          : 1;

/**
 * The least request the contract accepts: required parameters only (optional ones could fail
 * on their merits before the caller is looked at), the grant's purpose where one is asked.
 */
function leastRequest(op: SpecOperation, random: Random) {
  const query: string[] = [];
  const headers: Record<string, string> = {};
  const path: Record<string, string> = {};
  for (const p of op.parameters) {
    if (p.in === 'header' && /^x-purpose$/i.test(p.name)) headers[p.name] = 'SOCIAL_SECURITY';
    if (!p.required) continue;
    const value = generateValue(p.schema, random);
    if (p.in === 'query')
      query.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(String(value))}`);
    else if (p.in === 'header') headers[p.name] ??= String(value);
    else if (p.in === 'path') path[p.name] = String(value);
  }
  return { query: query.join('&'), headers, path };
}

describe('authorization matrix', () => {
  it('has a row for every operation of the specs that has security', () => {
    expect(matrix.missing).toEqual([]);
    expect(matrix.rows.length).toBe(operations.length);
  });

  it('is rendered in docs/authorization-matrix.md as it stands (npm run docs:authz)', async () => {
    expect(await readFile(MATRIX_DOC, 'utf8')).toBe(await renderCurrentMatrix());
  });

  it('holds cell by cell against the running services', async () => {
    const random = createRandom(20261121);
    const failures: string[] = [];
    const bases = {
      catalog: h.catalog.base,
      'exchange-api': h.exchange.base,
      connectors: h.connectors.base,
    };
    let serial = 0;
    let cells = 0;
    const byOperation = new Map(matrix.rows.map((r) => [`${r.service} ${r.operation}`, r]));
    for (const op of [...operations].sort((a, b) => rank(a) - rank(b))) {
      const row = byOperation.get(`${op.service} ${operationKey(op)}`)!;
      // denied callers first: an allowed call may change the target (approve, delete)
      const order = [...COLUMNS].sort(
        (a, b) => Number(row.cells[a] === 'allow') - Number(row.cells[b] === 'allow'),
      );
      for (const column of order) {
        const expected = row.cells[column];
        if (expected === 'n/a') continue;
        serial += 1;
        const least = leastRequest(op, random);
        // the fixture's objects; a generated id where the fixture has none (nobody finds it)
        const path = resolvePath(op, targets, {}) ?? resolvePath(op, targets, least.path)!;
        const query = least.query;
        const headers = { ...least.headers, ...(await credentialsOf(column, row)) };
        const body =
          bodyFor(op, column, serial) ?? (op.body ? generateValue(op.body, random) : undefined);
        let text: string | undefined;
        if (body !== undefined) {
          text = JSON.stringify(body);
          headers['content-type'] = 'application/json';
        } else if (op.otherBodyTypes.length) {
          // an upload (a workbook): bytes that are not one, judged only after the caller
          text = 'not a workbook';
          headers['content-type'] = op.otherBodyTypes[0]!;
        }
        const url = `${bases[op.service]}${path}${query ? `?${query}` : ''}`;
        let answer = await send(url, op.method, headers, text);
        // an API key's per-second rate limit answers before anything else: on a fast machine
        // the matrix outruns it, so wait the second it asks for and ask the same question again
        for (let retry = 0; retry < 5 && isRateLimited(answer); retry++) {
          await new Promise((resolve) => setTimeout(resolve, 1_100));
          answer = await send(url, op.method, headers, text);
        }
        cells += 1;
        const where = `${op.service} ${operationKey(op)} as ${column}: expected ${expected}, got ${answer.status}`;
        if (answer.error || answer.status >= 500)
          failures.push(`${where} ${answer.error ?? answer.text.slice(0, 160)}`);
        else if (expected === 'allow') {
          if (answer.status === 401 || answer.status === 403)
            failures.push(`${where} ${answer.text.slice(0, 160)}`);
        } else if (answer.status !== expected)
          failures.push(`${where} ${answer.text.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(cells).toBeGreaterThan(operations.length * 8);
  }, 300_000);
});

/** A 429 of an API key's requests-per-second limit (not a quota the cell is about). */
function isRateLimited(answer: { status: number; text: string }): boolean {
  return answer.status === 429 && answer.text.includes('"rateLimit"');
}
