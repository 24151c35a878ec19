import {
  describeActor,
  isAllowed,
  NotAllowedError,
  UnauthenticatedError,
  type Actor,
} from '@gx/platform';
import type { EvidenceEntry } from './evidenceEntry.ts';

/**
 * The evidence log as a whole (listing, verification) is for auditors and platform admins
 * (`evidence.read`). Its existence is no secret, so others get 403 rather than 404;
 * anonymous callers get 401.
 */
export function authorizeEvidenceRead(actor: Actor): void {
  if (isAllowed(actor, 'evidence.read')) return;
  if (actor.kind === 'anonymous') throw new UnauthenticatedError('需要登录或提供访问令牌');
  throw new NotAllowedError('只有审计员和平台管理员可以查看存证日志 (evidence.read)');
}

/**
 * Who may fetch one entry's receipt later: whoever may read the whole log; the staff and
 * systems of the department that acted (the receipt is their proof of what they received or
 * were refused); and the very caller the entry names, e.g. a developer's API key for open-data
 * calls. Anyone else is told the entry does not exist.
 */
export function canSeeReceipt(actor: Actor, entry: EvidenceEntry): boolean {
  if (isAllowed(actor, 'evidence.read')) return true;
  if (actor.kind === 'anonymous') return false;
  if (
    (actor.kind === 'user' || actor.kind === 'system') &&
    actor.departmentCode !== undefined &&
    actor.departmentCode === entry.department
  )
    return true;
  return describeActor(actor) === entry.actor;
}
