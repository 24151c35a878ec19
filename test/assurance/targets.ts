import { grantedPeopleResource, type GrantedResource } from '../fixtures.ts';
import { call, type Harness } from '../harness.ts';
import type { SpecOperation } from './specOperations.ts';

/**
 * Real objects for path parameters, so that generated requests get past the lookups and reach
 * the code behind them. The fixture is the exchange's usual state: 公安局 (hz-gaj) provides a
 * resource, 人社局 (hz-rsj) holds a grant on it, a sink connector of hz-rsj delivers it, an
 * objection and a public data request exist, a developer holds an API key.
 */
export interface Targets {
  granted: GrantedResource;
  /** a draft directory entry of hz-gaj (never submitted) */
  draftCode: string;
  connectorName: string;
  objectionId: string;
  dataRequestId: string;
  apiKeyId: string;
  /** the developer's API key itself (`gx_…`) */
  apiKey: string;
  evidenceEntryId: string;
  /** a published 无条件开放 resource of hz-gaj, for the open-data API and dataset reviews */
  openCode: string;
  /** a published 有条件开放 resource of hz-gaj, and a developer's application for it */
  conditionalCode: string;
  /** a published resource of hz-gaj that revision may turn back into a draft */
  reviseCode: string;
  openApplicationId: string;
  harvestSourceId: string;
  /**
   * ids seen in list answers, by the path template they stand for
   * (`/v1/harvest-jobs/{id}` → `/v1/harvest-jobs`)
   */
  seen: Map<string, Record<string, string>>;
}

export async function createTargets(h: Harness): Promise<Targets> {
  const granted = await grantedPeopleResource(h);
  const steward = await h.token('hz-gaj.steward');
  const developer = await h.token('developer');
  const rsjSystem = await h.systemToken('hz-rsj-system');
  const draft = await call(h.catalog.base, 'POST', '/v1/resources', {
    token: steward,
    body: {
      name: '户籍迁移登记（草稿，测试）',
      abstract: '户籍迁入迁出登记信息，供测试的草稿目录',
      themeCode: 'population',
      format: 'database',
      sharingType: 'conditional',
      sharingConditions: '仅限依法履职所需',
      sharingMethods: ['api'],
      openType: 'none',
      updateCycle: 'daily',
      items: [
        { name: 'id_number', label: '公民身份号码', dataType: 'string', isKey: true },
        { name: 'moved_on', label: '迁移日期', dataType: 'date' },
      ],
    },
  });
  if (draft.status !== 201) throw new Error(`draft: ${JSON.stringify(draft.body)}`);

  const connectorName = 'rsj-assurance-sink';
  await h.db.pool.query(
    `INSERT INTO connectors (name, kind, type, department_id, grant_id, config, created_by)
     SELECT $1, 'sink', 'webhook', g.consumer_id, g.id, $3::jsonb, 'assurance'
       FROM grants g WHERE g.id = $2`,
    [
      connectorName,
      granted.grantId,
      JSON.stringify({
        type: 'webhook',
        department: 'hz-rsj',
        grant: granted.grantId,
        options: {
          url: 'https://rsj.example.cn/hook',
          signingKey: { secret: { env: 'HOOK_KEY' } },
        },
        batchSize: 500,
        pollIntervalMs: 1000,
      }),
    ],
  );

  const objection = await call(h.exchange.base, 'POST', '/v1/objections', {
    token: rsjSystem,
    body: {
      resourceCode: granted.resourceCode,
      recordKey: granted.people[0]!.id_number,
      fields: ['mobile'],
      description: '手机号码与本局登记不一致',
    },
  });
  if (objection.status !== 201) throw new Error(`objection: ${JSON.stringify(objection.body)}`);

  const dataRequest = await call(h.catalog.base, 'POST', '/v1/data-requests', {
    token: developer,
    body: {
      title: '希望开放居民联系方式统计',
      description: '按区县统计的登记人数',
      wantedDepartment: 'hz-gaj',
      contact: 'dev@example.cn',
    },
  });
  if (dataRequest.status !== 201)
    throw new Error(`data request: ${JSON.stringify(dataRequest.body)}`);

  const openCode = await publishOpen(h, steward, 'open', '空气质量监测读数（测试）');
  const conditionalCode = await publishOpen(h, steward, 'conditional', '水质监测读数（测试）');
  const reviseCode = await publishOpen(h, steward, 'none', '噪声监测读数（测试）');
  const application = await call(h.exchange.base, 'POST', '/v1/open-applications', {
    token: developer,
    body: {
      resourceCode: conditionalCode,
      purpose: '开发空气质量提醒小程序，向市民推送附近站点的实时读数',
      purposeCode: 'PUBLIC_WELFARE',
      realName: '张伟',
      organisation: '杭州数智科技有限公司',
      contact: 'zhangwei@example.cn',
      intendedUse: '小程序首页展示附近站点读数，不转售数据',
      actions: ['read'],
    },
  });
  if (application.status !== 201)
    throw new Error(`open application: ${JSON.stringify(application.body)}`);

  const harvest = await call(h.catalog.base, 'POST', '/v1/harvest-sources', {
    token: await h.token('admin'),
    body: {
      name: '区县数据目录（测试）',
      type: 'ckan',
      url: 'https://xh.example.gov.cn/',
      fallbackThemeCode: 'government',
    },
  });
  if (harvest.status !== 201) throw new Error(`harvest source: ${JSON.stringify(harvest.body)}`);

  // one key to call with, another for the key-management operations to act on
  const key = await call(h.exchange.base, 'POST', '/v1/api-keys', {
    token: developer,
    body: { name: 'assurance' },
  });
  if (key.status !== 201) throw new Error(`api key: ${JSON.stringify(key.body)}`);
  const managed = await call(h.exchange.base, 'POST', '/v1/api-keys', {
    token: developer,
    body: { name: 'assurance-managed' },
  });
  if (managed.status !== 201) throw new Error(`api key: ${JSON.stringify(managed.body)}`);

  const evidence = await call(h.exchange.base, 'GET', '/v1/evidence?limit=1', {
    token: await h.token('auditor'),
  });
  const evidenceEntryId = (evidence.body.items?.[0]?.id ?? evidence.body.items?.[0]?.entryId) as
    string | undefined;
  if (!evidenceEntryId) throw new Error(`evidence: ${JSON.stringify(evidence.body).slice(0, 300)}`);

  return {
    granted,
    draftCode: draft.body.code as string,
    connectorName,
    objectionId: objection.body.id as string,
    dataRequestId: dataRequest.body.id as string,
    apiKeyId: managed.body.apiKey.id as string,
    apiKey: key.body.key as string,
    evidenceEntryId,
    openCode,
    conditionalCode,
    reviseCode,
    openApplicationId: application.body.id as string,
    harvestSourceId: harvest.body.id as string,
    seen: new Map(),
  };
}

/** A published resource of hz-gaj with a few records, as the open-data tests make it. */
async function publishOpen(
  h: Harness,
  steward: string,
  openType: 'open' | 'conditional' | 'none',
  name: string,
): Promise<string> {
  const created = await call(h.catalog.base, 'POST', '/v1/resources', {
    token: steward,
    body: {
      name,
      abstract: `${name}：监测站点的读数`,
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
  if (created.status !== 201) throw new Error(`open resource: ${JSON.stringify(created.body)}`);
  const code = created.body.code as string;
  await call(h.catalog.base, 'POST', `/v1/resources/${code}/submit`, { token: steward });
  const approved = await call(h.catalog.base, 'POST', `/v1/resources/${code}/approve`, {
    token: await h.token('hz-dsj.approver'),
  });
  if (approved.body.status !== 'published') throw new Error('open resource not published');
  await call(h.exchange.base, 'POST', `/v1/resources/${code}/records`, {
    token: await h.systemToken('hz-gaj-system'),
    body: {
      records: [1, 2, 3].map((i) => ({ reading_id: `R${i}`, station: `站点${i}`, aqi: 40 + i })),
    },
  });
  return code;
}

/**
 * Remember ids from list answers (`items[0]` of every list the callers may read), so that
 * operations added later find an object to act on without anyone naming it here.
 */
export async function discoverTargets(
  h: Harness,
  operations: SpecOperation[],
  targets: Targets,
  tokens: string[],
): Promise<void> {
  const bases = {
    catalog: h.catalog.base,
    'exchange-api': h.exchange.base,
    connectors: h.connectors.base,
  };
  // two rounds: the second reaches lists under a path parameter the first one found
  for (let round = 0; round < 2; round += 1) {
    for (const op of operations) {
      if (
        op.method !== 'GET' ||
        op.ckan ||
        op.path.startsWith('/dcat') ||
        /export|download|subscription/.test(op.path)
      )
        continue;
      const path = resolvePath(op, targets, {});
      if (!path) continue;
      for (const token of tokens) {
        const res = await fetch(`${bases[op.service]}${path}`, {
          headers: { authorization: `Bearer ${token}` },
        }).catch(() => undefined);
        if (!res || res.status !== 200) {
          await res?.body?.cancel();
          continue;
        }
        const body = (await res.json().catch(() => undefined)) as { items?: unknown[] } | undefined;
        const first = Array.isArray(body?.items)
          ? body.items[0]
          : Array.isArray(body)
            ? body[0]
            : undefined;
        if (!first || typeof first !== 'object') continue;
        const ids: Record<string, string> = {};
        for (const [k, v] of Object.entries(first as Record<string, unknown>))
          if (
            (typeof v === 'string' || typeof v === 'number') &&
            ['id', 'code', 'name', 'version', 'type', 'entryId', 'key', 'clientId'].includes(k)
          )
            ids[k] = String(v);
        if (!targets.seen.has(op.path)) targets.seen.set(op.path, ids);
      }
    }
  }
}

/**
 * The concrete path of `op`, its parameters filled from `values`, else from the fixture, else
 * from what discovery saw. Undefined when a parameter has nothing to stand for.
 */
export function resolvePath(
  op: SpecOperation,
  targets: Targets,
  values: Record<string, string>,
): string | undefined {
  let missing = false;
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
    const value = values[name] ?? fixtureValue(op, name, targets, op.path.slice(0, offset - 1));
    if (value === undefined) missing = true;
    return encodePathValue(value ?? '');
  });
  return missing ? undefined : path;
}

/** encodeURIComponent, with lone surrogates sent as their raw (invalid) UTF-8 bytes */
export function encodePathValue(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...value]
      .map((c) => {
        try {
          return encodeURIComponent(c);
        } catch {
          return '%ED%A0%80';
        }
      })
      .join('');
  }
}

function fixtureValue(
  op: SpecOperation,
  name: string,
  t: Targets,
  collection: string,
): string | undefined {
  const p = op.path;
  const byCollection: [string, string, string][] = [
    ['/v1/grants', 'id', t.granted.grantId],
    ['/v1/sharing-requests', 'id', t.granted.requestId],
    ['/v1/objections', 'id', t.objectionId],
    ['/v1/data-requests', 'id', t.dataRequestId],
    ['/v1/api-keys', 'id', t.apiKeyId],
    ['/v1/connectors', 'name', t.connectorName],
    ['/v1/systems', 'clientId', 'hz-rsj-system'],
    ['/v1/departments', 'code', 'hz-gaj'],
    ['/v1/evidence/receipts', 'entryId', t.evidenceEntryId],
    ['/v1/open-applications', 'id', t.openApplicationId],
    ['/v1/harvest-sources', 'id', t.harvestSourceId],
  ];
  for (const [prefix, param, value] of byCollection)
    if (collection === prefix && name === param) return value;
  if (name === 'code') {
    // resource.manage operations act on drafts; everything else on the published resource
    if (/\/v1\/resources\/\{code\}(\/submit)?$/.test(p) && op.method !== 'GET') return t.draftCode;
    if (p.endsWith('/revise')) return t.reviseCode;
    // open data and dataset reviews are about open resources
    if (p.startsWith('/v1/open/') || p.includes('/reviews')) return t.openCode;
    return t.granted.resourceCode;
  }
  if (name === 'key') return t.granted.people[0]!.id_number;
  if (name === 'change') return 'suspend';
  if (name === 'action') return 'package_list';
  if (name === 'scheme') return 'sharing-types';
  if (name === 'type' && p.startsWith('/v1/connector-plugins')) return 'webhook';
  const seen = t.seen.get(collection);
  if (seen) return seen[name] ?? seen.id ?? seen.code ?? seen.name;
  return undefined;
}
