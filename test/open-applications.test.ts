// 开放申请 end to end through the real services: a developer applies for 有条件开放 data, the
// provider department approves or rejects through the API, the applicant claims the key once and
// reads the data with it; keys made any other way never reach the resource.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, hashPassword } from '@gx/platform';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
const catalog = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.catalog.base, method, path, options);
const exchange = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.exchange.base, method, path, options);
const withKey = (key: string) => ({ headers: { 'x-api-key': key } });

const readings = Array.from({ length: 12 }, (_, i) => ({
  reading_id: `R${String(i + 1).padStart(4, '0')}`,
  station: i % 2 === 0 ? '西溪' : '滨江',
  aqi: 30 + i,
}));

/** A published resource of 杭州市公安局 (hz-gaj) with a few records. */
async function publish(name: string, openType: 'open' | 'conditional' | 'none') {
  const steward = await h.token('hz-gaj.steward');
  const created = await catalog('POST', '/v1/resources', {
    token: steward,
    body: {
      name,
      abstract: `${name}（开放申请测试）`,
      themeCode: 'environment',
      format: 'database',
      sharingType: 'unconditional',
      sharingMethods: ['api'],
      updateCycle: 'daily',
      openType,
      ...(openType === 'conditional' ? { openConditions: '须提交开放申请，经提供部门同意' } : {}),
      items: [
        { name: 'reading_id', label: '监测记录编号', dataType: 'string', isKey: true },
        { name: 'station', label: '监测站点', dataType: 'string' },
        { name: 'aqi', label: '空气质量指数', dataType: 'integer' },
      ],
    },
  });
  expect(created.status).toBe(201);
  const code = created.body.code as string;
  await catalog('POST', `/v1/resources/${code}/submit`, { token: steward });
  const approved = await catalog('POST', `/v1/resources/${code}/approve`, {
    token: await h.token('hz-dsj.approver'),
  });
  expect(approved.body.status).toBe('published');
  const pushed = await exchange('POST', `/v1/resources/${code}/records`, {
    token: await h.systemToken('hz-gaj-system'),
    body: { records: readings },
  });
  expect(pushed.body.accepted).toBe(readings.length);
  return code;
}

/** A second developer account, signed in through the embedded provider like the first. */
async function addDeveloper(username: string) {
  await h.db.prisma.user.create({
    data: {
      username,
      displayName: '李娜',
      kind: 'developer',
      roles: ['developer'],
      passwordHash: await hashPassword(DEMO_PASSWORD),
    },
  });
  return h.token(username);
}

const application = (resourceCode: string, extra: Record<string, unknown> = {}) => ({
  resourceCode,
  purpose: '开发空气质量提醒小程序，向市民推送附近站点的实时读数',
  purposeCode: 'PUBLIC_WELFARE',
  realName: '张伟',
  organisation: '杭州数智科技有限公司',
  contact: 'zhangwei@example.cn',
  intendedUse: '小程序首页展示附近站点读数，不转售数据',
  actions: ['read', 'download'],
  ...extra,
});

let conditionalCode: string;
let openCode: string;
let closedCode: string;
let developer: string;
let otherDeveloper: string;

beforeAll(async () => {
  h = await startHarness();
  conditionalCode = await publish('开放申请测试站点原始读数', 'conditional');
  openCode = await publish('开放申请测试站点公开读数', 'open');
  closedCode = await publish('开放申请测试站点内部读数', 'none');
  developer = await h.token('developer');
  otherDeveloper = await addDeveloper('developer-lina');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('有条件开放 data only through an approved application', () => {
  it('a key listing a 有条件开放 resource cannot be made directly (403 naming the application path)', async () => {
    const res = await exchange('POST', '/v1/api-keys', {
      token: developer,
      body: { name: '自建', resources: [openCode, conditionalCode] },
    });
    expect(res.status).toBe(403);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.detail).toContain(conditionalCode);
    expect(res.body.detail).toContain('/v1/open-applications');
    expect(res.body.detail).not.toContain(openCode);
    // a key for 无条件开放 data is still made at once
    const open = await exchange('POST', '/v1/api-keys', {
      token: developer,
      body: { name: '公开数据', resources: [openCode] },
    });
    expect(open.status).toBe(201);
  });

  it('submitted → approved (narrowed) → the key is claimed once and reads the resource', async () => {
    const applied = await exchange('POST', '/v1/open-applications', {
      token: developer,
      body: application(conditionalCode),
    });
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({
      status: 'submitted',
      resourceCode: conditionalCode,
      providerCode: 'hz-gaj',
      purposeCode: 'PUBLIC_WELFARE',
      purposeName: '公益服务',
      actions: ['read', 'download'],
      keyClaimed: false,
    });
    const id = applied.body.id as string;

    const again = await exchange('POST', '/v1/open-applications', {
      token: developer,
      body: application(conditionalCode),
    });
    expect(again.status).toBe(409);

    const mine = await exchange('GET', '/v1/open-applications', { token: developer });
    expect(mine.body.items.map((a: { id: string }) => a.id)).toContain(id);
    const early = await exchange('POST', `/v1/open-applications/${id}/key`, { token: developer });
    expect(early.status).toBe(409);

    // the provider's inbox has it; another department's has not
    const inbox = await exchange('GET', '/v1/open-applications?side=provider&status=submitted', {
      token: await h.token('hz-gaj.approver'),
    });
    expect(inbox.body.items.map((a: { id: string }) => a.id)).toContain(id);
    const elsewhere = await exchange('GET', '/v1/open-applications?side=provider', {
      token: await h.token('hz-rsj.steward'),
    });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.items.map((a: { id: string }) => a.id)).not.toContain(id);

    // nobody but the provider decides: another department and another developer are told it
    // does not exist, the applicant that they may not
    const wrongDepartment = await exchange('POST', `/v1/open-applications/${id}/approve`, {
      token: await h.token('hz-rsj.approver'),
    });
    expect(wrongDepartment.status).toBe(404);
    expect(
      (await exchange('GET', `/v1/open-applications/${id}`, { token: otherDeveloper })).status,
    ).toBe(404);
    const self = await exchange('POST', `/v1/open-applications/${id}/approve`, {
      token: developer,
    });
    expect(self.status).toBe(403);

    const approved = await exchange('POST', `/v1/open-applications/${id}/approve`, {
      token: await h.token('hz-gaj.steward'),
      body: { actions: ['read'], dailyQuota: 500 },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      grantedActions: ['read'],
      dailyQuota: 500,
    });
    const twice = await exchange('POST', `/v1/open-applications/${id}/approve`, {
      token: await h.token('hz-gaj.approver'),
    });
    expect(twice.status).toBe(409);

    // another developer cannot claim it
    expect(
      (await exchange('POST', `/v1/open-applications/${id}/key`, { token: otherDeveloper })).status,
    ).toBe(404);
    const claimed = await exchange('POST', `/v1/open-applications/${id}/key`, {
      token: developer,
    });
    expect(claimed.status).toBe(201);
    expect(claimed.body.apiKey).toMatchObject({
      resources: [conditionalCode],
      actions: ['read'],
      dailyQuota: 500,
    });
    const key = claimed.body.key as string;
    const second = await exchange('POST', `/v1/open-applications/${id}/key`, { token: developer });
    expect(second.status).toBe(409);
    const shown = await exchange('GET', `/v1/open-applications/${id}`, { token: developer });
    expect(shown.body).toMatchObject({ keyClaimed: true, apiKeyId: claimed.body.apiKey.id });

    const records = await exchange(
      'GET',
      `/v1/open/resources/${conditionalCode}/records?limit=100`,
      withKey(key),
    );
    expect(records.status).toBe(200);
    expect(records.body.items).toHaveLength(readings.length);
    // download was asked for but not granted
    const download = await fetch(
      `${h.exchange.base}/v1/open/resources/${conditionalCode}/download`,
      {
        headers: { 'x-api-key': key },
      },
    );
    expect(download.status).toBe(403);

    // the normal key endpoints rotate and revoke it
    const rotated = await exchange('POST', `/v1/api-keys/${claimed.body.apiKey.id}/rotate`, {
      token: developer,
    });
    expect(rotated.status).toBe(200);
    expect(
      (await exchange('GET', `/v1/open/resources/${conditionalCode}/preview`, withKey(key))).status,
    ).toBe(401);
    const newKey = rotated.body.key as string;
    expect(
      (await exchange('GET', `/v1/open/resources/${conditionalCode}/preview`, withKey(newKey)))
        .status,
    ).toBe(200);
    await exchange('DELETE', `/v1/api-keys/${claimed.body.apiKey.id}`, { token: developer });
    expect(
      (await exchange('GET', `/v1/open/resources/${conditionalCode}/preview`, withKey(newKey)))
        .status,
    ).toBe(401);

    // a revoked key is not the end of the approval: it yields a new key, once
    const renewed = await exchange('POST', `/v1/open-applications/${id}/key`, { token: developer });
    expect(renewed.status).toBe(201);
    expect(renewed.body.apiKey.id).not.toBe(claimed.body.apiKey.id);
    expect(
      (
        await exchange(
          'GET',
          `/v1/open/resources/${conditionalCode}/preview`,
          withKey(renewed.body.key),
        )
      ).status,
    ).toBe(200);
    expect(
      (await exchange('POST', `/v1/open-applications/${id}/key`, { token: developer })).status,
    ).toBe(409);

    // once its validity has ended the approval reads as expired, its key stops, and the
    // developer may apply again
    await h.db.pool.query(
      `UPDATE open_applications SET valid_until = now() - interval '1 minute' WHERE id = $1`,
      [id],
    );
    const expired = await exchange('GET', `/v1/open-applications/${id}`, { token: developer });
    expect(expired.body.status).toBe('expired');
    expect(
      (
        await exchange(
          'GET',
          `/v1/open/resources/${conditionalCode}/preview`,
          withKey(renewed.body.key),
        )
      ).status,
    ).toBe(403);
    const reapplied = await exchange('POST', '/v1/open-applications', {
      token: developer,
      body: application(conditionalCode),
    });
    expect(reapplied.status, JSON.stringify(reapplied.body)).toBe(201);
    await exchange('POST', `/v1/open-applications/${reapplied.body.id}/cancel`, {
      token: developer,
    });
  });

  it('a key made before applications existed, listing the code, does not reach the data', async () => {
    // such a key could exist in the database from before; it has no approved application
    const made = await exchange('POST', '/v1/api-keys', {
      token: otherDeveloper,
      body: { name: '旧 key', resources: [openCode] },
    });
    await h.db.prisma.apiKey.update({
      where: { id: made.body.apiKey.id },
      data: { resources: [conditionalCode] },
    });
    const res = await exchange(
      'GET',
      `/v1/open/resources/${conditionalCode}/records`,
      withKey(made.body.key),
    );
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('开放申请');
    const rotate = await exchange('POST', `/v1/api-keys/${made.body.apiKey.id}/rotate`, {
      token: otherDeveloper,
    });
    expect(rotate.status).toBe(403);
  });

  it('rejection carries a reason the applicant reads; no key; the developer may apply again', async () => {
    const applied = await exchange('POST', '/v1/open-applications', {
      token: otherDeveloper,
      body: application(conditionalCode, { realName: '李娜', actions: ['read'] }),
    });
    expect(applied.status).toBe(201);
    const id = applied.body.id as string;
    const blank = await exchange('POST', `/v1/open-applications/${id}/reject`, {
      token: await h.token('hz-gaj.approver'),
      body: { reason: '   ' },
    });
    expect(blank.status).toBe(400);
    const rejected = await exchange('POST', `/v1/open-applications/${id}/reject`, {
      token: await h.token('hz-gaj.approver'),
      body: { reason: '用途说明不足，请补充数据展示范围' },
    });
    expect(rejected.status).toBe(200);
    const seen = await exchange('GET', '/v1/open-applications', { token: otherDeveloper });
    expect(seen.body.items.find((a: { id: string }) => a.id === id)).toMatchObject({
      status: 'rejected',
      rejectReason: '用途说明不足，请补充数据展示范围',
    });
    expect(
      (await exchange('POST', `/v1/open-applications/${id}/key`, { token: otherDeveloper })).status,
    ).toBe(409);
    const retry = await exchange('POST', '/v1/open-applications', {
      token: otherDeveloper,
      body: application(conditionalCode, { realName: '李娜', actions: ['read'] }),
    });
    expect(retry.status).toBe(201);
    const cancelled = await exchange('POST', `/v1/open-applications/${retry.body.id}/cancel`, {
      token: otherDeveloper,
    });
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('only 有条件开放 resources take applications, and only from developers', async () => {
    const apply = (body: unknown, token = developer) =>
      exchange('POST', '/v1/open-applications', { token, body });
    expect((await apply(application(openCode))).status).toBe(409);
    expect((await apply(application(closedCode))).status).toBe(404);
    expect((await apply(application('330100000-ZZZZZZZZZ-999999'))).status).toBe(404);
    expect(
      (await apply(application(conditionalCode), await h.token('hz-gaj.steward'))).status,
    ).toBe(403);
    expect(
      (await exchange('POST', '/v1/open-applications', { body: application(conditionalCode) }))
        .status,
    ).toBe(401);
    const blank = await apply(
      application(conditionalCode, { purpose: '  ', contact: ' ' }),
      otherDeveloper,
    );
    expect(blank.status).toBe(400);
    const badPurpose = await apply(
      application(conditionalCode, { purposeCode: 'NO_SUCH_PURPOSE' }),
      otherDeveloper,
    );
    expect(badPurpose.status).toBe(400);
    const extra = await apply({ ...application(conditionalCode), approved: true }, otherDeveloper);
    expect(extra.status).toBe(400);
  });

  it('submission, approval and rejection are evidence', async () => {
    const res = await exchange('GET', `/v1/evidence?resource=${conditionalCode}&limit=100`, {
      token: await h.token('auditor'),
    });
    expect(res.status).toBe(200);
    const entries = res.body.items as {
      operation: string;
      outcome: string;
      details: Record<string, unknown>;
    }[];
    const about = entries.filter((e) => e.details?.openApplication);
    expect(about.map((e) => e.operation)).toEqual(
      expect.arrayContaining(['request', 'grant-change', 'refusal']),
    );
    expect(about.find((e) => e.operation === 'refusal')).toMatchObject({
      outcome: 'refused',
      details: { reason: '用途说明不足，请补充数据展示范围' },
    });
  });
});

describe('用途类别: 开放数据用途, apart from the sharing purposes', () => {
  const codes = (res: { body: { items: { code: string; name: string }[] } }) =>
    res.body.items.map((p) => p.code);

  it('GET /v1/purposes?for=open-data lists the open-data purposes; the default stays sharing', async () => {
    const open = await exchange('GET', '/v1/purposes?for=open-data');
    expect(open.status).toBe(200);
    expect(open.body.items).toEqual([
      { code: 'RESEARCH', name: '科学研究' },
      { code: 'PUBLIC_WELFARE', name: '公益服务' },
      { code: 'INNOVATION', name: '创新应用' },
      { code: 'TEACHING', name: '教学培训' },
      { code: 'JOURNALISM', name: '新闻报道' },
      { code: 'COMMERCIAL', name: '商业开发' },
      { code: 'OPEN_OTHER', name: '其他' },
    ]);
    const sharing = await exchange('GET', '/v1/purposes');
    expect(codes(sharing)).toContain('ADMIN_APPROVAL');
    expect(codes(sharing)).toContain('OTHER');
    expect(codes(sharing)).not.toContain('RESEARCH');
    expect(codes(await exchange('GET', '/v1/purposes?for=sharing'))).toEqual(codes(sharing));
    expect((await exchange('GET', '/v1/purposes?for=everything')).status).toBe(400);
  });

  it('a new application citing a sharing purpose is refused at /purposeCode', async () => {
    const res = await exchange('POST', '/v1/open-applications', {
      token: otherDeveloper,
      body: application(conditionalCode, { purposeCode: 'ADMIN_APPROVAL' }),
    });
    expect(res.status).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.errors).toEqual([
      {
        path: '/purposeCode',
        message: expect.stringContaining(
          'ADMIN_APPROVAL 是政务共享用途，开放申请请选择开放数据用途',
        ),
      },
    ]);
    const mine = await exchange('GET', '/v1/open-applications', { token: otherDeveloper });
    expect(mine.body.items.some((a: { status: string }) => a.status === 'submitted')).toBe(false);
  });

  it('a sharing request citing an open-data purpose is refused at /purposeCodes/i', async () => {
    const res = await exchange('POST', '/v1/sharing-requests', {
      token: await h.systemToken('hz-rsj-system'),
      body: {
        resourceCode: conditionalCode,
        fields: ['reading_id', 'aqi'],
        purposeCodes: ['STATISTICS', 'RESEARCH'],
        purposeText: '空气质量统计分析',
        legalBasisText: '《统计法》第七条',
        deliveryModes: ['query'],
      },
    });
    expect(res.status).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.errors).toEqual([
      {
        path: '/purposeCodes/1',
        message: '用途编码 RESEARCH 是开放数据用途，共享申请请选择政务共享用途',
      },
    ]);
  });

  it('an application made with a sharing purpose before 开放数据用途 existed still lists and reads with its name', async () => {
    const applied = await exchange('POST', '/v1/open-applications', {
      token: otherDeveloper,
      body: application(conditionalCode, { purposeCode: 'RESEARCH' }),
    });
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({ purposeCode: 'RESEARCH', purposeName: '科学研究' });
    const id = applied.body.id as string;
    // as rows written before the vocabulary was split hold it
    await h.db.prisma.openApplication.update({
      where: { id },
      data: { purposeCode: 'PUBLIC_SERVICE' },
    });
    const read = await exchange('GET', `/v1/open-applications/${id}`, { token: otherDeveloper });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ purposeCode: 'PUBLIC_SERVICE', purposeName: '公共服务' });
    const inbox = await exchange('GET', '/v1/open-applications?side=provider&status=submitted', {
      token: await h.token('hz-gaj.approver'),
    });
    expect(inbox.body.items.find((a: { id: string }) => a.id === id)).toMatchObject({
      purposeCode: 'PUBLIC_SERVICE',
      purposeName: '公共服务',
    });
    const cancelled = await exchange('POST', `/v1/open-applications/${id}/cancel`, {
      token: otherDeveloper,
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', purposeName: '公共服务' });
  });
});
