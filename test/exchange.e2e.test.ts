import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startHarness, type Harness } from './harness.ts';
import { residentContactItems } from '@gx/platform';

let h: Harness;
const catalog = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.catalog.base, method, path, options);
const exchange = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.exchange.base, method, path, options);

const DISTRICTS = ['西湖区', '上城区'];
/** fictitious people: 18-digit numbers with the 19xx birth years of nobody in particular */
const people = Array.from({ length: 40 }, (_, i) => ({
  id_number: `33010619900101${String(1000 + i).slice(-4)}`,
  name: `测试${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}`,
  mobile: `1380013${String(8000 + i)}`,
  address: `浙江省杭州市${DISTRICTS[i % 2]}文三路${i}号`,
  district: DISTRICTS[i % 2]!,
}));

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('exchange end to end, through the HTTP APIs only', () => {
  let resourceCode: string;
  let requestId: string;
  let grantId: string;
  let systemB: string;

  it('department A catalogues a conditional resource with personal data and publishes it', async () => {
    const steward = await h.token('hz-gaj.steward');
    const created = await catalog('POST', '/v1/resources', {
      token: steward,
      body: {
        name: '居民联系方式',
        abstract: '本市户籍居民登记的联系电话与居住地址',
        themeCode: 'population',
        format: 'database',
        sharingType: 'conditional',
        sharingConditions: '仅限依法履职所需，须说明用途',
        sharingMethods: ['api', 'file'],
        openType: 'none',
        updateCycle: 'daily',
        items: residentContactItems(),
      },
    });
    expect(created.status).toBe(201);
    resourceCode = created.body.code;
    await catalog('POST', `/v1/resources/${resourceCode}/submit`, { token: steward });
    const approved = await catalog('POST', `/v1/resources/${resourceCode}/approve`, {
      token: await h.token('hz-dsj.approver'),
    });
    expect(approved.body.status).toBe('published');
  });

  it("A's system pushes records; invalid ones are reported, valid ones kept", async () => {
    const systemA = await h.systemToken('hz-gaj-system');
    const res = await exchange('POST', `/v1/resources/${resourceCode}/records`, {
      token: systemA,
      body: { records: [...people, { id_number: 'x', mobile: 13800138000 }] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 40, rejected: 1, schemaVersion: 1 });
    // each problem names its field, in Chinese (the steward reads them)
    expect(res.body.problems).toEqual([
      {
        index: 40,
        key: 'x',
        errors: [
          { path: '/name', message: '必填' },
          { path: '/mobile', message: '应为字符串' },
        ],
      },
    ]);
    expect(res.body.superseded).toEqual([]);
    // null is no value: an optional field is left out, a required one is missing
    const nulls = await exchange('POST', `/v1/resources/${resourceCode}/records`, {
      token: systemA,
      body: {
        records: [
          { ...people[2], address: null },
          { id_number: 'y', name: null },
        ],
      },
    });
    expect(nulls.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(nulls.body.problems).toEqual([
      { index: 1, key: 'y', errors: [{ path: '/name', message: '必填' }] },
    ]);
    // a key sent twice in one batch: the later record is stored, and the caller is told
    const twice = await exchange('POST', `/v1/resources/${resourceCode}/records`, {
      token: systemA,
      body: { records: [people[0], people[1], people[0]] },
    });
    expect(twice.body).toMatchObject({
      accepted: 2,
      rejected: 0,
      superseded: [{ index: 0, key: people[0]!.id_number, by: 2 }],
    });
    // another department cannot push into A's resource
    const foreign = await exchange('POST', `/v1/resources/${resourceCode}/records`, {
      token: await h.systemToken('hz-rsj-system'),
      body: { records: people },
    });
    expect(foreign.status).toBe(404);
  });

  it("B's system asks for it; A's approver sees the request with its deadline", async () => {
    systemB = await h.systemToken('hz-rsj-system');
    // a day that does not exist is refused, not moved to another (2027-02-30 is not 03-02)
    const impossible = await exchange('POST', '/v1/sharing-requests', {
      token: systemB,
      body: {
        resourceCode,
        fields: ['name'],
        purposeCodes: ['SOCIAL_SECURITY'],
        purposeText: '社会保险待遇资格认证',
        legalBasisText: '《社会保险法》第八条',
        deliveryModes: ['query'],
        periodStart: '2027-02-30',
      },
    });
    expect(impossible.status).toBe(400);
    expect(impossible.body.errors).toEqual([
      expect.objectContaining({ path: '/body/periodStart' }),
    ]);
    const res = await exchange('POST', '/v1/sharing-requests', {
      token: systemB,
      body: {
        resourceCode,
        fields: ['id_number', 'name', 'mobile', 'district'],
        purposeCodes: ['SOCIAL_SECURITY'],
        purposeText: '社会保险待遇资格认证，核对参保人联系方式',
        legalBasisText: '《社会保险法》第八条',
        deliveryModes: ['query', 'verify', 'bulk'],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'pending',
      consumer: { code: 'hz-rsj' },
      provider: { code: 'hz-gaj' },
    });
    expect(new Date(res.body.deadlineAt).getTime()).toBeGreaterThan(Date.now() + 4 * 86_400_000);
    requestId = res.body.id;
    const inbox = await exchange('GET', '/v1/sharing-requests?side=provider&status=pending', {
      token: await h.token('hz-gaj.approver'),
    });
    expect(inbox.body.items.map((r: { id: string }) => r.id)).toContain(requestId);
    // the consumer cannot approve its own request, and is told who can
    const own = await exchange('POST', `/v1/sharing-requests/${requestId}/approve`, {
      token: systemB,
      body: {},
    });
    expect(own.status).toBe(403);
    expect(own.body.detail).toBe(
      '无权执行此操作：仅提供部门的审批人（approver）可以办理（request.decide）',
    );
  });

  it('the approver grants it narrowed: masks and a one-district row filter', async () => {
    const approver = await h.token('hz-gaj.approver');
    const tooWide = await exchange('POST', `/v1/sharing-requests/${requestId}/approve`, {
      token: approver,
      body: { fields: ['id_number', 'address'] },
    });
    expect(tooWide.status).toBe(400);
    const res = await exchange('POST', `/v1/sharing-requests/${requestId}/approve`, {
      token: approver,
      body: {
        masks: {
          mobile: { kind: 'keep_first_last', first: 3, last: 4 },
          id_number: { kind: 'hmac_pseudonym' },
        },
        rowFilter: { field: 'district', op: '=', value: '西湖区' },
        comment: '仅限西湖区',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('approved');
    grantId = res.body.grantId;
    const grant = await exchange('GET', `/v1/grants/${grantId}`, { token: systemB });
    expect(grant.body).toMatchObject({ status: 'active', consumer: { code: 'hz-rsj' } });
  });

  it('B queries with a purpose: only granted fields, masked, only that district', async () => {
    const res = await exchange('GET', `/v1/grants/${grantId}/records?limit=100`, {
      token: systemB,
      headers: { 'x-purpose': 'SOCIAL_SECURITY' },
    });
    expect(res.status).toBe(200);
    const expected = people.filter((p) => p.district === '西湖区');
    expect(res.body.items).toHaveLength(expected.length);
    for (const item of res.body.items) {
      expect(Object.keys(item).sort()).toEqual(['district', 'id_number', 'mobile', 'name']);
      expect(item.district).toBe('西湖区');
      expect(item.mobile).toMatch(/^138\*{4}\d{4}$/);
      expect(people.map((p) => p.id_number)).not.toContain(item.id_number);
    }
    expect(JSON.stringify(res.body)).not.toMatch(/文三路|上城区/);
    expect(res.headers.get('evidence-receipt')).toBeTruthy();

    // keyset pagination walks the same set
    const first = await exchange('GET', `/v1/grants/${grantId}/records?limit=7`, {
      token: systemB,
      headers: { 'x-purpose': 'SOCIAL_SECURITY' },
    });
    const second = await exchange(
      'GET',
      `/v1/grants/${grantId}/records?limit=100&after=${first.body.nextCursor}`,
      {
        token: systemB,
        headers: { 'x-purpose': 'SOCIAL_SECURITY' },
      },
    );
    expect(first.body.items.length + second.body.items.length).toBe(expected.length);
    expect(second.body.nextCursor).toBeNull();
    // the cursor does not disclose the (pseudonymised) key it continues from
    const cursorText = Buffer.from(first.body.nextCursor, 'base64url').toString('latin1');
    expect(people.some((p) => cursorText.includes(p.id_number))).toBe(false);
    const forged = Buffer.from(JSON.stringify(people[0]!.id_number)).toString('base64url');
    const refused = await exchange('GET', `/v1/grants/${grantId}/records?after=${forged}`, {
      token: systemB,
      headers: { 'x-purpose': 'SOCIAL_SECURITY' },
    });
    expect(refused.status).toBe(400);
  });

  it('refuses a wrong or missing purpose, filters on masked fields, and bad input — never 5xx', async () => {
    const wrong = await exchange('GET', `/v1/grants/${grantId}/records`, {
      token: systemB,
      headers: { 'x-purpose': 'STATISTICS' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.contentType).toMatch(/problem\+json/);
    expect(
      (await exchange('GET', `/v1/grants/${grantId}/records`, { token: systemB })).status,
    ).toBe(400);
    const onMasked = encodeURIComponent(
      JSON.stringify({ field: 'id_number', op: '=', value: people[0]!.id_number }),
    );
    expect(
      (
        await exchange('GET', `/v1/grants/${grantId}/records?filter=${onMasked}`, {
          token: systemB,
          headers: { 'x-purpose': 'SOCIAL_SECURITY' },
        })
      ).status,
    ).toBe(400);
    for (const query of [
      'filter=%7Bnot%20json',
      `filter=${encodeURIComponent(JSON.stringify({ field: 'name', op: 'drop', value: 1 }))}`,
      `filter=${encodeURIComponent(JSON.stringify({ field: "name'; DROP TABLE records; --", op: '=', value: 'x' }))}`,
      'limit=100000',
      'fields=address',
      'after=!!!',
      'unknown=1',
    ]) {
      const res = await exchange('GET', `/v1/grants/${grantId}/records?${query}`, {
        token: systemB,
        headers: { 'x-purpose': 'SOCIAL_SECURITY' },
      });
      expect(res.status, query).toBeGreaterThanOrEqual(400);
      expect(res.status, query).toBeLessThan(500);
      expect(res.contentType, query).toMatch(/problem\+json/);
    }
    const injected = encodeURIComponent(
      JSON.stringify({ field: 'name', op: '=', value: "x' OR '1'='1" }),
    );
    const safe = await exchange('GET', `/v1/grants/${grantId}/records?filter=${injected}`, {
      token: systemB,
      headers: { 'x-purpose': 'SOCIAL_SECURITY' },
    });
    expect(safe.status).toBe(200);
    expect(safe.body.items).toEqual([]);
  });

  it('verify answers match or no match per field without disclosing the record', async () => {
    const person = people.find((p) => p.district === '西湖区')!;
    const res = await exchange('POST', `/v1/grants/${grantId}/verify`, {
      token: systemB,
      headers: { 'x-purpose': 'SOCIAL_SECURITY' },
      body: { key: person.id_number, claims: { name: person.name, mobile: '13900000000' } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      key: person.id_number,
      found: true,
      fields: { name: 'match', mobile: 'no_match' },
    });
    const outside = people.find((p) => p.district === '上城区')!;
    const hidden = await exchange('POST', `/v1/grants/${grantId}/verify`, {
      token: systemB,
      headers: { 'x-purpose': 'SOCIAL_SECURITY' },
      body: { key: outside.id_number, claims: { name: outside.name } },
    });
    expect(hidden.body).toEqual({
      key: outside.id_number,
      found: false,
      fields: { name: 'no_match' },
    });
    const notGranted = await exchange('POST', `/v1/grants/${grantId}/verify`, {
      token: systemB,
      headers: { 'x-purpose': 'SOCIAL_SECURITY' },
      body: { key: person.id_number, claims: { address: person.address } },
    });
    expect(notGranted.status).toBe(400);
  });

  it('a key outside the grant and a key that does not exist answer alike, and both asks are evidence', async () => {
    const outside = people.find((p) => p.district === '上城区')!;
    const ask = (key: string) =>
      exchange('GET', `/v1/grants/${grantId}/records/${key}`, {
        token: systemB,
        headers: { 'x-purpose': 'SOCIAL_SECURITY' },
      });
    const hidden = await ask(outside.id_number);
    const absent = await ask('330106199001019999');
    for (const res of [hidden, absent]) {
      expect(res.status).toBe(404);
      expect(res.contentType).toMatch(/problem\+json/);
      expect(res.headers.get('evidence-receipt')).toBeNull();
    }
    expect(hidden.body.detail).toBe(absent.body.detail);
    const { rows } = await h.db.pool.query(
      `SELECT record_count::int AS record_count, outcome, details, purpose FROM evidence_entries
        WHERE grant_id = $1 AND operation = 'get' ORDER BY seq DESC LIMIT 2`,
      [grantId],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        record_count: 0,
        outcome: 'ok',
        details: { found: false },
        purpose: 'SOCIAL_SECURITY',
      }),
      expect.objectContaining({ record_count: 0, details: { found: false } }),
    ]);
    // the API's own view: the provider sees the probes among the uses of its data
    const seen = await exchange(
      'GET',
      `/v1/evidence/department?side=provided&operation=get&limit=5`,
      { token: await h.token('hz-gaj.steward') },
    );
    expect(seen.status).toBe(200);
    expect(seen.body.items.slice(0, 2)).toEqual([
      expect.objectContaining({ operation: 'get', recordCount: 0, grantId }),
      expect.objectContaining({ operation: 'get', recordCount: 0, grantId }),
    ]);
  });

  it('exports CSV with a BOM, Chinese headers, masked rows of that district only', async () => {
    const res = await fetch(`${h.exchange.base}/v1/grants/${grantId}/export?format=csv`, {
      headers: { authorization: `Bearer ${systemB}`, 'x-purpose': 'SOCIAL_SECURITY' },
    });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('公民身份号码,姓名,手机号码,所属区县');
    expect(lines).toHaveLength(1 + people.filter((p) => p.district === '西湖区').length);
    expect(lines.slice(1).every((l) => l.endsWith(',西湖区') && /138\*{4}\d{4}/.test(l))).toBe(
      true,
    );
  });

  it('every exchange left evidence: receipts verify with the published key and the chain verifies', async () => {
    const res = await exchange('GET', `/v1/grants/${grantId}/records/${people[0]!.id_number}`, {
      token: systemB,
      headers: { 'x-purpose': 'SOCIAL_SECURITY' },
    });
    expect(res.status).toBe(200);
    const jws = res.headers.get('evidence-receipt')!;
    const jwks = (await (
      await fetch(`${h.exchange.base}/.well-known/evidence-keys.json`)
    ).json()) as JSONWebKeySet;
    const { payload } = await compactVerify(jws, createLocalJWKSet(jwks));
    const receipt = JSON.parse(new TextDecoder().decode(payload));
    expect(receipt).toMatchObject({ operation: 'get', resourceCode, grantId, recordCount: 1 });
    expect(decodeProtectedHeader(jws).alg).toBe('EdDSA');
    const tampered = jws.slice(0, -3) + (jws.at(-3) === 'A' ? 'B' : 'A') + jws.slice(-2);
    await expect(compactVerify(tampered, createLocalJWKSet(jwks))).rejects.toThrow();

    const verification = await exchange('GET', '/v1/evidence/verify', {
      token: await h.token('auditor'),
    });
    expect(verification.status).toBe(200);
    expect(verification.body.ok).toBe(true);
    const { rows } = await h.db.pool.query(
      `SELECT operation, count(*)::int AS n FROM evidence_entries GROUP BY operation`,
    );
    const byOperation = Object.fromEntries(rows.map((r) => [r.operation, r.n]));
    expect(byOperation).toMatchObject({ ingest: 3, request: 1, 'grant-change': 1, verify: 2 });
    // the wrong and the missing purpose were refused, and the refusals are evidence too
    expect(byOperation.refusal).toBeGreaterThanOrEqual(2);
    expect(byOperation.query).toBeGreaterThanOrEqual(3);
    expect(byOperation.export).toBe(1);
  });

  it("A revokes; B's very next call is refused", async () => {
    const revoked = await exchange('POST', `/v1/grants/${grantId}/revoke`, {
      token: await h.token('hz-gaj.approver'),
      body: { reason: '用途已完成' },
    });
    expect(revoked.body.status).toBe('revoked');
    const refused = await exchange('GET', `/v1/grants/${grantId}/records`, {
      token: systemB,
      headers: { 'x-purpose': 'SOCIAL_SECURITY' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ type: '/problems/not-allowed', grantStatus: 'revoked' });
  });
});

describe('sharing types and request lifecycle', () => {
  async function publish(overrides: Record<string, unknown>) {
    const steward = await h.token('hz-scjg.steward');
    const created = await catalog('POST', '/v1/resources', {
      token: steward,
      body: {
        name: '企业登记信息',
        abstract: '本市企业的登记注册信息',
        themeCode: 'legal-entity',
        format: 'database',
        sharingType: 'unconditional',
        sharingMethods: ['api'],
        openType: 'open',
        updateCycle: 'daily',
        items: [
          { name: 'uscc', label: '统一社会信用代码', dataType: 'string', isKey: true },
          { name: 'name', label: '企业名称', dataType: 'string' },
        ],
        ...overrides,
      },
    });
    await catalog('POST', `/v1/resources/${created.body.code}/submit`, { token: steward });
    await catalog('POST', `/v1/resources/${created.body.code}/approve`, {
      token: await h.token('hz-dsj.approver'),
    });
    return created.body.code as string;
  }
  const ask = async (resourceCode: string) =>
    exchange('POST', '/v1/sharing-requests', {
      token: await h.token('hz-gaj.steward'),
      body: {
        resourceCode,
        purposeCodes: ['LAW_ENFORCEMENT'],
        purposeText: '案件办理核查企业信息',
        legalBasisText: '《行政处罚法》',
        deliveryModes: ['query'],
      },
    });

  it('无条件共享 is granted at once and recorded', async () => {
    const res = await ask(await publish({}));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'approved', decidedBy: 'system' });
    expect(res.body.grantId).toBeTruthy();
    // decided the instant it was filed, never dated before it
    expect(res.body.decidedAt).toBe(res.body.createdAt);
  });

  it('不予共享 is refused with the legal basis, and the refusal is kept', async () => {
    const code = await publish({
      name: '涉密企业名录',
      sharingType: 'none',
      sharingMethods: [],
      sharingLegalBasis: '《保守国家秘密法》第二十八条',
      openType: 'none',
    });
    const res = await ask(code);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ sharingLegalBasis: '《保守国家秘密法》第二十八条' });
    const mine = await exchange('GET', '/v1/sharing-requests?status=refused', {
      token: await h.token('hz-gaj.steward'),
    });
    expect(
      mine.body.items.some((r: { resource: { code: string } }) => r.resource.code === code),
    ).toBe(true);
  });

  it('有条件共享: reject needs a reason; withdraw only while pending; suspend and resume', async () => {
    const code = await publish({
      name: '企业年报信息',
      sharingType: 'conditional',
      sharingConditions: '依职能申请',
      openType: 'none',
    });
    const approver = await h.token('hz-scjg.approver');
    const first = await ask(code);
    expect(
      (
        await exchange('POST', `/v1/sharing-requests/${first.body.id}/reject`, {
          token: approver,
          body: {},
        })
      ).status,
    ).toBe(400);
    const rejected = await exchange('POST', `/v1/sharing-requests/${first.body.id}/reject`, {
      token: approver,
      body: { reason: '用途与职能不符' },
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionReason: '用途与职能不符' });
    expect(
      (
        await exchange('POST', `/v1/sharing-requests/${first.body.id}/withdraw`, {
          token: await h.token('hz-gaj.steward'),
        })
      ).status,
    ).toBe(409);

    const second = await ask(code);
    const approved = await exchange('POST', `/v1/sharing-requests/${second.body.number}/approve`, {
      token: approver,
      body: { validUntil: '2099-01-01T00:00:00+08:00' },
    });
    const grant = approved.body.grantId;
    const suspended = await exchange('POST', `/v1/grants/${grant}/suspend`, {
      token: approver,
      body: { reason: '核查中' },
    });
    expect(suspended.body.status).toBe('suspended');
    const again = await exchange('POST', `/v1/grants/${grant}/suspend`, {
      token: approver,
      body: { reason: '再次' },
    });
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('授权当前已暂停，不能暂停');
    expect(
      (await exchange('POST', `/v1/grants/${grant}/resume`, { token: approver })).body.status,
    ).toBe('active');
    // the consumer cannot change the grant; a third department cannot see it
    expect(
      (
        await exchange('POST', `/v1/grants/${grant}/revoke`, {
          token: await h.token('hz-gaj.steward'),
          body: { reason: 'x' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await exchange('GET', `/v1/grants/${grant}`, { token: await h.token('hz-mzj.steward') }))
        .status,
    ).toBe(404);
  });

  it('有条件共享: the grant lasts the requested period unless narrowed, never longer, never already over', async () => {
    const code = await publish({
      name: '企业抽查结果',
      sharingType: 'conditional',
      sharingConditions: '依职能申请',
      openType: 'none',
    });
    const approver = await h.token('hz-scjg.approver');
    /** a date `days` from today in China Standard Time */
    const day = (days: number) =>
      new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
    const askFor = async (period: Record<string, string>) =>
      exchange('POST', '/v1/sharing-requests', {
        token: await h.token('hz-gaj.steward'),
        body: {
          resourceCode: code,
          purposeCodes: ['LAW_ENFORCEMENT'],
          purposeText: '案件办理核查企业信息',
          legalBasisText: '《行政处罚法》',
          deliveryModes: ['query'],
          ...period,
        },
      });
    // a period already over cannot be asked for
    const over = await askFor({ periodEnd: day(-1) });
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([
      { path: '/periodEnd', message: expect.stringContaining('已过') },
    ]);

    const asked = (await askFor({ periodStart: day(0), periodEnd: day(30) })).body;
    // an approval that ends later than asked, or that is over already, is refused — not a 500
    const longer = await exchange('POST', `/v1/sharing-requests/${asked.id}/approve`, {
      token: approver,
      body: { validUntil: `${day(400)}T00:00:00+08:00` },
    });
    expect(longer.status).toBe(400);
    expect(longer.body.errors).toEqual([
      { path: '/validUntil', message: expect.stringContaining(`至 ${day(30)}`) },
    ]);
    const past = await exchange('POST', `/v1/sharing-requests/${asked.id}/approve`, {
      token: approver,
      body: { validUntil: '2026-01-01T00:00:00Z' },
    });
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([
      { path: '/validUntil', message: expect.stringContaining('已过') },
    ]);
    // approved as asked: valid for the requested period
    const approved = await exchange('POST', `/v1/sharing-requests/${asked.id}/approve`, {
      token: approver,
      body: {},
    });
    expect(approved.status).toBe(200);
    const grant = await exchange('GET', `/v1/grants/${approved.body.grantId}`, {
      token: approver,
    });
    expect(Date.parse(grant.body.validUntil)).toBe(Date.parse(`${day(30)}T23:59:59+08:00`));
    expect(Date.parse(grant.body.validFrom)).toBe(Date.parse(`${day(0)}T00:00:00+08:00`));
  });
});
afterAll(() => {
  const errors = h?.logs.lines().filter((l) => l.msg === 'unhandled error') ?? [];
  if (errors.length) process.stderr.write(`${JSON.stringify(errors[0]?.err).slice(0, 1200)}\n`);
});
