import { sha256Hex } from '../evidence/evidenceEntry.ts';
import type { GrantStatus, PrismaClient } from '@gx/migrations';
import {
  authorize,
  canonicalJson,
  ConflictError,
  describeActor,
  InputError,
  NotFoundError,
  UnauthenticatedError,
  type Actor,
} from '@gx/platform';
import { prismaQuery } from '../records/deleteHostedRecords.ts';
import { grantHasSinks, queueInitialLoad } from '../records/queueInitialLoad.ts';
import type { EvidenceSink } from './evidenceSink.ts';
import {
  effectiveGrantStatus,
  GRANT_STATUS_TEXT,
  grantInclude,
  grantView,
  isPartyTo,
} from './views.ts';

/** A grant the caller may see: its consumer's or provider's department, or a platform admin. */
export async function loadGrant(prisma: PrismaClient, actor: Actor, id: string) {
  // an identity is needed before anything is looked up (docs/authorization.md: 401, not 404)
  if (actor.kind === 'anonymous') throw new UnauthenticatedError('需要登录或提供访问令牌');
  const grant = /^[0-9a-f-]{36}$/i.test(id)
    ? await prisma.grant.findUnique({ where: { id }, include: grantInclude() })
    : null;
  if (!grant || !isPartyTo(actor, grant)) {
    throw new NotFoundError('没有这个授权');
  }
  return grant;
}

const CHANGES: Record<
  'suspend' | 'resume' | 'revoke',
  { from: GrantStatus[]; to: GrantStatus; label: string }
> = {
  suspend: { from: ['active'], to: 'suspended', label: '暂停' },
  resume: { from: ['suspended'], to: 'active', label: '恢复' },
  revoke: { from: ['active', 'suspended'], to: 'revoked', label: '撤销' },
};

/**
 * The provider's approver suspends, resumes or revokes a grant. Nothing caches grants: the
 * records API and the stream enforcement read the grant row on every use, so the change holds
 * on every process from the next call on. Running subscription streams do not wait for a next
 * call: the update fires `NOTIFY grant_changed` at commit (a trigger on `grants`, migration
 * 20261121080000_record_changes, so every writer of grants notifies), and each stream re-reads
 * its grant then, and every 500 ms regardless.
 */
export async function changeGrantStatus({
  prisma,
  evidence,
  actor,
  id,
  change,
  reason,
}: {
  prisma: PrismaClient;
  evidence: EvidenceSink;
  actor: Actor;
  id: string;
  change: 'suspend' | 'resume' | 'revoke';
  reason?: string;
}) {
  const grant = await loadGrant(prisma, actor, id);
  authorize(actor, 'request.decide', { departmentCode: grant.provider.code }, 'write');
  const step = CHANGES[change];
  if (change !== 'resume' && !reason?.trim())
    throw new InputError(`请说明${step.label}理由`, [{ path: '/reason', message: '必填' }]);
  const current = effectiveGrantStatus(grant);
  if (!step.from.includes(current))
    throw new ConflictError(`授权当前${GRANT_STATUS_TEXT[current] ?? current}，不能${step.label}`, {
      grantStatus: current,
    });
  // A resumed grant's sinks missed what changed while it was suspended (enforcement delivers to
  // active grants only): the resumption queues a 存量同步 for them in the same transaction, so
  // each sink gets every stored record's current version and a tombstone for each retained
  // deletion it could see (ADR 0012)
  const resynced = await prisma.$transaction(async (tx) => {
    const updated = await tx.grant.updateMany({
      where: { id: grant.id, revision: grant.revision },
      data: { status: step.to, statusReason: reason?.trim() ?? null, revision: { increment: 1 } },
    });
    if (updated.count === 0) throw new ConflictError('授权已被他人修改，请刷新');
    if (change !== 'resume' || !(await grantHasSinks(prismaQuery(tx), grant.id))) return undefined;
    return queueInitialLoad(prismaQuery(tx), grant.id);
  });
  await evidence.append({
    actor: describeActor(actor),
    actorKind: actor.kind,
    department: grant.provider.code,
    grantId: grant.id,
    resourceCode: grant.resource.code,
    operation: 'grant-change',
    recordCount: 0,
    requestHash: sha256Hex(canonicalJson({ change, id: grant.id, reason })),
    details: {
      change,
      from: current,
      to: step.to,
      reason: reason ?? null,
      ...(resynced === undefined ? {} : { initialLoadQueued: resynced }),
    },
  });
  return grantView(
    await prisma.grant.findUniqueOrThrow({ where: { id: grant.id }, include: grantInclude() }),
  );
}
