import type { Pool } from 'pg';
import {
  ApiKeyRequiredError,
  ConflictError,
  describeActor,
  DomainError,
  InputError,
  NotAllowedError,
  NotFoundError,
  type Actor,
} from '@gx/platform';
import type { CompiledPolicy } from '../policy/compilePolicy.ts';
import type { EvidenceSink } from '../sharing/evidenceSink.ts';
import { refuseHarvestedData } from '../harvestedEntry.ts';
import { keyHasApprovedApplication } from '../openApplications/conditionalScope.ts';
import { compileOpenPolicy, defaultOpenPolicy, type OpenItem } from './openPolicy.ts';

/** What a caller does with open data; each needs its own API-key action. */
export type OpenAccess = 'preview' | 'query' | 'download';

export interface OpenResourceRow {
  id: string;
  code: string;
  name: string;
  status: string;
  openType: 'open' | 'conditional' | 'none';
  openConditions: string | null;
  providerCode: string;
  items: OpenItem[];
  /** the steward's policy; null: the default */
  policy: unknown;
  pseudonymKey: Buffer | null;
  policyUpdatedBy: string | null;
  policyUpdatedAt: Date | null;
  harvestSource: string | null;
  harvestSourceUrl: string | null;
}

// one round trip: the entry, its items in order, and its open policy if the steward set one
const RESOURCE_SQL = `
SELECT r.id, r.code, r.name, r.status, r.open_type AS "openType",
       r.open_conditions AS "openConditions", d.code AS "providerCode",
       coalesce((SELECT json_agg(json_build_object('name', i.name, 'label', i.label,
                         'dataType', i.data_type, 'unit', i.unit, 'isPersonal', i.is_personal)
                         ORDER BY i.position)
                   FROM information_items i WHERE i.resource_id = r.id), '[]') AS items,
       p.policy, p.pseudonym_key AS "pseudonymKey", p.updated_by AS "policyUpdatedBy",
       p.updated_at AS "policyUpdatedAt",
       hs.name AS "harvestSource", r.harvest_source_url AS "harvestSourceUrl"
  FROM resources r
  JOIN departments d ON d.id = r.provider_id
  LEFT JOIN open_policies p ON p.resource_id = r.id
  LEFT JOIN harvest_sources hs ON hs.id = r.harvest_source_id
 WHERE r.code = $1`;

/** A directory entry with its items and open policy, whoever asks; undefined when unknown. */
export async function loadOpenResource(
  pool: Pool,
  code: string,
): Promise<OpenResourceRow | undefined> {
  return (await pool.query<OpenResourceRow>(RESOURCE_SQL, [code])).rows[0];
}

// the default policy masks nothing, so it never uses a key
const NO_KEY = Buffer.alloc(32);

/** The policy a resource is served under: the steward's, or the default. */
export function servedPolicy(row: OpenResourceRow): CompiledPolicy {
  const raw = row.policy ?? defaultOpenPolicy(row.items);
  try {
    return compileOpenPolicy(raw, row.items, row.pseudonymKey ?? NO_KEY);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // items changed since the steward set the policy, or every item is personal: serve nothing
    // rather than guess what the provider meant to open
    throw new ConflictError(
      row.policy === null
        ? '该资源的信息项均为个人信息，提供部门设置开放策略后才提供数据'
        : '该资源的开放策略与当前信息项不符，提供部门更新开放策略后才提供数据',
    );
  }
}

export interface OpenedResource {
  resourceId: string;
  resourceCode: string;
  name: string;
  openType: 'open' | 'conditional';
  openConditions: string | null;
  items: OpenItem[];
  policy: CompiledPolicy;
}

export interface OpenResourceOptions {
  pool: Pool;
  evidence: EvidenceSink;
  actor: Actor;
  code: string;
  access: OpenAccess;
  /** of the HTTP request, for the evidence of a refusal */
  requestHash: string;
}

const KEY_ACTION: Record<OpenAccess, string> = {
  preview: 'read',
  query: 'read',
  download: 'download',
};

/**
 * Who may have what. 无条件开放: preview and downloads are public; the records API needs an API
 * key with `read` whose scope covers the resource (`*` does). 有条件开放: everything needs a key
 * whose scope lists the resource's code — the key an approved application yields — with `read`,
 * or `download` for downloads.
 */
function checkAccess(actor: Actor, resource: OpenResourceRow, access: OpenAccess): void {
  const isPublic = resource.openType === 'open' && access !== 'query';
  if (isPublic) return;
  if (actor.kind === 'anonymous') {
    throw new ApiKeyRequiredError(
      resource.openType === 'open'
        ? '开放数据接口需要 API key（X-API-Key 请求头）'
        : '有条件开放的数据需使用开放申请获批后的 API key（X-API-Key 请求头）',
    );
  }
  if (actor.kind !== 'api-key') throw new NotAllowedError('开放数据只接受开发者 API key');
  const action = KEY_ACTION[access];
  if (!actor.actions.includes(action)) throw new NotAllowedError(`此 API key 没有 ${action} 权限`);
  const listed = actor.resources.includes(resource.code);
  if (resource.openType === 'conditional' && !listed) {
    throw new NotAllowedError(
      `资源 ${resource.code} 为有条件开放，须使用开放申请获批后列明该资源的 API key`,
      { openConditions: resource.openConditions },
    );
  }
  if (!listed && !actor.resources.includes('*'))
    throw new NotAllowedError(`此 API key 的授权范围不含资源 ${resource.code}`);
}

/**
 * 有条件开放 data goes only to the key an approved, still valid application yielded: listing the
 * code is not enough (a key could list it from before applications existed, or outlive the
 * application's validity).
 */
async function checkApplication(pool: Pool, actor: Actor, resource: OpenResourceRow) {
  if (resource.openType !== 'conditional' || actor.kind !== 'api-key') return;
  if (!(await keyHasApprovedApplication(pool, actor.apiKeyId, resource.id)))
    throw new NotAllowedError(
      `资源 ${resource.code} 为有条件开放，此 API key 没有有效的开放申请批准（可能已过期），请重新申请`,
      { openConditions: resource.openConditions },
    );
}

/**
 * The gate of every open read and download: the resource is published and 无条件开放 or
 * 有条件开放, the caller may have it (see `checkAccess`), and its open policy compiles against
 * its current items. Unknown, unpublished and 不予开放 resources answer 404 alike, so that the
 * open API does not reveal what exists. A refusal of an identified caller is evidence.
 */
export async function openResource({
  pool,
  evidence,
  actor,
  code,
  access,
  requestHash,
}: OpenResourceOptions): Promise<OpenedResource> {
  try {
    const row = await loadOpenResource(pool, code);
    if (!row || row.status !== 'published' || row.openType === 'none')
      throw new NotFoundError(`没有代码为 ${code} 的开放数据资源`);
    refuseHarvestedData(row);
    checkAccess(actor, row, access);
    await checkApplication(pool, actor, row);
    return {
      resourceId: row.id,
      resourceCode: row.code,
      name: row.name,
      openType: row.openType,
      openConditions: row.openConditions,
      items: row.items,
      policy: servedPolicy(row),
    };
  } catch (error) {
    if (error instanceof DomainError && actor.kind !== 'anonymous') {
      await evidence.append({
        actor: describeActor(actor),
        actorKind: actor.kind,
        resourceCode: code,
        operation: 'refusal',
        recordCount: 0,
        requestHash,
        outcome: 'refused',
        details: { openData: access, reason: error.code, detail: error.message },
      });
    }
    throw error;
  }
}
