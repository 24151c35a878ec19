import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantedPeopleResource } from './fixtures.ts';
import { call, startHarness, type Harness } from './harness.ts';

/**
 * GET /v1/reports/exchange (数据看板's exchange figures) after real activity through the APIs:
 * requests decided and left waiting, records delivered. Every expected figure is worked out
 * here from the database's own rows, not by the report's SQL.
 */
let h: Harness;
const exchange = (path: string, token?: string) =>
  call(
    h.exchange.base,
    'GET',
    path,
    token === undefined ? {} : { token, headers: { 'x-purpose': 'SOCIAL_SECURITY' } },
  );

const DELIVERIES = new Set(['query', 'get', 'export', 'subscription-delivery']);
const shanghaiDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** linear interpolation between closest ranks, as PostgreSQL's percentile_cont */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const at = p * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return Math.round(sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low));
}

/** what the report should say, from the raw rows of sharing_requests and evidence_entries */
async function expectedFigures(department: string | null) {
  const requests = await h.db.pool.query<{
    status: string;
    created_at: Date;
    decided_at: Date | null;
    deadline_at: Date | null;
    provider: string;
  }>(
    `SELECT s.status::text AS status, s.created_at, s.decided_at, s.deadline_at, p.code AS provider
       FROM sharing_requests s JOIN departments p ON p.id = s.provider_id`,
  );
  const mine = requests.rows.filter((r) => department === null || r.provider === department);
  const waitedAndDecided = mine.filter(
    (r) => ['approved', 'rejected'].includes(r.status) && r.deadline_at && r.decided_at,
  );
  const durations = waitedAndDecided
    .map((r) => (r.decided_at!.getTime() - r.created_at.getTime()) / 1000)
    .sort((a, b) => a - b);
  const now = Date.now();
  const pending = mine.filter((r) => r.status === 'pending');

  const entries = await h.db.pool.query<{
    recorded_at: Date;
    operation: string;
    outcome: string;
    record_count: string;
    department_code: string | null;
    provider: string | null;
  }>(
    `SELECT e.recorded_at, e.operation, e.outcome, e.record_count::text, e.department_code,
            (SELECT d.code FROM resources r JOIN departments d ON d.id = r.provider_id
              WHERE r.code = e.resource_code) AS provider
       FROM evidence_entries e`,
  );
  const perDay = new Map<string, number>();
  for (const e of entries.rows) {
    if (!DELIVERIES.has(e.operation) || e.outcome !== 'ok') continue;
    if (department !== null && e.department_code !== department && e.provider !== department)
      continue;
    const day = shanghaiDay.format(e.recorded_at);
    perDay.set(day, (perDay.get(day) ?? 0) + Number(e.record_count));
  }
  return {
    decided: waitedAndDecided.length,
    medianSeconds: percentile(durations, 0.5),
    p90Seconds: percentile(durations, 0.9),
    pending: pending.length,
    overdue: pending.filter((r) => r.deadline_at && r.deadline_at.getTime() < now).length,
    today: perDay.get(shanghaiDay.format(new Date())) ?? 0,
    perDay,
  };
}

beforeAll(async () => {
  h = await startHarness();
  // real activity: two requests to 公安局 decided by its approver, two left waiting (one of them
  // past its deadline), and 人社局's system reading records under its grant
  const granted = await grantedPeopleResource(h, {}, 30);
  const second = await grantedPeopleResource(h, {}, 5);
  const rsj = await h.systemToken('hz-rsj-system');
  const asked = await call(h.exchange.base, 'POST', '/v1/sharing-requests', {
    token: await h.systemToken('hz-mzj-system'),
    body: {
      resourceCode: second.resourceCode,
      fields: ['id_number', 'name'],
      purposeCodes: ['SOCIAL_SECURITY'],
      purposeText: '社会救助对象身份核对',
      legalBasisText: '《社会救助暂行办法》第十一条',
      deliveryModes: ['query'],
    },
  });
  expect(asked.status).toBe(201);
  const rejected = await call(
    h.exchange.base,
    'POST',
    `/v1/sharing-requests/${asked.body.id}/reject`,
    { token: await h.token('hz-gaj.approver'), body: { reason: '用途与申请字段不符，请补充说明' } },
  );
  expect(rejected.status).toBe(200);
  for (const fields of [['id_number'], ['id_number', 'district']]) {
    const waiting = await call(h.exchange.base, 'POST', '/v1/sharing-requests', {
      token: await h.systemToken('hz-mzj-system'),
      body: {
        resourceCode: granted.resourceCode,
        fields,
        purposeCodes: ['SOCIAL_SECURITY'],
        purposeText: '社会救助对象身份核对',
        legalBasisText: '《社会救助暂行办法》第十一条',
        deliveryModes: ['query'],
      },
    });
    expect(waiting.status).toBe(201);
    if (fields.length === 1) {
      // the request has waited past its deadline (the clock cannot be moved, the deadline can)
      await h.db.pool.query(
        `UPDATE sharing_requests SET deadline_at = now() - interval '1 hour' WHERE id = $1`,
        [waiting.body.id],
      );
    }
  }
  for (const limit of [7, 12]) {
    const read = await exchange(`/v1/grants/${granted.grantId}/records?limit=${limit}`, rsj);
    expect(read.status).toBe(200);
    expect(read.body.items).toHaveLength(limit);
  }
  const one = await exchange(
    `/v1/grants/${second.grantId}/records/${second.people[0]!.id_number}`,
    rsj,
  );
  expect(one.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('GET /v1/reports/exchange', () => {
  it('gives the platform admin the city: turnaround, waiting, overdue, volume per day', async () => {
    const res = await exchange('/v1/reports/exchange', await h.token('admin'));
    expect(res.status).toBe(200);
    const expected = await expectedFigures(null);
    expect(expected.decided).toBeGreaterThanOrEqual(3);
    expect(expected.overdue).toBeGreaterThanOrEqual(1);
    expect(expected.today).toBeGreaterThanOrEqual(7 + 12 + 1);
    expect(res.body.departmentCode).toBeNull();
    expect(res.body.requests).toEqual({
      decided: expected.decided,
      medianSeconds: expected.medianSeconds,
      p90Seconds: expected.p90Seconds,
      pending: expected.pending,
      overdue: expected.overdue,
    });
    expect(res.body.volume).toHaveLength(30);
    expect(res.body.volume.at(-1)).toMatchObject({
      day: shanghaiDay.format(new Date()),
      records: expected.today,
    });
    for (const day of res.body.volume as { day: string; records: number }[]) {
      expect(day.records, day.day).toBe(expected.perDay.get(day.day) ?? 0);
    }
  });

  it('gives a steward their own department and hides every other one', async () => {
    const steward = await h.token('hz-gaj.steward');
    const own = await exchange('/v1/reports/exchange', steward);
    expect(own.status).toBe(200);
    const expected = await expectedFigures('hz-gaj');
    expect(own.body.departmentCode).toBe('hz-gaj');
    expect(own.body.requests).toMatchObject({
      decided: expected.decided,
      pending: expected.pending,
      overdue: expected.overdue,
    });
    expect(own.body.volume.at(-1).records).toBe(expected.today);
    expect((await exchange('/v1/reports/exchange?department=hz-gaj', steward)).status).toBe(200);
    const other = await exchange('/v1/reports/exchange?department=hz-rsj', steward);
    expect(other.status).toBe(404);
    expect(other.contentType).toContain('application/problem+json');
  });

  it('gives the consumer department the records it received, not the provider’s waiting requests', async () => {
    const res = await exchange('/v1/reports/exchange', await h.token('hz-rsj.approver'));
    expect(res.status).toBe(200);
    const expected = await expectedFigures('hz-rsj');
    expect(res.body.departmentCode).toBe('hz-rsj');
    expect(res.body.requests.pending).toBe(expected.pending);
    expect(res.body.volume.at(-1).records).toBe(expected.today);
    expect(expected.today).toBeGreaterThanOrEqual(7 + 12 + 1);
  });

  it('lets the data authority and the auditor see every department', async () => {
    for (const username of ['hz-dsj.approver', 'auditor']) {
      const token = await h.token(username);
      const city = await exchange('/v1/reports/exchange', token);
      expect(city.status, username).toBe(200);
      expect(city.body.departmentCode).toBeNull();
      const gaj = await exchange('/v1/reports/exchange?department=hz-gaj', token);
      expect(gaj.status, username).toBe(200);
      expect(gaj.body.requests.pending).toBe((await expectedFigures('hz-gaj')).pending);
    }
  });

  it('refuses callers without a staff role and answers an unknown department 404', async () => {
    expect((await exchange('/v1/reports/exchange')).status).toBe(401);
    expect((await exchange('/v1/reports/exchange', await h.token('developer'))).status).toBe(403);
    const system = await exchange('/v1/reports/exchange', await h.systemToken('hz-gaj-system'));
    expect(system.status).toBe(403);
    const unknown = await exchange(
      '/v1/reports/exchange?department=hz-nowhere',
      await h.token('admin'),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe('部门不存在');
    const bad = await exchange('/v1/reports/exchange?department=%E5%85%AC', await h.token('admin'));
    expect(bad.status).toBe(400);
  });
});
