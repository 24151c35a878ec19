/**
 * Recall@10 of the directory search on the judged query set (fixtures/judgedQueries.ts),
 * against the demo directory seeded exactly as `npm start` seeds it.
 *
 * recall@10 of a query = |expected ∩ first 10 results| ÷ min(10, |expected|): a query whose
 * expected set is a whole department (人社局) is fully answered by any ten of its entries.
 * The test fails when the mean over the set is below 0.9 (DESIGN §6) and prints every query
 * that missed something, with what it returned instead.
 *
 * The judge is a department user, not an anonymous visitor: anonymous callers see only open
 * entries, and this measures relevance, not visibility (search.test.ts covers that).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDatabase,
  seedDemo,
  seedDemoDirectory,
  type Actor,
  type Database,
} from '@gx/platform';
import { createTestDatabase, type TestDatabase } from '@gx/platform/testing';
import { approveResource } from '../src/domain/resources/approveResource.ts';
import { createResource } from '../src/domain/resources/createResource.ts';
import { rejectResource } from '../src/domain/resources/rejectResource.ts';
import { retireResource } from '../src/domain/resources/retireResource.ts';
import { submitResource } from '../src/domain/resources/submitResource.ts';
import { searchResources } from '../src/domain/search/searchResources.ts';
import { JUDGED_QUERIES } from './fixtures/judgedQueries.ts';

const RECALL_BAR = 0.9;
const K = 10;
/** 西湖区政府办: a department user whose own entries take no part in the judged queries */
const JUDGE: Actor = {
  kind: 'user',
  subject: 'judge',
  username: 'judge.xh-zf',
  departmentCode: 'xh-zf',
  roles: [],
};

let testDb: TestDatabase;
let db: Database;
let published: { code: string; name: string; department: string }[];

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase({ url: testDb.url, max: 6 });
  await seedDemo(db.pool);
  await seedDemoDirectory({
    ...db,
    workflow: { createResource, submitResource, approveResource, rejectResource, retireResource },
    asOf: new Date('2026-11-21T08:00:00Z'),
  });
  const { rows } = await db.pool.query<{ code: string; name: string; department: string }>(
    `SELECT r.code, r.name, d.code AS department
       FROM resources r JOIN departments d ON d.id = r.provider_id WHERE r.status = 'published'`,
  );
  published = rows;
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

/** `<department>:<name>`, `*:<name>` or `<department>:*` → codes of published entries */
function resolve(pattern: string): string[] {
  const colon = pattern.indexOf(':');
  const department = pattern.slice(0, colon);
  const name = pattern.slice(colon + 1);
  return published
    .filter(
      (r) =>
        (department === '*' || r.department === department) && (name === '*' || r.name === name),
    )
    .map((r) => r.code);
}

const describeEntry = (code: string) => {
  const r = published.find((p) => p.code === code);
  return r ? `${r.department}:${r.name}` : code;
};

describe('search recall on the judged query set', () => {
  it('has at least 60 judged queries, each expecting published entries of the demo directory', () => {
    expect(JUDGED_QUERIES.length).toBeGreaterThanOrEqual(60);
    for (const query of JUDGED_QUERIES) {
      for (const pattern of query.expect) {
        expect(
          resolve(pattern).length,
          `${query.q}: ${pattern} finds no published entry`,
        ).toBeGreaterThan(0);
      }
    }
  });

  it(`finds what people expect: mean recall@${K} ≥ ${RECALL_BAR}`, async () => {
    let sum = 0;
    const report: string[] = [];
    for (const query of JUDGED_QUERIES) {
      const expected = new Set(query.expect.flatMap(resolve));
      const result = await searchResources({
        prisma: db.prisma,
        actor: JUDGE,
        q: query.q,
        pageSize: K,
      });
      const returned = result.items.map((i) => i.code);
      const found = returned.filter((code) => expected.has(code)).length;
      const recall = found / Math.min(K, expected.size);
      sum += recall;
      if (recall < 1) {
        const missing = [...expected].filter((code) => !returned.includes(code));
        report.push(
          `  ${recall.toFixed(2)}  ${query.q}  (mode ${result.mode}, ${result.total} found)\n` +
            `        missing: ${missing.slice(0, 5).map(describeEntry).join('、')}${missing.length > 5 ? ` … (+${missing.length - 5})` : ''}\n` +
            `        returned: ${returned.map(describeEntry).join('、') || '—'}`,
        );
      }
    }
    const mean = sum / JUDGED_QUERIES.length;
    process.stdout.write(
      `\nsearch recall@${K} = ${mean.toFixed(4)} over ${JUDGED_QUERIES.length} judged queries` +
        ` (bar ${RECALL_BAR}); ${report.length} with misses${report.length ? ':' : ''}\n${report.join('\n')}\n`,
    );
    expect(mean).toBeGreaterThanOrEqual(RECALL_BAR);
  });
});
