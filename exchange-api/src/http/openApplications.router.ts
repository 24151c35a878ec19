import { Router, type Request, type Response } from 'express';
import type { Pool } from 'pg';
import type { OpenApplicationStatus, PrismaClient } from '@gx/migrations';
import { actorOf } from '@gx/platform';
import {
  applyForOpenData,
  type OpenApplicationInput,
} from '../domain/openApplications/applyForOpenData.ts';
import { cancelOpenApplication } from '../domain/openApplications/cancelOpenApplication.ts';
import { claimOpenApplicationKey } from '../domain/openApplications/claimOpenApplicationKey.ts';
import {
  approveOpenApplication,
  rejectOpenApplication,
  type ApprovalTerms,
  type DecisionContext,
} from '../domain/openApplications/decideOpenApplication.ts';
import { listOpenApplications } from '../domain/openApplications/listOpenApplications.ts';
import { loadOpenApplication } from '../domain/openApplications/loadOpenApplication.ts';
import { openApplicationView } from '../domain/openApplications/openApplicationView.ts';
import type { EvidenceSink } from '../domain/sharing/evidenceSink.ts';
import { hashOf, text } from './deliveries.ts';

export interface OpenApplicationsRouterOptions {
  prisma: PrismaClient;
  pool: Pool;
  evidence: EvidenceSink;
}

/** 开放申请: apply for 有条件开放 data, follow, decide, claim the key. */
export function openApplicationsRouter({
  prisma,
  pool,
  evidence,
}: OpenApplicationsRouterOptions): Router {
  const router = Router();

  router.get('/v1/open-applications', async (req, res) => {
    res.json({
      items: await listOpenApplications({
        prisma,
        pool,
        actor: actorOf(res),
        side: req.query.side === 'provider' ? 'provider' : 'applicant',
        status: text(req.query.status) as OpenApplicationStatus | undefined,
      }),
    });
  });
  router.post('/v1/open-applications', async (req, res) => {
    res.status(201).json(
      await applyForOpenData({
        prisma,
        pool,
        evidence,
        actor: actorOf(res),
        input: req.body as OpenApplicationInput,
        requestHash: hashOf(req),
      }),
    );
  });
  router.get('/v1/open-applications/:id', async (req, res) => {
    const { application } = await loadOpenApplication(prisma, pool, actorOf(res), req.params.id);
    res.json(openApplicationView(application));
  });
  const decision = (req: Request, res: Response): DecisionContext => ({
    prisma,
    pool,
    evidence,
    actor: actorOf(res),
    id: String(req.params.id),
    requestHash: hashOf(req),
  });
  router.post('/v1/open-applications/:id/approve', async (req, res) => {
    res.json(await approveOpenApplication(decision(req, res), (req.body ?? {}) as ApprovalTerms));
  });
  router.post('/v1/open-applications/:id/reject', async (req, res) => {
    res.json(
      await rejectOpenApplication(
        decision(req, res),
        String((req.body as { reason: string }).reason),
      ),
    );
  });
  router.post('/v1/open-applications/:id/cancel', async (req, res) => {
    res.json(await cancelOpenApplication({ prisma, pool, actor: actorOf(res), id: req.params.id }));
  });
  router.post('/v1/open-applications/:id/key', async (req, res) => {
    res.status(201).json(
      await claimOpenApplicationKey({
        prisma,
        pool,
        actor: actorOf(res),
        id: req.params.id,
        name: text((req.body as { name?: unknown } | undefined)?.name),
      }),
    );
  });
  return router;
}
