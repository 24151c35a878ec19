// 脱敏预览 (POST /v1/policies/preview): the approver's policy editor sees exactly what delivery
// would give, computed by the exchange's own compiled policy; only the provider's approver asks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startHarness, type Harness } from './harness.ts';

let h: Harness;
let resourceCode: string;
const exchange = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.exchange.base, method, path, options);

const ITEMS = [
  { name: 'id_number', label: '公民身份号码', dataType: 'string', isKey: true, isPersonal: true },
  { name: 'mobile', label: '手机号码', dataType: 'string', isPersonal: true },
  { name: 'birth_date', label: '出生日期', dataType: 'date', isPersonal: true },
  { name: 'district', label: '所属区县', dataType: 'string' },
];

const preview = (token: string, policy: object, extra: object = {}) =>
  exchange('POST', '/v1/policies/preview', { token, body: { resourceCode, policy, ...extra } });

beforeAll(async () => {
  h = await startHarness();
  const steward = await h.token('hz-gaj.steward');
  const created = await call(h.catalog.base, 'POST', '/v1/resources', {
    token: steward,
    body: {
      name: '预览测试人员名册',
      abstract: '用于脱敏预览测试的人员名册',
      themeCode: 'population',
      format: 'database',
      sharingType: 'conditional',
      sharingConditions: '依法履职',
      sharingMethods: ['api'],
      openType: 'none',
      updateCycle: 'daily',
      items: ITEMS,
    },
  });
  expect(created.status).toBe(201);
  resourceCode = created.body.code;
  // records are hosted only for published resources
  await call(h.catalog.base, 'POST', `/v1/resources/${resourceCode}/submit`, { token: steward });
  const approved = await call(h.catalog.base, 'POST', `/v1/resources/${resourceCode}/approve`, {
    token: await h.token('hz-dsj.approver'),
  });
  expect(approved.body.status).toBe('published');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('policy preview', () => {
  const masks = {
    mobile: { kind: 'keep_first_last', first: 3, last: 4 },
    id_number: { kind: 'hmac_pseudonym' },
    birth_date: { kind: 'generalise', to: 'year' },
  };
  const fields = ['id_number', 'mobile', 'birth_date', 'district'];

  it('shows a made-up record masked when the resource hosts no records yet', async () => {
    const res = await preview(await h.token('hz-gaj.approver'), { fields, masks });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('synthetic');
    expect(res.body.matches).toBe(true);
    expect(res.body.shaped.mobile).toBe(
      `${String(res.body.sample.mobile).slice(0, 3)}****${String(res.body.sample.mobile).slice(-4)}`,
    );
    expect(res.body.shaped.id_number).not.toBe(res.body.sample.id_number);
    expect(res.body.shaped.birth_date).toBe(String(res.body.sample.birth_date).slice(0, 4));
  });

  it('shapes a given record and says whether the row filter lets it through', async () => {
    const record = {
      id_number: '330106199001011111',
      mobile: '13912345678',
      birth_date: '1990-01-01',
      district: '上城区',
    };
    const res = await preview(
      await h.token('hz-gaj.approver'),
      {
        fields: ['mobile', 'district'],
        masks: { mobile: { kind: 'redact' } },
        rowFilter: { field: 'district', op: '=', value: '西湖区' },
      },
      { record },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: 'given', matches: false });
    expect(res.body.shaped).toEqual({ district: '上城区' });
  });

  it('uses a hosted record the filter lets through when there is one', async () => {
    const system = await h.systemToken('hz-gaj-system');
    const ingest = await exchange('POST', `/v1/resources/${resourceCode}/records`, {
      token: system,
      body: {
        records: [
          { id_number: '330106199001010001', mobile: '13700000001', district: '上城区' },
          { id_number: '330106199001010002', mobile: '13700000002', district: '西湖区' },
        ],
      },
    });
    expect(ingest.body.accepted).toBe(2);
    const res = await preview(await h.token('hz-gaj.approver'), {
      fields: ['mobile', 'district'],
      masks: { mobile: { kind: 'keep_first_last', first: 3, last: 4 } },
      rowFilter: { field: 'district', op: '=', value: '西湖区' },
    });
    expect(res.body).toMatchObject({
      source: 'hosted',
      matches: true,
      shaped: { mobile: '137****0002', district: '西湖区' },
    });
  });

  it('refuses a policy that does not fit the resource, in Chinese', async () => {
    const res = await preview(await h.token('hz-gaj.approver'), {
      fields: ['mobile', 'birth_date'],
      masks: {
        district: { kind: 'redact' },
        // a phone number generalised to a year would be empty in every record
        mobile: { kind: 'generalise', to: 'year' },
        birth_date: { kind: 'generalise', to: 'district' },
      },
      rowFilter: { field: 'nosuch', op: '=', value: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/授权策略/);
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toContain('/masks/district');
    expect(res.body.errors).toContainEqual({
      path: '/masks/mobile',
      message: '字段 mobile：按年/月泛化只适用于日期或日期时间字段',
    });
    expect(paths).toContain('/masks/birth_date');
    expect(paths.some((p) => p.startsWith('/rowFilter'))).toBe(true);
  });

  it('answers only the provider department approver', async () => {
    expect((await preview(await h.token('hz-rsj.approver'), { fields })).status).toBe(403);
    expect((await preview(await h.token('hz-gaj.steward'), { fields })).status).toBe(403);
    expect(
      (
        await exchange('POST', '/v1/policies/preview', {
          body: { resourceCode, policy: { fields } },
        })
      ).status,
    ).toBe(401);
  });
});
