import type { Pool } from 'pg';
import type { PrismaClient } from '@gx/migrations';
import {
  InputError,
  isAllowed,
  NotAllowedError,
  NotFoundError,
  UnauthenticatedError,
  type Actor,
} from '@gx/platform';
import { compilePolicy, type CompiledPolicy } from '../policy/compilePolicy.ts';
import type { DeletionGrant } from '../records/deleteHostedRecords.ts';
import { resourceFieldTypes } from './resourceFieldTypes.ts';
import { effectiveGrantStatus, GRANT_STATUS_TEXT } from './views.ts';

export type DeliveryMode = 'query' | 'verify' | 'bulk' | 'subscription';

export interface OpenedGrant {
  grantId: string;
  resourceId: string;
  resourceCode: string;
  consumerCode: string;
  policy: CompiledPolicy;
  /**
   * with `recordKey`: that record of the grant's resource as stored (before the row filter and
   * masks), null when there is none; otherwise absent
   */
  record?: Record<string, unknown> | null;
}

interface GrantRow {
  id: string;
  status: 'active' | 'suspended' | 'revoked' | 'expired';
  /** the provider's reason for a suspension or revocation */
  status_reason: string | null;
  valid_from: Date;
  valid_until: Date | null;
  policy: unknown;
  delivery_modes: string[];
  pseudonym_key: Buffer;
  revision: number;
  resource_id: string;
  resource_code: string;
  resource_revision: number;
  consumer_code: string;
  /** only with `recordKey` */
  record?: Record<string, unknown> | null;
}

// One round trip for everything the gate decides on; read on every call, never cached. Named
// statements: each connection parses and plans them once.
const GRANT_SELECT = `
SELECT g.id, g.status, g.status_reason, g.valid_from, g.valid_until, g.policy, g.delivery_modes, g.pseudonym_key,
       g.revision, g.resource_id, r.code AS resource_code, r.revision AS resource_revision,
       c.code AS consumer_code`;
const GRANT_FROM = `
  FROM grants g
  JOIN departments c ON c.id = g.consumer_id
  JOIN resources r ON r.id = g.resource_id`;
const GRANT_QUERY = {
  name: 'open-grant',
  text: `${GRANT_SELECT}${GRANT_FROM}
 WHERE g.id = $1::uuid`,
};
// A read by key takes its record along in the same round trip; the record is only
// handed out after the gate has decided, like any other.
const GRANT_AND_RECORD_QUERY = {
  name: 'open-grant-with-record',
  text: `${GRANT_SELECT}, rec.data AS record${GRANT_FROM}
  LEFT JOIN records rec ON rec.resource_id = g.resource_id AND rec.record_key = $2
 WHERE g.id = $1::uuid`,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Compiled policies by grant. The key includes the grant's and the resource's revisions, so any
 * change to either compiles afresh; what is cached is derived data, never the decision — the
 * grant row itself is read on every call.
 */
const compiled = new Map<string, { version: string; policy: CompiledPolicy }>();

async function compiledPolicy(prisma: PrismaClient, grant: GrantRow): Promise<CompiledPolicy> {
  const version = `${grant.revision}:${grant.resource_revision}`;
  const cached = compiled.get(grant.id);
  if (cached?.version === version) return cached.policy;
  const policy = compilePolicy(
    grant.policy,
    await resourceFieldTypes(prisma, grant.resource_id),
    Buffer.from(grant.pseudonym_key),
  );
  if (compiled.size > 10_000) compiled.clear();
  compiled.set(grant.id, { version, policy });
  return policy;
}

/**
 * The gate every consumer read passes (records API and stream enforcement alike): the caller is
 * a system or staff of the consumer department, the grant is active and within its validity, the
 * stated purpose is one the grant allows, and the delivery mode is granted. The grant row is read
 * on every call, so a suspension or revocation holds from the next call on.
 */
export async function openGrant({
  prisma,
  pool,
  actor,
  grantId,
  purpose,
  mode,
  recordKey,
  now = new Date(),
}: {
  prisma: PrismaClient;
  pool: Pool;
  actor: Actor;
  grantId: string;
  purpose: string | undefined;
  mode: DeliveryMode;
  /** read this record of the grant's resource in the same round trip (`OpenedGrant.record`) */
  recordKey?: string;
  now?: Date;
}): Promise<OpenedGrant> {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError('需要访问令牌');
  const department =
    actor.kind === 'user' || actor.kind === 'system' ? actor.departmentCode : undefined;
  const grant = UUID.test(grantId)
    ? (
        await pool.query<GrantRow>(
          recordKey === undefined
            ? { ...GRANT_QUERY, values: [grantId] }
            : { ...GRANT_AND_RECORD_QUERY, values: [grantId, recordKey] },
        )
      ).rows[0]
    : undefined;
  if (!grant || grant.consumer_code !== department) throw new NotFoundError('没有这个授权');
  if (
    !isAllowed(actor, 'exchange.call', { departmentCode: department }) &&
    !isAllowed(actor, 'request.create', { departmentCode: department })
  ) {
    throw new NotAllowedError('只有本部门的业务系统或数据管理员可以使用授权');
  }
  const status = effectiveGrantStatus({ status: grant.status, validUntil: grant.valid_until }, now);
  if (status !== 'active') {
    // the provider's reason, as the consumer's console shows it (an expiry has none)
    const reason = status === 'expired' ? null : grant.status_reason;
    throw new NotAllowedError(
      `授权${GRANT_STATUS_TEXT[status] ?? status}${reason ? `：${reason}` : ''}`,
      { grantStatus: status, ...(reason ? { statusReason: reason } : {}) },
    );
  }
  if (grant.valid_from.getTime() > now.getTime()) throw new NotAllowedError('授权尚未生效');
  if (!purpose)
    throw new InputError('请在 X-Purpose 请求头中说明用途编码', [
      { path: 'X-Purpose', message: '必填' },
    ]);
  const policy = await compiledPolicy(prisma, grant);
  if (!policy.allowsPurpose(purpose)) {
    throw new NotAllowedError(`用途 ${purpose} 不在授权范围内`, {
      allowedPurposes: policy.policy.purposes,
    });
  }
  if (!grant.delivery_modes.includes(mode)) throw new NotAllowedError(`授权不包含 ${mode} 方式`);
  const opened: OpenedGrant = {
    grantId: grant.id,
    resourceId: grant.resource_id,
    resourceCode: grant.resource_code,
    consumerCode: grant.consumer_code,
    policy,
  };
  if (recordKey !== undefined) opened.record = grant.record ?? null;
  return opened;
}

/**
 * The grants whose consumers may hold copies of a resource's records — those with the
 * subscription mode (SSE streams, connector sinks), unless revoked: a suspended or expired grant
 * may come back, and its consumer still holds what it was sent. Used to tell them of deletions.
 */
export async function subscribedGrants(
  prisma: PrismaClient,
  pool: Pool,
  resourceId: string,
): Promise<DeletionGrant[]> {
  const { rows } = await pool.query<GrantRow>(
    `${GRANT_SELECT}${GRANT_FROM}
      WHERE g.resource_id = $1::uuid AND g.status <> 'revoked'
        AND 'subscription' = ANY (g.delivery_modes)`,
    [resourceId],
  );
  const grants: DeletionGrant[] = [];
  for (const row of rows)
    grants.push({ grantId: row.id, policy: await compiledPolicy(prisma, row) });
  return grants;
}
