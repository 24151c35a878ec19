import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../harness.ts';
import { send, wellFormedError, type Answer } from './client.ts';
import { backgroundSettled, businessTables, changedTables, fingerprint } from './fingerprint.ts';
import { mutations, validRequest, type FuzzRequest } from './fuzzRequests.ts';
import { createRandom, type Random } from './generate.ts';
import { loadAllOperations, operationKey, type SpecOperation } from './specOperations.ts';
import { createTargets, discoverTargets, resolvePath, type Targets } from './targets.ts';

/**
 * Fuzzing from the contracts: for every operation of the catalog, exchange and connectors
 * specs, requests generated from the schemas and requests mutated from them. Invalid requests
 * must be refused (4xx, well-formed errors) and change nothing; valid ones must never answer
 * 5xx. A fixed seed makes every run the same: FUZZ_SEED changes it, FUZZ_RUNS scales it.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const RUNS = Math.max(1, Math.floor(Number(process.env.FUZZ_RUNS ?? 1)));
/** generated valid requests per operation and run */
const VALID_PER_OPERATION = 12;
/** requests in flight at once within an operation */
const CONCURRENCY = 4;

let h: Harness;
let targets: Targets;
let operations: SpecOperation[];
let tables: string[];
const bearer: Record<string, string> = {};
const stats = { invalid: 0, valid: 0, started: 0 };
/** answers by phase and status class, for the run's summary */
const statuses: Record<string, number> = {};
const count = (phase: string, status: number) => {
  const key = `${phase} ${status === 0 ? 'error' : `${Math.floor(status / 100)}xx`}`;
  statuses[key] = (statuses[key] ?? 0) + 1;
};

beforeAll(async () => {
  stats.started = performance.now();
  h = await startHarness();
  targets = await createTargets(h);
  for (const user of [
    'admin',
    'auditor',
    'developer',
    'hz-gaj.steward',
    'hz-gaj.approver',
    'hz-rsj.steward',
    'hz-dsj.approver',
  ])
    bearer[user] = await h.token(user);
  for (const system of ['hz-gaj-system', 'hz-rsj-system'])
    bearer[system] = await h.systemToken(system);
  operations = await loadAllOperations();
  await discoverTargets(h, operations, targets, [
    bearer.admin!,
    bearer['hz-gaj.steward']!,
    bearer.developer!,
  ]);
  tables = await businessTables(h.db.pool);
}, 180_000);

afterAll(async () => {
  await h?.close();
  // eslint-disable-next-line no-console
  console.log(
    `fuzz: seed ${SEED}, runs ${RUNS}: ${stats.invalid} invalid + ${stats.valid} valid requests to ${operations?.length} operations in ${Math.round((performance.now() - stats.started) / 1000)} s; ${JSON.stringify(statuses)}`,
  );
});

const baseOf = (op: SpecOperation) =>
  ({ catalog: h.catalog.base, 'exchange-api': h.exchange.base, connectors: h.connectors.base })[
    op.service
  ];

/** Credentials the operation's security asks for, chosen by the seeded PRNG among realistic callers. */
function credentials(op: SpecOperation, random: Random): Record<string, string> {
  const schemes = op.security;
  if (schemes.length === 0 || (schemes.includes('none') && random.chance(0.25))) return {};
  if (schemes.includes('apiKey') && (!schemes.includes('bearerAuth') || random.chance(0.3)))
    return { 'x-api-key': targets.apiKey };
  if (!schemes.includes('bearerAuth')) return {};
  return { authorization: `Bearer ${random.pick(Object.values(bearer))}` };
}

async function fire(
  request: FuzzRequest,
  random: Random,
): Promise<{ answer: Answer; where: string }> {
  const { op } = request;
  const path = resolvePath(op, targets, request.path) ?? op.path;
  const query = [
    ...request.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeValue(v)}`),
    ...(request.rawQuery ? [request.rawQuery] : []),
  ].join('&');
  const headers: Record<string, string> = { ...credentials(op, random), ...request.headers };
  if (request.contentType) headers['content-type'] = request.contentType;
  const answer = await send(
    `${baseOf(op)}${path}${query ? `?${query}` : ''}`,
    op.method,
    headers,
    request.body,
  );
  const who = headers.authorization ? 'bearer' : headers['x-api-key'] ? 'api-key' : 'anonymous';
  return { answer, where: `${operationKey(op)} [${request.label}] as ${who}: ${answer.status}` };
}

function encodeValue(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

/** Run `work` over `items`, `CONCURRENCY` at a time. */
async function inParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** GETs first, deletions and grant status changes last: the fixture stays usable longest. */
function fixtureFriendlyOrder(ops: SpecOperation[]): SpecOperation[] {
  const rank = (op: SpecOperation) =>
    op.path.includes('{change}') ? 4 : op.method === 'DELETE' ? 3 : op.method === 'GET' ? 0 : 1;
  return [...ops].sort((a, b) => rank(a) - rank(b));
}

describe(`fuzzing every operation from the specs (seed ${SEED})`, () => {
  it('refuses every invalid request with a well-formed 4xx and changes no data', async () => {
    expect(operations.length).toBeGreaterThan(100);
    const failures: string[] = [];
    const random = createRandom(SEED);
    const start = await fingerprint(h.db.pool, tables);
    for (const op of fixtureFriendlyOrder(operations)) {
      const requests: FuzzRequest[] = [];
      for (let run = 0; run < RUNS; run += 1)
        requests.push(
          ...mutations(validRequest(op, random), random, RUNS).filter((r) => r.invalid),
        );
      const before = await fingerprint(h.db.pool, tables);
      await inParallel(requests, async (request) => {
        const { answer, where } = await fire(request, random);
        stats.invalid += 1;
        count('invalid', answer.status);
        if (answer.error) failures.push(`${where} ${answer.error}`);
        else if (answer.status < 400 || answer.status >= 500)
          failures.push(
            `${where} (an invalid request must be refused) ${answer.text.slice(0, 160)}`,
          );
        else {
          const problem = wellFormedError(answer, request.op.ckan);
          if (problem) failures.push(`${where} ${problem}`);
        }
      });
      const changed = changedTables(before, await fingerprint(h.db.pool, tables));
      if (changed.length)
        failures.push(`${operationKey(op)}: invalid requests changed ${changed.join(', ')}`);
    }
    expect(failures.slice(0, 60)).toEqual([]);
    expect(changedTables(start, await fingerprint(h.db.pool, tables))).toEqual([]);
    expect(stats.invalid).toBeGreaterThan(2_000 * RUNS);
  }, 600_000);

  it('answers valid and hostile-but-valid requests without 5xx; refusals are well-formed and change nothing', async () => {
    const failures: string[] = [];
    const random = createRandom(SEED + 1);
    for (const op of fixtureFriendlyOrder(operations)) {
      const requests: FuzzRequest[] = [];
      for (let i = 0; i < VALID_PER_OPERATION * RUNS; i += 1)
        requests.push(validRequest(op, random));
      // hostile values the contract allows (free text with emoji, injection strings in search terms)
      requests.push(...mutations(validRequest(op, random), random, RUNS).filter((r) => !r.invalid));
      // an earlier operation's accepted request may still be at work (a harvest run)
      await backgroundSettled(h.db.pool);
      const before = await fingerprint(h.db.pool, tables);
      let accepted = false;
      // one at a time: generated writes may depend on each other's effects
      for (const request of requests.filter((r) => !r.invalid)) {
        const { answer, where } = await fire(request, random);
        stats.valid += 1;
        count('valid', answer.status);
        if (answer.error) failures.push(`${where} ${answer.error}`);
        else if (answer.status >= 500) failures.push(`${where} ${answer.text.slice(0, 200)}`);
        else if (answer.status >= 400) {
          const problem = wellFormedError(answer, op.ckan);
          if (problem) failures.push(`${where} ${problem}`);
        } else if (op.method !== 'GET') accepted = true;
      }
      if (!accepted && op.method !== 'GET') {
        const changed = changedTables(before, await fingerprint(h.db.pool, tables));
        if (changed.length)
          failures.push(`${operationKey(op)}: refused requests changed ${changed.join(', ')}`);
      }
    }
    expect(failures.slice(0, 60)).toEqual([]);
    expect(stats.valid).toBeGreaterThan(1_000 * RUNS);
  }, 600_000);
});
