import { Router } from 'express';
import type { PrismaClient } from '@gx/migrations';
import { actorOf } from '@gx/platform';
import { createSharingRequest } from '../domain/sharing/createSharingRequest.ts';
import {
  approveSharingRequest,
  loadRequest,
  rejectSharingRequest,
  withdrawSharingRequest,
} from '../domain/sharing/decideSharingRequest.ts';
import type { EvidenceSink } from '../domain/sharing/evidenceSink.ts';
import { changeGrantStatus, loadGrant } from '../domain/sharing/grantLifecycle.ts';
import { listGrants, listSharingRequests } from '../domain/sharing/listSharing.ts';
import { grantInclude, grantView, requestView } from '../domain/sharing/views.ts';

export interface SharingRouterOptions {
  prisma: PrismaClient;
  evidence: EvidenceSink;
  decisionDays: number;
}

const side = (value: unknown) => (value === 'provider' ? 'provider' : 'consumer');

export function sharingRouter({ prisma, evidence, decisionDays }: SharingRouterOptions): Router {
  const router = Router();
  router.get('/v1/purposes', async (_req, res) => {
    const purposes = await prisma.purpose.findMany({ orderBy: { position: 'asc' } });
    res.json({ items: purposes.map(({ code, name }) => ({ code, name })) });
  });
  router.get('/v1/sharing-requests', async (req, res) => {
    const status =
      typeof req.query.status === 'string' ? (req.query.status as 'pending') : undefined;
    res.json({
      items: await listSharingRequests({
        prisma,
        actor: actorOf(res),
        side: side(req.query.side),
        status,
      }),
    });
  });
  router.post('/v1/sharing-requests', async (req, res) => {
    res.status(201).json(
      await createSharingRequest({
        prisma,
        evidence,
        actor: actorOf(res),
        input: req.body,
        decisionDays,
      }),
    );
  });
  router.get('/v1/sharing-requests/:id', async (req, res) => {
    res.json(requestView(await loadRequest(prisma, actorOf(res), req.params.id)));
  });
  router.post('/v1/sharing-requests/:id/approve', async (req, res) => {
    res.json(
      await approveSharingRequest({
        prisma,
        evidence,
        actor: actorOf(res),
        id: req.params.id,
        terms: req.body ?? {},
      }),
    );
  });
  router.post('/v1/sharing-requests/:id/reject', async (req, res) => {
    res.json(
      await rejectSharingRequest({
        prisma,
        evidence,
        actor: actorOf(res),
        id: req.params.id,
        reason: req.body?.reason,
      }),
    );
  });
  router.post('/v1/sharing-requests/:id/withdraw', async (req, res) => {
    res.json(await withdrawSharingRequest({ prisma, actor: actorOf(res), id: req.params.id }));
  });
  router.get('/v1/grants', async (req, res) => {
    res.json({
      items: await listGrants({ prisma, actor: actorOf(res), side: side(req.query.side) }),
    });
  });
  router.get('/v1/grants/:id', async (req, res) => {
    const grant = await loadGrant(prisma, actorOf(res), req.params.id);
    res.json(
      grantView(
        await prisma.grant.findUniqueOrThrow({ where: { id: grant.id }, include: grantInclude() }),
      ),
    );
  });
  // one route per change: a `/:change` parameter would also swallow /v1/grants/{id}/verify
  for (const change of ['suspend', 'resume', 'revoke'] as const) {
    router.post(`/v1/grants/:id/${change}`, async (req, res) => {
      const reason = req.body?.reason as string | undefined;
      const actor = actorOf(res);
      res.json(
        await changeGrantStatus({
          prisma,
          evidence,
          actor,
          id: String(req.params.id),
          change,
          reason,
        }),
      );
    });
  }
  return router;
}
