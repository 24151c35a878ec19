import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as catalogWorkflow from '@gx/catalog';
import { seedDemoDirectory } from '@gx/platform';
import { demoDecisionTimes } from '../connectors/src/demo/demoDecisionTimes.ts';
import { DEMO_DATABASES, seedDemoConnectors } from '../connectors/src/demo/seedDemoConnectors.ts';
import { call, startHarness, type Harness } from './harness.ts';

/**
 * The connector demo as `npm start` seeds it (the demo city, its directory, then 税务局's
 * request to 市场监督管理局 approved by its approver), seen in the data authority's report: its
 * 审批用时 is a real turnaround, not the 0 秒 of a request made and decided in one instant.
 */
let h: Harness;
const HOUR = 3600;

/** The demo's department databases live on the server beside the test databases: start clean. */
async function dropDemoDatabases() {
  for (const name of Object.values(DEMO_DATABASES))
    await h.db.pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

beforeAll(async () => {
  h = await startHarness();
  await seedDemoDirectory({ prisma: h.db.prisma, pool: h.db.pool, workflow: catalogWorkflow });
  await dropDemoDatabases();
  const seeded = await seedDemoConnectors({ url: h.testDb.url });
  expect(seeded).toBeDefined();
}, 300_000);

afterAll(async () => {
  if (h) await dropDemoDatabases();
  await h?.close();
});

describe("the demo's sharing request in the data authority's report", () => {
  it('has a median approval time of hours to days, decided in the past', async () => {
    for (const department of ['', '?department=hz-scjg']) {
      const res = await call(h.exchange.base, 'GET', `/v1/reports/exchange${department}`, {
        token: await h.token('admin'),
      });
      expect(res.status).toBe(200);
      expect(res.body.requests.decided).toBe(1);
      // a working day and some hours; across a weekend up to three days more
      expect(res.body.requests.medianSeconds).toBeGreaterThanOrEqual(24 * HOUR);
      expect(res.body.requests.medianSeconds).toBeLessThanOrEqual(4 * 24 * HOUR);
    }
    const { rows } = await h.db.pool.query<{
      created_at: Date;
      decided_at: Date;
      deadline_at: Date;
      status: string;
    }>(
      `SELECT r.created_at, r.decided_at, r.deadline_at, r.status FROM sharing_requests r
         JOIN departments c ON c.id = r.consumer_id WHERE c.code = 'hz-swj'`,
    );
    expect(rows).toHaveLength(1);
    const [request] = rows;
    expect(request!.status).toBe('approved');
    expect(request!.created_at.getTime()).toBeLessThan(request!.decided_at.getTime());
    expect(request!.decided_at.getTime()).toBeLessThan(Date.now());
    expect(request!.deadline_at.getTime()).toBeGreaterThan(request!.decided_at.getTime());
  });

  it('leaves the evidence chain whole (the entries keep the times they were hashed with)', async () => {
    const res = await call(h.exchange.base, 'GET', '/v1/evidence/verify', {
      token: await h.token('auditor'),
    });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
  });
});

describe('demoDecisionTimes', () => {
  // 2026-11-23 is a Monday; times in Asia/Shanghai (+08:00)
  it('submits and decides on the working days before the seeding day', () => {
    expect(demoDecisionTimes(new Date('2026-11-26T10:00:00+08:00'))).toEqual({
      submittedAt: new Date('2026-11-24T09:30:00+08:00'),
      decidedAt: new Date('2026-11-25T15:45:00+08:00'),
    });
    // seeded on a Monday just after midnight (Sunday in UTC): Thursday and Friday before
    expect(demoDecisionTimes(new Date('2026-11-23T00:10:00+08:00'))).toEqual({
      submittedAt: new Date('2026-11-19T09:30:00+08:00'),
      decidedAt: new Date('2026-11-20T15:45:00+08:00'),
    });
  });
});
