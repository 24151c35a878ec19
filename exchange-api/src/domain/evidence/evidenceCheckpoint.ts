import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { InputError } from '@gx/platform';
import type { Pool, PoolClient } from 'pg';
import type { ReceiptPublicJwk } from './ReceiptSigner.ts';

/** `typ` of a checkpoint's protected header: not a receipt, so neither passes for the other. */
export const CHECKPOINT_TYPE = 'evidence-checkpoint+jws';

/** What a checkpoint signs: the chain head at one moment. */
export interface CheckpointPayload {
  /** entries in the chain (the head's seq), decimal */
  seq: string;
  /** the hash of entry `seq` (64 zeros for an empty chain) */
  hash: string;
  /** when entry `seq` was chained; null for an empty chain */
  recordedAt: string | null;
  /** when the checkpoint was signed */
  issuedAt: string;
}

/** A signed checkpoint, as `GET /v1/evidence/checkpoint` answers it. */
export interface EvidenceCheckpoint extends CheckpointPayload {
  /** compact JWS (EdDSA, Ed25519, `typ` evidence-checkpoint+jws) over the canonical payload */
  jws: string;
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** The chain head as the database holds it now. */
export async function readChainHead(db: Queryable): Promise<Omit<CheckpointPayload, 'issuedAt'>> {
  const { rows } = await db.query<{ seq: string; hash: string; recorded_at: Date | null }>(
    'SELECT seq::text AS seq, hash, recorded_at FROM evidence_chain_head WHERE id = 1',
  );
  const head = rows[0];
  if (!head) throw new Error('evidence_chain_head has no row: is the migration applied?');
  return { seq: head.seq, hash: head.hash, recordedAt: head.recorded_at?.toISOString() ?? null };
}

/** The published receipt keys (public halves), newest first: what checkpoints are checked with. */
export async function readPublishedKeys(db: Queryable): Promise<ReceiptPublicJwk[]> {
  const { rows } = await db.query<{ public_jwk: ReceiptPublicJwk }>(
    'SELECT public_jwk FROM evidence_keys ORDER BY created_at DESC, kid',
  );
  return rows.map((r) => r.public_jwk);
}

/**
 * Check a checkpoint's signature against the published receipt keys and return what it signs.
 * Refuses with `InputError` (400) anything that is not a checkpoint signed by one of `keys`.
 *
 * The keys come from the database being checked. That is enough for what a checkpoint is for:
 * someone who rewrites the chain cannot change the checkpoint an auditor kept, so the rewrite
 * shows whatever keys the database holds; a key slipped into the database could only make a
 * forged checkpoint accuse an intact chain. An auditor who wants to rule that out too verifies
 * the JWS against the key set saved with it (any JOSE library does).
 */
export function openCheckpoint(
  jws: string,
  keys: readonly ReceiptPublicJwk[],
  /** where the checkpoint came from, for the problem's `errors` */
  at = '/checkpoint',
): CheckpointPayload {
  const invalid = (why: string) =>
    new InputError(`存证检查点无效：${why}`, [{ path: at, message: why }]);
  const parts = jws.trim().split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p)))
    throw invalid('不是紧凑格式的 JWS');
  const [header, payload, signature] = parts as [string, string, string];
  const parsed = (part: string): Record<string, unknown> => {
    try {
      const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
      if (value && typeof value === 'object' && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw invalid('JWS 的头部或载荷不是 JSON 对象');
  };
  const protectedHeader = parsed(header);
  if (protectedHeader.typ !== CHECKPOINT_TYPE || protectedHeader.alg !== 'EdDSA')
    throw invalid(`头部须为 alg EdDSA、typ ${CHECKPOINT_TYPE}`);
  const key = keys.find((k) => k.kid === protectedHeader.kid);
  if (!key) throw invalid(`签名密钥 ${String(protectedHeader.kid)} 不是本平台发布的存证密钥`);
  const publicKey = createPublicKey({ key: key as unknown as JsonWebKey, format: 'jwk' });
  const signed = verify(
    null,
    Buffer.from(`${header}.${payload}`, 'ascii'),
    publicKey,
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) throw invalid('签名不符');
  const body = parsed(payload);
  const { seq, hash, recordedAt, issuedAt } = body;
  if (
    typeof seq !== 'string' ||
    !/^(0|[1-9][0-9]{0,18})$/.test(seq) ||
    typeof hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(hash) ||
    (recordedAt !== null && typeof recordedAt !== 'string') ||
    typeof issuedAt !== 'string'
  )
    throw invalid('载荷缺少 seq、hash、recordedAt 或 issuedAt');
  return { seq, hash, recordedAt, issuedAt };
}
