import { Router, type Request } from 'express';
import { actorOf } from '@gx/platform';
import type { Pool } from 'pg';
import {
  EVIDENCE_RECEIPT_HEADER,
  type EvidenceOperation,
} from '../domain/evidence/evidenceEntry.ts';
import { authorizeEvidenceRead } from '../domain/evidence/authorizeEvidenceRead.ts';
import { listEvidenceArchives } from '../domain/evidence/evidenceArchive.ts';
import type { EvidenceLog } from '../domain/evidence/EvidenceLog.ts';
import type { EvidenceWatch } from '../domain/evidence/EvidenceWatch.ts';
import { getEvidenceReceipt } from '../domain/evidence/getEvidenceReceipt.ts';
import {
  listDepartmentEvidence,
  listEvidence,
  type DepartmentEvidenceSide,
  type EvidenceFilters,
} from '../domain/evidence/listEvidence.ts';
import { runEvidenceVerification } from '../domain/evidence/runEvidenceVerification.ts';

export interface EvidenceRouterOptions {
  evidence: EvidenceLog;
  pool: Pool;
  watch: EvidenceWatch;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

function filters(query: Request['query']): EvidenceFilters {
  return {
    resourceCode: text(query.resource),
    grantId: text(query.grant),
    operation: text(query.operation) as EvidenceOperation | undefined,
    department: text(query.department),
    outcome: text(query.outcome) as EvidenceFilters['outcome'],
    from: text(query.from),
    to: text(query.to),
  };
}

/** Evidence (存证): the public receipt keys, receipts, the auditors' listing and verification. */
export function evidenceRouter({ evidence, pool, watch }: EvidenceRouterOptions): Router {
  const router = Router();

  router.get('/.well-known/evidence-keys.json', async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(await evidence.publicJwks());
  });

  router.get('/v1/evidence', async (req, res) => {
    const limit = req.query.limit === undefined ? undefined : Number(req.query.limit);
    res.json(
      await listEvidence({
        pool,
        actor: actorOf(res),
        ...filters(req.query),
        cursor: text(req.query.cursor),
        limit,
      }),
    );
  });

  router.get('/v1/evidence/department', async (req, res) => {
    const limit = req.query.limit === undefined ? undefined : Number(req.query.limit);
    res.set('Cache-Control', 'no-store').json(
      await listDepartmentEvidence({
        pool,
        actor: actorOf(res),
        ...filters(req.query),
        department: undefined,
        departmentCode: text(req.query.department),
        side: (text(req.query.side) ?? 'provided') as DepartmentEvidenceSide,
        cursor: text(req.query.cursor),
        limit,
      }),
    );
  });

  router.get('/v1/evidence/verify', async (req, res) => {
    res.json(
      await runEvidenceVerification({
        pool,
        actor: actorOf(res),
        evidence,
        checkpoint: text(req.query.checkpoint),
        since: text(req.query.since),
      }),
    );
  });

  router.get('/v1/evidence/verification', async (_req, res) => {
    authorizeEvidenceRead(actorOf(res));
    res.set('Cache-Control', 'no-store').json(await watch.current());
  });

  router.get('/v1/evidence/archives', async (_req, res) => {
    authorizeEvidenceRead(actorOf(res));
    res.set('Cache-Control', 'no-store').json({ items: await listEvidenceArchives(pool) });
  });

  router.get('/v1/evidence/checkpoint', async (_req, res) => {
    authorizeEvidenceRead(actorOf(res));
    res.set('Cache-Control', 'no-store').json(await evidence.checkpoint());
  });

  router.get('/v1/evidence/receipts/:entryId', async (req, res) => {
    const receipt = await getEvidenceReceipt({
      evidence,
      actor: actorOf(res),
      entryId: req.params.entryId,
    });
    res.set(EVIDENCE_RECEIPT_HEADER, receipt.jws).json(receipt);
  });

  return router;
}
