import { NotFoundError, UnauthenticatedError, type Actor } from '@gx/platform';
import { canSeeReceipt } from './authorizeEvidenceRead.ts';
import { receiptPayload, type EvidenceReceipt, type ReceiptPayload } from './evidenceEntry.ts';
import type { EvidenceLog } from './EvidenceLog.ts';

export interface GetEvidenceReceiptOptions {
  evidence: EvidenceLog;
  actor: Actor;
  entryId: string;
}

export interface EvidenceReceiptView extends EvidenceReceipt {
  keyId: string;
  /** what the JWS asserts, decoded for convenience (the JWS is what counts) */
  payload: ReceiptPayload;
}

/** An entry's receipt, for the caller it concerns (see `canSeeReceipt`). */
export async function getEvidenceReceipt({
  evidence,
  actor,
  entryId,
}: GetEvidenceReceiptOptions): Promise<EvidenceReceiptView> {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError('需要登录、访问令牌或 API key');
  const entry = await evidence.entry(entryId);
  if (!entry || !canSeeReceipt(actor, entry)) {
    // the same answer whether the entry was archived, never existed or is someone else's
    const archived = await evidence.archivedThrough();
    throw new NotFoundError(
      archived
        ? `没有这条存证记录或无权查看: ${entryId}。第 1–${archived} 条存证已归档并从数据库移除，其中条目的回执在归档文件中，请向审计人员索取`
        : `没有这条存证记录或无权查看: ${entryId}`,
    );
  }
  const receipt = await evidence.receiptOf(entry);
  return { ...receipt, keyId: entry.keyId, payload: receiptPayload(entry) };
}
