import { call, type Harness } from './harness.ts';
import { residentContactItems } from '@gx/platform';

/** Fictitious people: 18-digit numbers of nobody in particular, two districts. */
export function demoPeople(count: number, districts = ['西湖区', '上城区']) {
  return Array.from({ length: count }, (_, i) => ({
    id_number: `33010619900101${String(1000 + i).slice(-4)}`,
    name: `测试${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}`,
    mobile: `1380013${String(8000 + i)}`,
    address: `浙江省杭州市${districts[i % districts.length]}文三路${i}号`,
    district: districts[i % districts.length]!,
  }));
}

export interface GrantedResource {
  resourceCode: string;
  requestId: string;
  grantId: string;
  people: ReturnType<typeof demoPeople>;
}

/**
 * The exchange's usual state, through the HTTP APIs: 公安局 (hz-gaj) publishes a conditional
 * resource of people, pushes records, 人社局's system (hz-rsj-system) requests it and hz-gaj's
 * approver grants it with the given policy changes (default: no narrowing).
 */
export async function grantedPeopleResource(
  h: Harness,
  approval: Record<string, unknown> = {},
  count = 20,
): Promise<GrantedResource> {
  const resourceCode = await publishedPeopleResource(h);
  const people = demoPeople(count);
  const ingested = await call(h.exchange.base, 'POST', `/v1/resources/${resourceCode}/records`, {
    token: await h.systemToken('hz-gaj-system'),
    body: { records: people },
  });
  if (ingested.body.accepted !== count) throw new Error(`ingest: ${JSON.stringify(ingested.body)}`);
  return { resourceCode, people, ...(await approvedRequest(h, resourceCode, approval)) };
}

/** The catalogue entry of 公安局's people (`items` unless given), published: its code. */
export async function publishedPeopleResource(
  h: Harness,
  items: Record<string, unknown>[] = residentContactItems(),
): Promise<string> {
  const steward = await h.token('hz-gaj.steward');
  const created = await call(h.catalog.base, 'POST', '/v1/resources', {
    token: steward,
    body: peopleEntry(items),
  });
  if (created.status !== 201) throw new Error(`create: ${JSON.stringify(created.body)}`);
  const resourceCode = created.body.code as string;
  await call(h.catalog.base, 'POST', `/v1/resources/${resourceCode}/submit`, { token: steward });
  const approved = await call(h.catalog.base, 'POST', `/v1/resources/${resourceCode}/approve`, {
    token: await h.token('hz-dsj.approver'),
  });
  if (approved.body.status !== 'published') throw new Error('resource not published');
  return resourceCode;
}

/** what a steward writes for the people entry with these items (create and update bodies) */
export function peopleEntry(items: Record<string, unknown>[] = residentContactItems()) {
  return {
    name: '居民联系方式（测试）',
    abstract: '本市户籍居民登记的联系电话与居住地址',
    themeCode: 'population',
    format: 'database',
    sharingType: 'conditional',
    sharingConditions: '仅限依法履职所需',
    sharingMethods: ['api', 'file'],
    openType: 'none',
    updateCycle: 'daily',
    items,
  };
}

/**
 * A system's sharing request of a resource's people fields for 社会保障 by every delivery mode,
 * approved by 公安局's approver with `approval` (masks, row filter…): its id and the grant's.
 */
export async function approvedRequest(
  h: Harness,
  resourceCode: string,
  approval: Record<string, unknown> = {},
  system = 'hz-rsj-system',
): Promise<{ requestId: string; grantId: string }> {
  const requested = await call(h.exchange.base, 'POST', '/v1/sharing-requests', {
    token: await h.systemToken(system),
    body: {
      resourceCode,
      fields: ['id_number', 'name', 'mobile', 'district'],
      purposeCodes: ['SOCIAL_SECURITY'],
      purposeText: '社会保险待遇资格认证',
      legalBasisText: '《社会保险法》第八条',
      deliveryModes: ['query', 'verify', 'bulk', 'subscription'],
    },
  });
  if (requested.status !== 201) throw new Error(`request: ${JSON.stringify(requested.body)}`);
  const decided = await call(
    h.exchange.base,
    'POST',
    `/v1/sharing-requests/${requested.body.id}/approve`,
    { token: await h.token('hz-gaj.approver'), body: approval },
  );
  if (decided.status !== 200) throw new Error(`approve: ${JSON.stringify(decided.body)}`);
  return { requestId: requested.body.id, grantId: decided.body.grantId };
}

/**
 * A 无条件开放 entry of 杭州市公安局 (hz-gaj), published through the catalog API (created by its
 * steward, approved by the data authority), with one key field and no records: its code.
 */
export async function publishEmptyOpenDataset(
  h: Harness,
  name: string,
  abstract: string,
): Promise<string> {
  const steward = await h.token('hz-gaj.steward');
  const created = await call(h.catalog.base, 'POST', '/v1/resources', {
    token: steward,
    body: {
      name,
      abstract,
      themeCode: 'environment',
      format: 'database',
      sharingType: 'unconditional',
      sharingMethods: ['api'],
      updateCycle: 'daily',
      openType: 'open',
      items: [{ name: 'station_id', label: '站点编号', dataType: 'string', isKey: true }],
    },
  });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  const code = created.body.code as string;
  await call(h.catalog.base, 'POST', `/v1/resources/${code}/submit`, { token: steward });
  const approved = await call(h.catalog.base, 'POST', `/v1/resources/${code}/approve`, {
    token: await h.token('hz-dsj.approver'),
  });
  if (approved.body.status !== 'published')
    throw new Error(`approval failed: ${JSON.stringify(approved.body)}`);
  return code;
}
