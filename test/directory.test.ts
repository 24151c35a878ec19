import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectResponseMatchesSpec } from '@gx/platform/testing';
import { openApiSpecPath } from '@gx/schemas';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
const spec = openApiSpecPath('catalog');

function entry(overrides: Record<string, unknown> = {}) {
  return {
    name: '机动车驾驶人信息',
    abstract: '本市机动车驾驶人的驾驶证信息，包括准驾车型、有效期和记分情况。',
    themeCode: 'public-safety',
    keywords: ['驾驶证', '驾驶人'],
    format: 'database',
    sharingType: 'conditional',
    sharingConditions: '用于交通违法处理、保险理赔核验等法定职责',
    sharingMethods: ['api', 'subscription'],
    openType: 'none',
    updateCycle: 'daily',
    contactName: '王敏',
    contactPhone: '0571-87280000',
    items: [
      {
        name: 'license_no',
        label: '驾驶证号',
        dataType: 'string',
        maxLength: 18,
        isKey: true,
        isPersonal: true,
        dataGrade: 'important',
      },
      {
        name: 'holder_name',
        label: '姓名',
        dataType: 'string',
        isPersonal: true,
        isRequired: true,
      },
      { name: 'vehicle_class', label: '准驾车型', dataType: 'string', maxLength: 8 },
      { name: 'valid_until', label: '有效期至', dataType: 'date' },
      { name: 'points', label: '累积记分', dataType: 'integer', unit: '分' },
    ],
    ...overrides,
  };
}

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

const catalog = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.catalog.base, method, path, options);

describe('directory workflow and permissions', () => {
  let code: string;

  it('a steward catalogues a draft; only their department sees it', async () => {
    const steward = await h.token('hz-gaj.steward');
    const created = await catalog('POST', '/v1/resources', { token: steward, body: entry() });
    expect(created.status).toBe(201);
    code = created.body.code;
    expect(code).toMatch(/^209001001-002489129-\d{6}$/);
    expect(created.body).toMatchObject({
      status: 'draft',
      revision: 1,
      schemaVersion: 0,
      dataGrade: 'important',
      provider: { code: 'hz-gaj' },
    });
    expect(created.headers.get('etag')).toBe('"1"');

    expect((await catalog('GET', `/v1/resources/${code}`)).status).toBe(404);
    expect(
      (await catalog('GET', `/v1/resources/${code}`, { token: await h.token('hz-mzj.steward') }))
        .status,
    ).toBe(404);
    expect((await catalog('GET', `/v1/resources/${code}`, { token: steward })).status).toBe(200);
    // another department cannot even find it to change it
    const foreign = await catalog('PUT', `/v1/resources/${code}`, {
      token: await h.token('hz-mzj.steward'),
      body: entry({ name: '篡改' }),
    });
    expect(foreign.status).toBe(404);
  });

  it('codes are sequential per provider and never reused', async () => {
    const steward = await h.token('hz-gaj.steward');
    const second = await catalog('POST', '/v1/resources', {
      token: steward,
      body: entry({ name: '机动车登记信息', themeCode: 'public-safety' }),
    });
    expect(Number(second.body.code.slice(-6))).toBe(Number(code.slice(-6)) + 1);
    expect(
      (await catalog('DELETE', `/v1/resources/${second.body.code}`, { token: steward })).status,
    ).toBe(204);
    const third = await catalog('POST', '/v1/resources', {
      token: steward,
      body: entry({ name: '驾驶人违法记录' }),
    });
    expect(third.body.code).not.toBe(code);
  });

  it('refuses entries that break the cataloguing rules, naming the field', async () => {
    const steward = await h.token('hz-gaj.steward');
    const noBasis = await catalog('POST', '/v1/resources', {
      token: steward,
      body: entry({ sharingType: 'none', sharingMethods: [], sharingConditions: null }),
    });
    expect(noBasis.status).toBe(400);
    expect(noBasis.contentType).toMatch(/problem\+json/);
    expect(noBasis.body.errors).toContainEqual({
      path: '/sharingLegalBasis',
      message: expect.stringContaining('法律'),
    });

    const withBasis = await catalog('POST', '/v1/resources', {
      token: steward,
      body: entry({
        name: '涉密人员信息',
        sharingType: 'none',
        sharingMethods: [],
        sharingConditions: null,
        sharingLegalBasis: '《中华人民共和国保守国家秘密法》第二十七条',
      }),
    });
    expect(withBasis.status).toBe(201);

    // 核心数据 (one core item makes the resource core) is never opened nor shared unconditionally
    const base = entry();
    const coreItems = base.items.map((item) =>
      item.name === 'license_no' ? { ...item, dataGrade: 'core' } : item,
    );
    const opened = await catalog('POST', '/v1/resources', {
      token: steward,
      body: entry({
        name: '驾驶人核心信息',
        items: coreItems,
        sharingType: 'unconditional',
        sharingConditions: null,
        openType: 'conditional',
        openConditions: '实名认证',
      }),
    });
    expect(opened.status).toBe(400);
    expect(opened.body.errors).toEqual([
      { path: '/openType', message: expect.stringContaining('核心数据的资源不得向社会开放') },
      { path: '/sharingType', message: expect.stringContaining('核心数据的资源不得无条件共享') },
    ]);
    const graded = await catalog('POST', '/v1/resources', {
      token: steward,
      body: entry({ name: '驾驶人核心信息', dataGrade: 'core', openType: 'open' }),
    });
    expect(graded.status).toBe(400);
    expect(graded.body.errors).toEqual([{ path: '/openType', message: expect.any(String) }]);
    const kept = await catalog('POST', '/v1/resources', {
      token: steward,
      body: entry({ name: '驾驶人核心信息', items: coreItems }),
    });
    expect(kept.status).toBe(201);
    expect(kept.body.dataGrade).toBe('core');

    for (const body of [
      entry({ unknownField: 1 }),
      entry({ sharingType: 'sometimes' }),
      entry({ items: [] }),
      entry({ items: [{ name: 'Bad Name', label: 'x', dataType: 'string' }] }),
      entry({ themeCode: 'no-such-theme' }),
      [],
      'just a string',
    ]) {
      const res = await catalog('POST', '/v1/resources', { token: steward, body });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.contentType).toMatch(/problem\+json/);
    }
    const huge = await catalog('POST', '/v1/resources', {
      token: steward,
      body: entry({ abstract: '长'.repeat(600_000) }),
    });
    expect(huge.status).toBe(413);
    const duplicate = await catalog('POST', '/v1/resources', {
      token: steward,
      body: entry({
        items: [
          { name: 'a', label: '甲', dataType: 'string' },
          { name: 'a', label: '乙', dataType: 'integer' },
        ],
      }),
    });
    expect(duplicate.body.errors).toContainEqual({
      path: '/items/1/name',
      message: expect.stringContaining('重复'),
    });
  });

  it('edits are guarded by revision (If-Match) and recorded as field-level diffs', async () => {
    const steward = await h.token('hz-gaj.steward');
    const items = entry().items.map((i) => (i.name === 'points' ? { ...i, label: '当前记分' } : i));
    const updated = await catalog('PUT', `/v1/resources/${code}`, {
      token: steward,
      headers: { 'if-match': '"1"' },
      body: entry({ items, keywords: ['驾驶证', '驾驶人', '记分'] }),
    });
    expect(updated.status).toBe(200);
    expect(updated.body.revision).toBe(2);
    const stale = await catalog('PUT', `/v1/resources/${code}`, {
      token: steward,
      headers: { 'if-match': '"1"' },
      body: entry(),
    });
    expect(stale.status).toBe(409);

    const history = await catalog('GET', `/v1/resources/${code}/history`, { token: steward });
    const update = history.body.items.find((c: { action: string }) => c.action === 'update');
    expect(update).toMatchObject({
      actor: 'hz-gaj.steward',
      actorKind: 'user',
      fromStatus: 'draft',
      toStatus: 'draft',
    });
    expect(update.diff).toEqual(
      expect.arrayContaining([
        { path: '/items/points/label', before: '累积记分', after: '当前记分' },
        { path: '/keywords', before: ['驾驶证', '驾驶人'], after: ['驾驶证', '驾驶人', '记分'] },
      ]),
    );
    expect(update.diff).toHaveLength(2);
  });

  it('the data authority reviews: a provider approver cannot, the authority approver publishes', async () => {
    const steward = await h.token('hz-gaj.steward');
    // the authority does not even see another department's draft
    expect(
      (
        await catalog('POST', `/v1/resources/${code}/approve`, {
          token: await h.token('hz-dsj.approver'),
        })
      ).status,
    ).toBe(404);
    const submitted = await catalog('POST', `/v1/resources/${code}/submit`, {
      token: steward,
      body: { comment: '请审核' },
    });
    expect(submitted.body.status).toBe('in_review');
    // the state is named as the console names it (审核中), not by its code
    const edited = await catalog('PUT', `/v1/resources/${code}`, { token: steward, body: entry() });
    expect(edited.status).toBe(409);
    expect(edited.body.detail).toContain('当前状态：审核中');
    const again = await catalog('POST', `/v1/resources/${code}/submit`, { token: steward });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('当前状态为「审核中」');
    expect(
      (await catalog('POST', `/v1/resources/${code}/approve`, { token: steward })).status,
    ).toBe(403);
    expect(
      (
        await catalog('POST', `/v1/resources/${code}/approve`, {
          token: await h.token('hz-gaj.approver'),
        })
      ).status,
    ).toBe(403);

    const approved = await catalog('POST', `/v1/resources/${code}/approve`, {
      token: await h.token('hz-dsj.approver'),
      body: { comment: '同意发布' },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'published',
      schemaVersion: 1,
      reviewComment: '同意发布',
    });
    expect(approved.body.publishedAt).toBeTruthy();
    // 不予开放: departments see it, the public does not
    expect((await catalog('GET', `/v1/resources/${code}`)).status).toBe(404);
    expect(
      (await catalog('GET', `/v1/resources/${code}`, { token: await h.token('hz-mzj.steward') }))
        .status,
    ).toBe(200);

    const versions = await catalog('GET', `/v1/resources/${code}/schema-versions`, {
      token: steward,
    });
    expect(versions.body.items).toHaveLength(1);
    expect(versions.body.items[0]).toMatchObject({ version: 1, compatibility: 'initial' });
    expect(versions.body.items[0].jsonSchema).toMatchObject({
      $id: `urn:gov-exchange:resource:${code}:v1`,
      required: ['license_no', 'holder_name'],
      'x-key': ['license_no'],
      properties: {
        points: { type: 'integer', title: '当前记分', 'x-unit': '分' },
        valid_until: { type: 'string', format: 'date' },
      },
    });
  });

  it('a rejection needs a comment and sends the entry back to its steward', async () => {
    const steward = await h.token('hz-gaj.steward');
    const draft = await catalog('POST', '/v1/resources', {
      token: steward,
      body: entry({ name: '机动车检验信息' }),
    });
    await catalog('POST', `/v1/resources/${draft.body.code}/submit`, { token: steward });
    const approver = await h.token('hz-dsj.approver');
    const bare = await catalog('POST', `/v1/resources/${draft.body.code}/reject`, {
      token: approver,
    });
    expect(bare.status).toBe(400);
    const rejected = await catalog('POST', `/v1/resources/${draft.body.code}/reject`, {
      token: approver,
      body: { comment: '摘要过于简单，请补充数据范围' },
    });
    expect(rejected.body).toMatchObject({
      status: 'draft',
      reviewComment: '摘要过于简单，请补充数据范围',
    });
    const history = await catalog('GET', `/v1/resources/${draft.body.code}/history`, {
      token: steward,
    });
    expect(history.body.items.map((c: { action: string }) => c.action)).toEqual([
      'create',
      'submit',
      'reject',
    ]);
    expect(history.body.items[2]).toMatchObject({
      actor: 'hz-dsj.approver',
      comment: '摘要过于简单，请补充数据范围',
      fromStatus: 'in_review',
      toStatus: 'draft',
    });
  });

  it('flags a removed field or changed type as a breaking schema change, an added optional field as compatible', async () => {
    const steward = await h.token('hz-gaj.steward');
    const approver = await h.token('hz-dsj.approver');
    const publish = async () => {
      await catalog('POST', `/v1/resources/${code}/submit`, { token: steward });
      return catalog('POST', `/v1/resources/${code}/approve`, { token: approver });
    };
    expect(
      (await catalog('POST', `/v1/resources/${code}/revise`, { token: steward })).body.status,
    ).toBe('draft');
    const current = (await catalog('GET', `/v1/resources/${code}`, { token: steward })).body;
    const breaking = current.items
      .filter((i: { name: string }) => i.name !== 'vehicle_class')
      .map((i: { name: string }) => (i.name === 'points' ? { ...i, dataType: 'number' } : i));
    await catalog('PUT', `/v1/resources/${code}`, {
      token: steward,
      body: entry({ items: breaking }),
    });
    // the save left 发布日期 out: the date of the first publication stays
    expect(current.publishDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(
      (await catalog('GET', `/v1/resources/${code}`, { token: steward })).body.publishDate,
    ).toBe(current.publishDate);
    const preview = await catalog('GET', `/v1/resources/${code}/schema`, { token: steward });
    expect(preview.body).toMatchObject({
      basedOnVersion: 1,
      version: 2,
      compatibility: 'breaking',
    });
    expect(preview.body.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'vehicle_class', change: 'removed', breaking: true }),
        expect.objectContaining({ field: 'points', change: 'type-changed', breaking: true }),
      ]),
    );
    expect((await publish()).body.schemaVersion).toBe(2);

    await catalog('POST', `/v1/resources/${code}/revise`, { token: steward });
    await catalog('PUT', `/v1/resources/${code}`, {
      token: steward,
      body: entry({
        items: [...breaking, { name: 'issuing_office', label: '发证机关', dataType: 'string' }],
      }),
    });
    expect((await publish()).body.schemaVersion).toBe(3);
    const versions = (
      await catalog('GET', `/v1/resources/${code}/schema-versions`, { token: steward })
    ).body.items;
    expect(versions.map((v: { compatibility: string }) => v.compatibility)).toEqual([
      'initial',
      'breaking',
      'compatible',
    ]);
    expect(versions[2].changes).toEqual([
      expect.objectContaining({ field: 'issuing_office', change: 'added', breaking: false }),
    ]);
    const v2 = await catalog('GET', `/v1/resources/${code}/schema-versions/2`, { token: steward });
    expect(v2.body.version).toBe(2);
    expect(
      (await catalog('GET', `/v1/resources/${code}/schema-versions/9`, { token: steward })).status,
    ).toBe(404);

    // republishing unchanged items does not mint a version
    await catalog('POST', `/v1/resources/${code}/revise`, { token: steward });
    expect((await publish()).body.schemaVersion).toBe(3);
  });

  it('retire and republish; history keeps every step', async () => {
    const steward = await h.token('hz-gaj.steward');
    const retired = await catalog('POST', `/v1/resources/${code}/retire`, {
      token: steward,
      body: { comment: '系统迁移' },
    });
    expect(retired.body).toMatchObject({ status: 'retired' });
    expect(
      (await catalog('POST', `/v1/resources/${code}/publish`, { token: steward })).status,
    ).toBe(403);
    const republished = await catalog('POST', `/v1/resources/${code}/publish`, {
      token: await h.token('hz-dsj.approver'),
    });
    expect(republished.body.status).toBe('published');
    expect((await catalog('DELETE', `/v1/resources/${code}`, { token: steward })).status).toBe(409);
    const actions = (
      await catalog('GET', `/v1/resources/${code}/history`, { token: steward })
    ).body.items.map((c: { action: string }) => c.action);
    expect(actions).toEqual([
      'create',
      'update',
      'submit',
      'approve',
      'revise',
      'update',
      'submit',
      'approve',
      'revise',
      'update',
      'submit',
      'approve',
      'revise',
      'submit',
      'approve',
      'retire',
      'publish',
    ]);
  });

  it('lists what each caller may see', async () => {
    const steward = await h.token('hz-gaj.steward');
    const open = await catalog('POST', '/v1/resources', {
      token: steward,
      body: entry({
        name: '交通事故多发路段',
        openType: 'open',
        sharingType: 'unconditional',
        sharingConditions: null,
        items: [{ name: 'road', label: '路段', dataType: 'string', isKey: true }],
      }),
    });
    await catalog('POST', `/v1/resources/${open.body.code}/submit`, { token: steward });
    const beijingDay = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const before = beijingDay();
    const approved = await catalog('POST', `/v1/resources/${open.body.code}/approve`, {
      token: await h.token('hz-dsj.approver'),
    });
    // the publication day is Beijing's, also between 00:00 and 08:00 there
    expect([before, beijingDay()]).toContain(approved.body.publishDate);

    // the public history says staff made the changes, not which staff; staff see the accounts
    const history = async (token?: string) =>
      (
        await catalog('GET', `/v1/resources/${open.body.code}/history`, token ? { token } : {})
      ).body.items.map((c: { actor: string }) => c.actor);
    expect(await history()).toEqual(['政务工作人员', '政务工作人员', '政务工作人员']);
    expect(await history(await h.token('developer'))).toEqual(await history());
    expect(await history(await h.token('hz-mzj.steward'))).toEqual([
      'hz-gaj.steward',
      'hz-gaj.steward',
      'hz-dsj.approver',
    ]);
    // and staff read the people's names beside their accounts; the public reads none
    const names = async (token?: string) =>
      (
        await catalog('GET', `/v1/resources/${open.body.code}/history`, token ? { token } : {})
      ).body.items.map((c: { actorName: string | null }) => c.actorName);
    expect(await names()).toEqual([null, null, null]);
    expect(await names(await h.token('developer'))).toEqual([null, null, null]);
    expect(await names(await h.token('hz-mzj.steward'))).toEqual(['李静', '李静', '黄审核']);
    const publisher = async (token?: string) =>
      (
        await catalog(
          'GET',
          `/v1/resources/${open.body.code}/schema-versions`,
          token ? { token } : {},
        )
      ).body.items.map((v: { createdBy: string; createdByName: string | null }) => [
        v.createdBy,
        v.createdByName,
      ]);
    expect(await publisher(await h.token('hz-mzj.steward'))).toEqual([
      ['hz-dsj.approver', '黄审核'],
    ]);
    expect((await publisher()).map(([, name]: [string, string | null]) => name)).toEqual([null]);

    const anonymous = await catalog('GET', '/v1/resources?pageSize=100');
    expect(anonymous.body.items.map((r: { code: string }) => r.code)).toEqual([open.body.code]);
    const other = await catalog('GET', '/v1/resources?pageSize=100', {
      token: await h.token('hz-mzj.steward'),
    });
    expect(other.body.items.every((r: { status: string }) => r.status === 'published')).toBe(true);
    expect(other.body.total).toBe(2);
    const own = await catalog('GET', '/v1/resources?department=hz-gaj&pageSize=100', {
      token: steward,
    });
    expect(own.body.items.some((r: { status: string }) => r.status === 'draft')).toBe(true);
    const page = await catalog('GET', '/v1/resources?department=hz-gaj&pageSize=1&page=2', {
      token: steward,
    });
    expect(page.body).toMatchObject({ page: 2, pageSize: 1, total: own.body.total });
    expect(page.body.items).toHaveLength(1);
    expect((await catalog('GET', '/v1/resources?pageSize=1000')).status).toBe(400);
  });
});

describe('reports', () => {
  it('count per department exactly as the database holds, with overdue and gap reports', async () => {
    const steward = await h.token('hz-gaj.steward');
    const fn = await catalog('POST', '/v1/departments/hz-gaj/functions', {
      token: steward,
      body: {
        code: 'F01',
        name: '负责机动车和驾驶人管理',
        description: '道路交通安全法规定的职责',
      },
    });
    expect(fn.status).toBe(201);
    await catalog('POST', '/v1/departments/hz-gaj/functions', {
      token: steward,
      body: { code: 'F02', name: '负责户籍管理' },
    });
    expect(
      (
        await catalog('POST', '/v1/departments/hz-mzj/functions', {
          token: steward,
          body: { code: 'X', name: '越权' },
        })
      ).status,
    ).toBe(403);

    const cited = await catalog('POST', '/v1/resources', {
      token: steward,
      body: entry({ name: '驾驶人考试信息', functionCode: 'F01', updateCycle: 'daily' }),
    });
    expect(cited.body.function).toEqual({ code: 'F01', name: '负责机动车和驾驶人管理' });
    await catalog('POST', `/v1/resources/${cited.body.code}/submit`, { token: steward });
    await catalog('POST', `/v1/resources/${cited.body.code}/approve`, {
      token: await h.token('hz-dsj.approver'),
    });
    await h.db.pool.query(
      `UPDATE resources SET data_updated_at = now() - interval '10 days' WHERE code = $1`,
      [cited.body.code],
    );

    const admin = await h.token('admin');
    const report = await catalog('GET', '/v1/reports/departments', { token: admin });
    expect(report.status).toBe(200);
    const { rows } = await h.db.pool.query(`
      SELECT d.code,
             count(r.id)::int AS total,
             count(r.id) FILTER (WHERE r.status = 'published')::int AS published,
             count(r.id) FILTER (WHERE r.status = 'published' AND r.sharing_type <> 'none')::int AS shareable,
             count(r.id) FILTER (WHERE r.status = 'published' AND r.open_type <> 'none')::int AS openable
        FROM departments d LEFT JOIN resources r ON r.provider_id = d.id GROUP BY d.code ORDER BY d.code`);
    expect(
      report.body.departments.map(
        (d: {
          code: string;
          total: number;
          byStatus: { published: number };
          shareable: number;
          openable: number;
        }) => ({
          code: d.code,
          total: d.total,
          published: d.byStatus.published,
          shareable: d.shareable,
          openable: d.openable,
        }),
      ),
    ).toEqual(rows);
    const gaj = report.body.departments.find((d: { code: string }) => d.code === 'hz-gaj');
    expect(gaj.overdue).toBeGreaterThanOrEqual(1);
    expect(gaj.shareableShare).toBeCloseTo(gaj.shareable / gaj.byStatus.published, 3);

    const overdue = await catalog('GET', '/v1/reports/overdue', { token: admin });
    expect(overdue.body.items).toContainEqual(
      expect.objectContaining({
        code: cited.body.code,
        updateCycle: 'daily',
        departmentCode: 'hz-gaj',
      }),
    );
    expect(
      overdue.body.items.find((i: { code: string }) => i.code === cited.body.code).daysOverdue,
    ).toBeGreaterThanOrEqual(7);

    const gaps = await catalog('GET', '/v1/reports/gaps', { token: admin });
    // as the contract says (the console's 数据看板 reads it through the generated types)
    await expectResponseMatchesSpec(
      spec,
      'GET',
      '/v1/reports/gaps',
      await fetch(`${h.catalog.base}/v1/reports/gaps`, {
        headers: { authorization: `Bearer ${admin}` },
      }),
    );
    expect(gaps.body.functionsWithoutResource).toContainEqual({
      code: 'F02',
      name: '负责户籍管理',
      departmentCode: 'hz-gaj',
      departmentName: '杭州市公安局',
    });
    expect(gaps.body.functionsWithoutResource).not.toContainEqual(
      expect.objectContaining({ code: 'F01' }),
    );
    expect(gaps.body.resourcesWithoutFunction.length).toBeGreaterThan(0);
    expect(gaps.body.resourcesWithoutFunction).not.toContainEqual(
      expect.objectContaining({ code: cited.body.code }),
    );

    const functions = await catalog('GET', '/v1/functions?department=hz-gaj');
    expect(functions.body.items).toEqual([
      expect.objectContaining({ code: 'F01', resourceCount: 1 }),
      expect.objectContaining({ code: 'F02', resourceCount: 0 }),
    ]);
  });

  it('count days overdue as whole calendar days in Asia/Shanghai, from the day after the due date', async () => {
    const steward = await h.token('hz-gaj.steward');
    const approver = await h.token('hz-dsj.approver');
    const DAY = 86_400_000;
    // today's midnight in Shanghai (UTC+8, no daylight saving)
    const now = Date.now();
    const shanghai = new Date(now + 8 * 3_600_000);
    const midnight =
      Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate()) -
      8 * 3_600_000;
    const due = {
      yesterdayEarly: midnight - 23 * 3_600_000,
      yesterdayLate: midnight - 60_000,
      today: midnight + Math.floor((now - midnight) / 2),
    };
    const codes: Record<string, string> = {};
    for (const [which, dueAt] of Object.entries(due)) {
      const created = await catalog('POST', '/v1/resources', {
        token: steward,
        body: entry({ name: `逾期计算 ${which}`, updateCycle: 'daily' }),
      });
      expect(created.status).toBe(201);
      const code = created.body.code as string;
      await catalog('POST', `/v1/resources/${code}/submit`, { token: steward });
      expect(
        (await catalog('POST', `/v1/resources/${code}/approve`, { token: approver })).status,
      ).toBe(200);
      // daily data falls due two days after its last update
      await h.db.pool.query(`UPDATE resources SET data_updated_at = $2 WHERE code = $1`, [
        code,
        new Date(dueAt - 2 * DAY),
      ]);
      codes[which] = code;
    }

    const admin = await h.token('admin');
    const overdue = await catalog('GET', '/v1/reports/overdue', { token: admin });
    expect(overdue.status).toBe(200);
    const items = overdue.body.items as {
      code: string;
      daysOverdue: number;
      departmentCode: string;
    }[];
    const days = (code: string | undefined) => items.find((i) => i.code === code)?.daysOverdue;
    // due yesterday, early or late in the day: one day overdue alike
    expect(days(codes.yesterdayEarly)).toBe(1);
    expect(days(codes.yesterdayLate)).toBe(1);
    // due today: not overdue yet
    expect(days(codes.today)).toBeUndefined();
    for (const item of items) {
      expect(Number.isInteger(item.daysOverdue)).toBe(true);
      expect(item.daysOverdue).toBeGreaterThan(0);
    }
    // the department figures count what the list shows
    const report = await catalog('GET', '/v1/reports/departments', { token: admin });
    const gaj = report.body.departments.find((d: { code: string }) => d.code === 'hz-gaj');
    expect(gaj.overdue).toBe(items.filter((i) => i.departmentCode === 'hz-gaj').length);
  });

  it('are for staff: anonymous 401, developers 403, other stewards only their own department', async () => {
    expect((await catalog('GET', '/v1/reports/departments')).status).toBe(401);
    expect(
      (await catalog('GET', '/v1/reports/departments', { token: await h.token('developer') }))
        .status,
    ).toBe(403);
    const mine = await catalog('GET', '/v1/reports/departments', {
      token: await h.token('hz-mzj.steward'),
    });
    expect(mine.body.departments.map((d: { code: string }) => d.code)).toEqual(['hz-mzj']);
    const authority = await catalog('GET', '/v1/reports/departments', {
      token: await h.token('hz-dsj.approver'),
    });
    expect(authority.body.departments.length).toBeGreaterThan(1);
  });

  it('serve themes, with the five base databases first', async () => {
    const themes = await catalog('GET', '/v1/themes');
    expect(themes.body.items.slice(0, 5).map((t: { name: string }) => t.name)).toEqual([
      '人口基础信息库',
      '法人单位基础信息库',
      '自然资源和空间地理基础信息库',
      '社会信用信息库',
      '电子证照库',
    ]);
    expect(spec).toContain('catalog.yaml');
  });
});
afterAll(() => {
  const errors = h?.logs.lines().filter((l) => l.msg === 'unhandled error') ?? [];
  if (errors.length) process.stderr.write(JSON.stringify(errors[0]?.err).slice(0, 1500) + '\n');
});
