import { openApiSpecPath } from '@gx/schemas';
import { expectResponseMatchesSpec } from '@gx/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantedPeopleResource, type GrantedResource } from './fixtures.ts';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
const exchange = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.exchange.base, method, path, options);
const SPEC = openApiSpecPath('exchange-api');

/** A call whose answer must be one the spec declares for `template` (status, media type, body). */
async function specCall(
  method: string,
  path: string,
  template: string,
  options: { token?: string; body?: unknown } = {},
) {
  const res = await fetch(`${h.exchange.base}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const receipt = res.headers.get('evidence-receipt');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const body = (await expectResponseMatchesSpec(SPEC, method, template, res)) as any;
  return { status: res.status, body, receipt };
}

const problemPaths = (body: { errors?: { path: string; message: string }[] }) =>
  (body.errors ?? []).map((e) => e.path);

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('a consumer department objects to a record under its grant', () => {
  let people: GrantedResource['people'];
  let resourceCode: string;
  let grantId: string;
  let objectionId: string;
  let consumer: string;
  let steward: string;

  beforeAll(async () => {
    // hz-rsj is granted id_number, name, mobile (masked) and district, only for 西湖区
    ({ people, resourceCode, grantId } = await grantedPeopleResource(h, {
      masks: { mobile: { kind: 'keep_first_last', first: 3, last: 4 } },
      rowFilter: { field: 'district', op: '=', value: '西湖区' },
    }));
    consumer = await h.systemToken('hz-rsj-system');
    steward = await h.token('hz-gaj.steward');
  });

  const raise = (body: Record<string, unknown>, token = consumer) =>
    exchange('POST', '/v1/objections', {
      token,
      body: { resourceCode, description: '手机号码已停用', ...body },
    });

  it('the consumer system raises one on a field of a record it sees', async () => {
    const res = await specCall('POST', '/v1/objections', '/v1/objections', {
      token: consumer,
      body: {
        resourceCode,
        recordKey: people[0]!.id_number,
        fields: ['mobile'],
        description: '该居民的手机号码已于本年停用，社保经办时无法联系',
        claimedValues: { mobile: '13900139000' },
        evidenceLinks: ['https://example.gov.cn/evidence/123'],
      },
    });
    expect(res.status).toBe(201);
    expect(res.receipt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(res.body).toMatchObject({
      number: expect.stringMatching(/^YY\d{14}$/),
      resource: { code: resourceCode },
      provider: { code: 'hz-gaj' },
      recordKey: people[0]!.id_number,
      fields: ['mobile'],
      claimedValues: { mobile: '13900139000' },
      raiser: { department: { code: 'hz-rsj' }, kind: 'system' },
      grantId,
      state: 'open',
      stateLabel: '待处理',
      overdue: false,
      answer: null,
    });
    expect(new Date(res.body.dueAt).getTime()).toBeGreaterThan(Date.now() + 4 * 86_400_000);
    expect(res.body.history).toMatchObject([{ seq: 1, event: 'raised', toState: 'open' }]);
    objectionId = res.body.id;
  });

  it('refuses fields outside the grant, unknown fields and rows the grant does not show', async () => {
    const outside = await raise({ fields: ['address'] });
    expect(outside.status).toBe(400);
    expect(outside.contentType).toMatch(/problem\+json/);
    expect(outside.body.errors).toEqual([
      { path: '/fields/0', message: expect.stringContaining('授权不包含信息项 address') },
    ]);

    const unknown = await raise({ fields: ['mobile', 'nickname'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { path: '/fields/1', message: '资源没有信息项 nickname' },
    ]);

    // people[1] lives in 上城区: outside the row filter, as absent as a key that does not exist
    for (const recordKey of [people[1]!.id_number, '330106199001019999']) {
      const hidden = await raise({ recordKey, fields: ['mobile'] });
      expect(hidden.status).toBe(400);
      expect(hidden.body.errors).toEqual([
        { path: '/recordKey', message: `没有主键为 ${recordKey} 的记录` },
      ]);
    }

    const unlisted = await raise({ fields: ['mobile'], claimedValues: { name: '张三' } });
    expect(problemPaths(unlisted.body)).toEqual(['/claimedValues/name']);

    const malformed = await raise({ fields: ['Mobile!'], evidenceLinks: ['javascript:alert(1)'] });
    expect(malformed.status).toBe(400);
    expect(malformed.contentType).toMatch(/problem\+json/);
  });

  it('lets only departments with a grant, never the provider itself, raise', async () => {
    const noGrant = await raise({}, await h.systemToken('hz-mzj-system'));
    expect(noGrant.status).toBe(403);
    expect(noGrant.body.detail).toBe('本部门没有该资源的有效授权，不能提出异议');
    const own = await raise({}, await h.systemToken('hz-gaj-system'));
    expect(own.status).toBe(409);
    // an approver of the consumer department does not speak for it here; a stranger is unknown
    expect((await raise({}, await h.token('hz-rsj.approver'))).status).toBe(403);
    expect((await raise({}, '')).status).toBe(401);
    // a developer does not see a resource that is not open
    expect((await raise({}, await h.token('developer'))).status).toBe(404);
  });

  it("the provider's steward finds it in the inbox; only the steward may answer", async () => {
    const inbox = await specCall(
      'GET',
      '/v1/objections?side=provider&state=open',
      '/v1/objections',
      { token: steward },
    );
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((o: { id: string }) => o.id)).toContain(objectionId);
    const mine = await exchange('GET', '/v1/objections?side=raiser', { token: consumer });
    expect(mine.body).toMatchObject({ total: 1, page: 1, items: [{ id: objectionId }] });
    // the provider raised nothing; the consumer is owed nothing
    const raisedByProvider = await exchange('GET', '/v1/objections?side=raiser', {
      token: steward,
    });
    expect(raisedByProvider.body.total).toBe(0);
    expect(
      (await exchange('GET', '/v1/objections?side=provider', { token: consumer })).body.total,
    ).toBe(0);

    for (const token of [consumer, await h.token('hz-gaj.approver')]) {
      const res = await exchange('POST', `/v1/objections/${objectionId}/answer`, {
        token,
        body: { decision: 'accept' },
      });
      expect(res.status).toBe(403);
    }
  });

  it('refuses steps the state does not allow with 409', async () => {
    for (const [path, token] of [
      ['correct', steward],
      ['close', consumer],
      ['reopen', consumer],
    ] as const) {
      const res = await exchange('POST', `/v1/objections/${objectionId}/${path}`, {
        token,
        body: { comment: '理由' },
      });
      expect(res.status, path).toBe(409);
      expect(res.contentType).toMatch(/problem\+json/);
      expect(res.body.detail).toContain('异议当前为「待处理」');
    }
  });

  it('the steward accepts; marking corrected waits until the record changed', async () => {
    const accepted = await specCall(
      'POST',
      `/v1/objections/${objectionId}/answer`,
      '/v1/objections/{id}/answer',
      { token: steward, body: { decision: 'accept', reply: '已核实，将于近日更正' } },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.receipt).toBeTruthy();
    expect(accepted.body).toMatchObject({
      state: 'accepted',
      stateLabel: '已受理',
      answer: { decision: 'accepted', reply: '已核实，将于近日更正' },
    });
    const again = await exchange('POST', `/v1/objections/${objectionId}/answer`, {
      token: steward,
      body: { decision: 'reject', reply: '改主意了' },
    });
    expect(again.status).toBe(409);

    const early = await exchange('POST', `/v1/objections/${objectionId}/correct`, {
      token: steward,
    });
    expect(early.status).toBe(409);
    expect(early.body.detail).toBe('该记录自异议提出后没有更新，请先更正数据再标记已更正');

    const fixed = await exchange('POST', `/v1/resources/${resourceCode}/records`, {
      token: await h.systemToken('hz-gaj-system'),
      body: { records: [{ ...people[0], mobile: '13900139000' }] },
    });
    expect(fixed.body).toMatchObject({ accepted: 1, rejected: 0 });
    const corrected = await specCall(
      'POST',
      `/v1/objections/${objectionId}/correct`,
      '/v1/objections/{id}/correct',
      { token: steward, body: { comment: '已按户籍登记更正手机号码' } },
    );
    expect(corrected.status).toBe(200);
    expect(corrected.body.state).toBe('corrected');

    // the consumer sees the fixed value through its grant (masked as granted)
    const record = await exchange('GET', `/v1/grants/${grantId}/records/${people[0]!.id_number}`, {
      token: consumer,
      headers: { 'x-purpose': 'SOCIAL_SECURITY' },
    });
    expect(record.body.mobile).toBe('139****9000');
  });

  it('the consumer closes it; both parties see the same history, in order', async () => {
    const closed = await exchange('POST', `/v1/objections/${objectionId}/close`, {
      token: consumer,
      body: { comment: '已核对，确认更正' },
    });
    expect(closed.status).toBe(200);
    expect(closed.body.state).toBe('closed');
    for (const step of ['close', 'reopen', 'withdraw']) {
      const res = await exchange('POST', `/v1/objections/${objectionId}/${step}`, {
        token: consumer,
        body: { comment: '再看看' },
      });
      expect(res.status, step).toBe(409);
    }

    const asRaiser = await specCall('GET', `/v1/objections/${objectionId}`, '/v1/objections/{id}', {
      token: consumer,
    });
    const asProvider = await specCall(
      'GET',
      `/v1/objections/${objectionId}`,
      '/v1/objections/{id}',
      { token: steward },
    );
    expect(asRaiser.status).toBe(200);
    expect(asProvider.body).toEqual(asRaiser.body);
    expect(
      asRaiser.body.history.map(
        (e: { seq: number; event: string; fromState: string | null; toState: string }) => [
          e.seq,
          e.event,
          e.fromState,
          e.toState,
        ],
      ),
    ).toEqual([
      [1, 'raised', null, 'open'],
      [2, 'accepted', 'open', 'accepted'],
      [3, 'corrected', 'accepted', 'corrected'],
      [4, 'closed', 'corrected', 'closed'],
    ]);
    expect(asRaiser.body.history.map((e: { actor: string }) => e.actor)).toEqual([
      'system:hz-rsj-system@hz-rsj',
      'user:hz-gaj.steward@hz-gaj',
      'user:hz-gaj.steward@hz-gaj',
      'system:hz-rsj-system@hz-rsj',
    ]);
    expect(asRaiser.body.history[1].comment).toBe('已核实，将于近日更正');
    expect(asRaiser.body.revision).toBe(4);
    // the number finds it as well as the id
    const byNumber = await exchange('GET', `/v1/objections/${asRaiser.body.number}`, {
      token: consumer,
    });
    expect(byNumber.body.id).toBe(objectionId);
  });

  it('is unknown to a third department and to developers; the data authority sees it', async () => {
    for (const token of [
      await h.token('hz-mzj.steward'),
      await h.systemToken('hz-mzj-system'),
      await h.token('developer'),
    ]) {
      const res = await exchange('GET', `/v1/objections/${objectionId}`, { token });
      expect(res.status).toBe(404);
      expect(res.contentType).toMatch(/problem\+json/);
      expect((await exchange('GET', '/v1/objections', { token })).body.items).toEqual([]);
      const step = await exchange('POST', `/v1/objections/${objectionId}/reopen`, {
        token,
        body: { comment: '理由' },
      });
      expect(step.status).toBe(404);
    }
    for (const name of ['hz-dsj.approver', 'auditor']) {
      const token = await h.token(name);
      expect((await exchange('GET', `/v1/objections/${objectionId}`, { token })).status).toBe(200);
      const all = await exchange('GET', '/v1/objections', { token });
      expect(all.body.items.map((o: { id: string }) => o.id)).toContain(objectionId);
      // seeing is not answering
      const answer = await exchange('POST', `/v1/objections/${objectionId}/answer`, {
        token,
        body: { decision: 'reject', reply: '不是你的' },
      });
      expect(answer.status).toBe(403);
    }
  });

  it('every step is evidence, in order', async () => {
    const res = await exchange('GET', '/v1/evidence?operation=objection&limit=200', {
      token: await h.token('auditor'),
    });
    expect(res.status).toBe(200);
    const steps = (
      res.body.items as { department: string; details: Record<string, unknown>; seq: string }[]
    )
      .filter((e) => e.details.objectionId === objectionId)
      .sort((a, b) => Number(a.seq) - Number(b.seq))
      .map((e) => [e.details.event, e.department]);
    expect(steps).toEqual([
      ['raised', 'hz-rsj'],
      ['accepted', 'hz-gaj'],
      ['corrected', 'hz-gaj'],
      ['closed', 'hz-rsj'],
    ]);
  });
});

describe('a developer objects to open data', () => {
  let resourceCode: string;
  let objectionId: string;
  let developer: string;
  let steward: string;
  const companies = [
    {
      uscc: '91330106MA2B000001',
      name: '杭州甲科技有限公司',
      legal_person: '张三',
      address: '西湖区文三路1号',
    },
    {
      uscc: '91330106MA2B000002',
      name: '杭州乙贸易有限公司',
      legal_person: '李四',
      address: '西湖区文二路2号',
    },
  ];

  beforeAll(async () => {
    steward = await h.token('hz-scjg.steward');
    const created = await call(h.catalog.base, 'POST', '/v1/resources', {
      token: steward,
      body: {
        name: '企业登记信息（开放）',
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
          { name: 'legal_person', label: '法定代表人', dataType: 'string', isPersonal: true },
          { name: 'address', label: '住所', dataType: 'string' },
        ],
      },
    });
    resourceCode = created.body.code;
    await call(h.catalog.base, 'POST', `/v1/resources/${resourceCode}/submit`, { token: steward });
    await call(h.catalog.base, 'POST', `/v1/resources/${resourceCode}/approve`, {
      token: await h.token('hz-dsj.approver'),
    });
    const ingested = await exchange('POST', `/v1/resources/${resourceCode}/records`, {
      token: await h.systemToken('hz-scjg-system'),
      body: { records: companies },
    });
    expect(ingested.body.accepted).toBe(2);
    developer = await h.token('developer');
  });

  it('raises one on a field the open data shows, not on personal information', async () => {
    const hidden = await exchange('POST', '/v1/objections', {
      token: developer,
      body: { resourceCode, fields: ['legal_person'], description: '法定代表人已变更' },
    });
    expect(hidden.status).toBe(400);
    expect(hidden.body.errors).toEqual([
      { path: '/fields/0', message: '开放数据不包含信息项 legal_person' },
    ]);

    const res = await specCall('POST', '/v1/objections', '/v1/objections', {
      token: developer,
      body: {
        resourceCode,
        recordKey: companies[0]!.uscc,
        fields: ['address'],
        description: '该企业已迁址，住所信息过期',
        claimedValues: { address: '滨江区江南大道100号' },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      provider: { code: 'hz-scjg' },
      raiser: { department: null, kind: 'developer', by: 'developer:developer' },
      grantId: null,
      state: 'open',
    });
    objectionId = res.body.id;
    const mine = await exchange('GET', '/v1/objections?side=raiser', { token: developer });
    expect(mine.body.items.map((o: { id: string }) => o.id)).toEqual([objectionId]);
  });

  it('a rejection needs a reason; so does reopening, which restarts the answer time', async () => {
    const bare = await exchange('POST', `/v1/objections/${objectionId}/answer`, {
      token: steward,
      body: { decision: 'reject', reply: '  ' },
    });
    expect(bare.status).toBe(400);
    expect(problemPaths(bare.body)).toEqual(['/comment']);
    expect(bare.body.detail).toBe('请说明驳回理由');
    const rejected = await exchange('POST', `/v1/objections/${objectionId}/answer`, {
      token: steward,
      body: { decision: 'reject', reply: '登记机关记录的住所未变更，请先办理变更登记' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      state: 'rejected',
      answer: { decision: 'rejected', reply: '登记机关记录的住所未变更，请先办理变更登记' },
    });

    expect(
      (await exchange('POST', `/v1/objections/${objectionId}/reopen`, { token: developer })).status,
    ).toBe(400);
    const reopened = await exchange('POST', `/v1/objections/${objectionId}/reopen`, {
      token: developer,
      body: { comment: '已于上月办理变更登记，附营业执照' },
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ state: 'reopened', stateLabel: '重新打开' });
    expect(new Date(reopened.body.dueAt).getTime()).toBeGreaterThan(
      new Date(rejected.body.dueAt).getTime(),
    );
  });

  it('shows an answer past its due time as overdue to both parties', async () => {
    await h.db.pool.query(`UPDATE objections SET due_at = now() - interval '1 day' WHERE id = $1`, [
      objectionId,
    ]);
    const seen = await exchange('GET', `/v1/objections/${objectionId}`, { token: developer });
    expect(seen.body.overdue).toBe(true);
    // the provider's staff see who answered by name; a member of the public is not told it
    const provider = await exchange('GET', `/v1/objections/${objectionId}`, { token: steward });
    expect(provider.body.answer.byName).toEqual(expect.any(String));
    expect(seen.body.answer).toMatchObject({ decision: 'rejected', byName: null });
    expect(seen.body.history.map((e: { actorName: unknown }) => e.actorName)).toEqual(
      seen.body.history.map(() => null),
    );
    const overdue = await specCall(
      'GET',
      '/v1/objections?side=provider&overdue=true',
      '/v1/objections',
      { token: steward },
    );
    expect(
      overdue.body.items.map((o: { id: string; overdue: boolean }) => [o.id, o.overdue]),
    ).toEqual([[objectionId, true]]);
    const onTime = await exchange('GET', '/v1/objections?side=provider&overdue=false', {
      token: steward,
    });
    expect(onTime.body.total).toBe(0);
  });

  it("the developer's API key acts for its owner: it sees and withdraws the objection", async () => {
    const created = await exchange('POST', '/v1/api-keys', {
      token: developer,
      body: { name: '异议测试' },
    });
    expect(created.status).toBe(201);
    const headers = { 'x-api-key': created.body.key as string };
    const seen = await exchange('GET', `/v1/objections/${objectionId}`, { headers });
    expect(seen.status).toBe(200);
    const withdrawn = await exchange('POST', `/v1/objections/${objectionId}/withdraw`, {
      headers,
      body: { comment: '已自行联系登记机关' },
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', overdue: false });
    expect(withdrawn.body.history.at(-1)).toMatchObject({
      event: 'withdrawn',
      actorKind: 'api-key',
      department: null,
    });
    // the provider cannot take the raiser's steps
    const byProvider = await exchange('POST', `/v1/objections/${objectionId}/close`, {
      token: steward,
    });
    expect(byProvider.status).toBe(403);
  });

  it('answers nonsense ids and parameters with 4xx problem+json', async () => {
    for (const path of [
      '/v1/objections/not-an-id',
      `/v1/objections/${'-'.repeat(36)}`,
      '/v1/objections/00000000-0000-4000-8000-000000000000',
      '/v1/objections?side=everyone',
      '/v1/objections?pageSize=1000',
      '/v1/objections?overdue=maybe',
      `/v1/objections?resource=${encodeURIComponent("' OR '1'='1")}`,
      `/v1/objections?state=${encodeURIComponent('<script>')}`,
      `/v1/objections/YY${'9'.repeat(30)}`,
    ]) {
      const res = await exchange('GET', path, { token: developer });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(res.contentType, path).toMatch(/problem\+json/);
    }
    // NUL and lone surrogates cannot be stored as text: refused, never a 5xx
    for (const body of [
      { description: '含有\u0000控制字符' },
      { recordKey: 'x\u0000y' },
      { fields: ['address'], claimedValues: { address: '\u0000' } },
      { fields: ['address'], claimedValues: { address: '\ud800' } },
      { description: '孤立代理项\udc00' },
    ]) {
      const res = await exchange('POST', '/v1/objections', {
        token: developer,
        body: { resourceCode, description: '地址有误', ...body },
      });
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
    }
    const wrongDecision = await exchange('POST', `/v1/objections/${objectionId}/answer`, {
      token: steward,
      body: { decision: 'maybe' },
    });
    expect(wrongDecision.status).toBe(400);
  });
});

describe('the provider corrects the disputed record from the objection (更正记录)', () => {
  let people: GrantedResource['people'];
  let resourceCode: string;
  let grantId: string;
  let objectionId: string;
  let consumer: string;
  let steward: string;
  const purpose = { 'x-purpose': 'SOCIAL_SECURITY' };
  const correct = (body: unknown, token = steward, id = objectionId) =>
    exchange('POST', `/v1/objections/${id}/record`, { token, body });
  const stored = async (key: string) =>
    (
      await h.db.pool.query<{ data: Record<string, unknown>; change_seq: string }>(
        `SELECT data, change_seq FROM records r JOIN resources s ON s.id = r.resource_id
          WHERE s.code = $1 AND r.record_key = $2`,
        [resourceCode, key],
      )
    ).rows[0]!;

  beforeAll(async () => {
    // hz-rsj sees mobile masked: it must see the correction masked the same way
    ({ people, resourceCode, grantId } = await grantedPeopleResource(h, {
      masks: { mobile: { kind: 'keep_first_last', first: 3, last: 4 } },
    }));
    consumer = await h.systemToken('hz-rsj-system');
    steward = await h.token('hz-gaj.steward');
    const raised = await exchange('POST', '/v1/objections', {
      token: consumer,
      body: {
        resourceCode,
        recordKey: people[0]!.id_number,
        fields: ['mobile'],
        description: '手机号码已停用',
        claimedValues: { mobile: '13900139000' },
      },
    });
    expect(raised.status).toBe(201);
    objectionId = raised.body.id;
  });

  it('shows the steward the disputed fields with their present values, and no one else', async () => {
    const read = await specCall(
      'GET',
      `/v1/objections/${objectionId}/record`,
      '/v1/objections/{id}/record',
      { token: steward },
    );
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      recordKey: people[0]!.id_number,
      fields: [
        {
          name: 'mobile',
          label: '手机号码',
          type: 'string',
          required: false,
          value: people[0]!.mobile,
        },
      ],
    });
    const byRaiser = await exchange('GET', `/v1/objections/${objectionId}/record`, {
      token: consumer,
    });
    expect(byRaiser.status).toBe(403);
    expect(byRaiser.contentType).toMatch(/problem\+json/);
    const stranger = await exchange('GET', `/v1/objections/${objectionId}/record`, {
      token: await h.token('hz-mzj.steward'),
    });
    expect(stranger.status).toBe(404);
  });

  it('refuses a correction before the objection is accepted (409)', async () => {
    const early = await correct({ values: { mobile: '13900139000' } });
    expect(early.status).toBe(409);
    expect(early.contentType).toMatch(/problem\+json/);
    expect(early.body.detail).toContain('异议当前为「待处理」');
    expect((await stored(people[0]!.id_number)).data.mobile).toBe(people[0]!.mobile);
    const accepted = await exchange('POST', `/v1/objections/${objectionId}/answer`, {
      token: steward,
      body: { decision: 'accept', reply: '已核实，将更正' },
    });
    expect(accepted.body.state).toBe('accepted');
  });

  it('lets only the provider’s steward correct (403 for the raiser and the provider’s approver)', async () => {
    for (const token of [consumer, await h.token('hz-gaj.approver'), await h.token('auditor')]) {
      const res = await correct({ values: { mobile: '13900139000' } }, token);
      expect(res.status).toBe(403);
      expect(res.contentType).toMatch(/problem\+json/);
    }
    expect(
      (await correct({ values: { mobile: '13900139000' } }, await h.token('hz-mzj.steward')))
        .status,
    ).toBe(404);
    expect((await stored(people[0]!.id_number)).data.mobile).toBe(people[0]!.mobile);
  });

  it('refuses values the record schema or the objection does not allow (422, by field)', async () => {
    const wrongType = await specCall(
      'POST',
      `/v1/objections/${objectionId}/record`,
      '/v1/objections/{id}/record',
      { token: steward, body: { values: { mobile: 13900139000 } } },
    );
    expect(wrongType.status).toBe(422);
    expect(wrongType.body).toMatchObject({
      type: '/problems/unprocessable',
      detail: '更正后的记录不符合资源的记录结构',
      errors: [{ path: '/values/mobile', message: '应为字符串' }],
    });
    const undisputed = await correct({ values: { mobile: '13900139000', name: '张三' } });
    expect(undisputed.status).toBe(422);
    expect(problemPaths(undisputed.body)).toEqual(['/values/name']);
    const key = await correct({ values: { mobile: '13900139000', id_number: '1' } });
    expect(problemPaths(key.body)).toEqual(['/values/id_number']);
    const unchanged = await correct({ values: { mobile: people[0]!.mobile } });
    expect(unchanged.status).toBe(422);
    expect(unchanged.body.detail).toBe('更正后的值与当前记录相同，没有需要更正的内容');
    // the spec refuses an empty correction before the domain sees it
    expect((await correct({ values: {} })).status).toBe(400);
    const after = await exchange('GET', `/v1/objections/${objectionId}`, { token: steward });
    expect(after.body).toMatchObject({ state: 'accepted', correction: null });
    expect((await stored(people[0]!.id_number)).data.mobile).toBe(people[0]!.mobile);
  });

  it('corrects the record, as ingestion writes it, and the objection becomes 已更正', async () => {
    const before = await stored(people[0]!.id_number);
    const res = await specCall(
      'POST',
      `/v1/objections/${objectionId}/record`,
      '/v1/objections/{id}/record',
      { token: steward, body: { values: { mobile: '13900139000' }, comment: '已按户籍登记更正' } },
    );
    expect(res.status).toBe(200);
    expect(res.receipt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(res.body).toMatchObject({
      state: 'corrected',
      stateLabel: '已更正',
      correction: {
        by: 'user:hz-gaj.steward@hz-gaj',
        // the corrector by name (users table), not only by account
        byName: '李静',
        comment: '已按户籍登记更正',
        changes: [{ field: 'mobile', before: people[0]!.mobile, after: '13900139000' }],
      },
    });
    expect(res.body.history.at(-1)).toMatchObject({
      event: 'corrected',
      fromState: 'accepted',
      toState: 'corrected',
      actor: 'user:hz-gaj.steward@hz-gaj',
      actorName: '李静',
    });
    // as every step of the thread: who accepted it is named too, a system raiser is not a person
    expect(res.body.answer).toMatchObject({ decision: 'accepted', byName: '李静' });
    expect(res.body.history[0]).toMatchObject({ event: 'raised', actorName: null });
    const after = await stored(people[0]!.id_number);
    expect(after.data).toEqual({ ...people[0], mobile: '13900139000' });
    // a new change_seq: the change feed and subscriptions see it as an ingested change
    expect(BigInt(after.change_seq)).toBeGreaterThan(BigInt(before.change_seq));

    // the consumer reads the corrected record under its grant (masked as granted)
    const record = await exchange('GET', `/v1/grants/${grantId}/records/${people[0]!.id_number}`, {
      token: consumer,
      headers: purpose,
    });
    expect(record.status).toBe(200);
    expect(record.body.mobile).toBe('139****9000');
  });

  it('the raiser sees old → new as its grant shows them', async () => {
    const seen = await specCall('GET', `/v1/objections/${objectionId}`, '/v1/objections/{id}', {
      token: consumer,
    });
    expect(seen.body.correction).toMatchObject({
      by: 'user:hz-gaj.steward@hz-gaj',
      byName: '李静',
      changes: [
        {
          field: 'mobile',
          before: `${people[0]!.mobile.slice(0, 3)}****${people[0]!.mobile.slice(-4)}`,
          after: '139****9000',
        },
      ],
    });
    const listed = await exchange('GET', '/v1/objections?side=raiser&state=corrected', {
      token: consumer,
    });
    const item = listed.body.items.find((o: { id: string }) => o.id === objectionId);
    expect(item.correction.changes).toEqual(seen.body.correction.changes);
    expect(item.correction.byName).toBe('李静');
  });

  it('a repeat with the same values changes nothing; other values are a 409', async () => {
    const first = await exchange('GET', `/v1/objections/${objectionId}`, { token: steward });
    const seqBefore = (await stored(people[0]!.id_number)).change_seq;
    const repeat = await correct({
      values: { mobile: '13900139000' },
      comment: '已按户籍登记更正',
    });
    expect(repeat.status).toBe(200);
    expect(repeat.headers.get('evidence-receipt')).toBeNull();
    expect(repeat.body.revision).toBe(first.body.revision);
    expect(repeat.body.history).toHaveLength(first.body.history.length);
    expect((await stored(people[0]!.id_number)).change_seq).toBe(seqBefore);
    const other = await correct({ values: { mobile: '13700137000' } });
    expect(other.status).toBe(409);
    expect(other.body.detail).toContain('异议当前为「已更正」');
  });

  it('is one evidence entry naming the fields and digests, never the values; the chain verifies', async () => {
    const auditor = await h.token('auditor');
    const res = await exchange('GET', '/v1/evidence?operation=objection&limit=200', {
      token: auditor,
    });
    const corrections = (
      res.body.items as { details: Record<string, unknown>; recordCount: number }[]
    ).filter((e) => e.details.objectionId === objectionId && e.details.event === 'corrected');
    expect(corrections).toHaveLength(1);
    expect(corrections[0]).toMatchObject({
      recordCount: 1,
      details: {
        from: 'accepted',
        to: 'corrected',
        correction: {
          fields: ['mobile'],
          before: expect.stringMatching(/^[0-9a-f]{64}$/),
          after: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      },
    });
    expect(JSON.stringify(corrections[0])).not.toContain('13900139000');
    expect(JSON.stringify(corrections[0])).not.toContain(people[0]!.mobile);
    const verification = await exchange('GET', '/v1/evidence/verify', { token: auditor });
    expect(verification.status).toBe(200);
    expect(verification.body.ok).toBe(true);
  });

  it('refuses an objection that names no record (409)', async () => {
    const raised = await exchange('POST', '/v1/objections', {
      token: consumer,
      body: { resourceCode, fields: ['district'], description: '区划名称有误' },
    });
    expect(raised.status).toBe(201);
    await exchange('POST', `/v1/objections/${raised.body.id}/answer`, {
      token: steward,
      body: { decision: 'accept' },
    });
    const res = await correct({ values: { district: '西湖区' } }, steward, raised.body.id);
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe('该异议没有指明记录（主键），不能在此更正记录');
  });
});
