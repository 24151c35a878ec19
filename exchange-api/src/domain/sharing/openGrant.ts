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
import { resourceFieldTypes } from './resourceFieldTypes.ts';
import { effectiveGrantStatus } from './views.ts';

export type DeliveryMode = 'query' | 'verify' | 'bulk' | 'subscription';

export interface OpenedGrant {
  grantId: string;
  resourceId: string;
  resourceCode: string;
  consumerCode: string;
  policy: CompiledPolicy;
}

const STATUS_TEXT: Record<string, string> = {
  suspended: '已暂停',
  revoked: '已撤销',
  expired: '已过期',
};

/**
 * The gate every consumer read passes (records API and stream enforcement alike): the caller is
 * a system or staff of the consumer department, the grant is active and within its validity, the
 * stated purpose is one the grant allows, and the delivery mode is granted. Read from the
 * database on every call, so a suspension or revocation holds from the next call on.
 */
export async function openGrant({
  prisma,
  actor,
  grantId,
  purpose,
  mode,
  now = new Date(),
}: {
  prisma: PrismaClient;
  actor: Actor;
  grantId: string;
  purpose: string | undefined;
  mode: DeliveryMode;
  now?: Date;
}): Promise<OpenedGrant> {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError('需要访问令牌');
  const department =
    actor.kind === 'user' || actor.kind === 'system' ? actor.departmentCode : undefined;
  const grant = /^[0-9a-f-]{36}$/i.test(grantId)
    ? await prisma.grant.findUnique({
        where: { id: grantId },
        include: { consumer: true, resource: true },
      })
    : null;
  if (!grant || grant.consumer.code !== department) throw new NotFoundError('没有这个授权');
  if (
    !isAllowed(actor, 'exchange.call', { departmentCode: department }) &&
    !isAllowed(actor, 'request.create', { departmentCode: department })
  ) {
    throw new NotAllowedError('只有本部门的业务系统或数据管理员可以使用授权');
  }
  const status = effectiveGrantStatus(grant, now);
  if (status !== 'active')
    throw new NotAllowedError(`授权${STATUS_TEXT[status] ?? status}`, { grantStatus: status });
  if (grant.validFrom.getTime() > now.getTime()) throw new NotAllowedError('授权尚未生效');
  if (!purpose)
    throw new InputError('请在 X-Purpose 请求头中说明用途编码', [
      { path: 'X-Purpose', message: '必填' },
    ]);
  const policy = compilePolicy(
    grant.policy,
    await resourceFieldTypes(prisma, grant.resourceId),
    Buffer.from(grant.pseudonymKey),
  );
  if (!policy.allowsPurpose(purpose))
    throw new NotAllowedError(`用途 ${purpose} 不在授权范围内`, {
      allowedPurposes: policy.policy.purposes,
    });
  if (!grant.deliveryModes.includes(mode)) throw new NotAllowedError(`授权不包含 ${mode} 方式`);
  return {
    grantId: grant.id,
    resourceId: grant.resourceId,
    resourceCode: grant.resource.code,
    consumerCode: grant.consumer.code,
    policy,
  };
}
