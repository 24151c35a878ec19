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
import { listPurposes } from '../domain/purposes/purposes.ts';
import type { EvidenceSink } from '../domain/sharing/evidenceSink.ts';
import { changeGrantStatus, loadGrant } from '../domain/sharing/grantLifecycle.ts';
import { listGrants, listSharingRequests } from '../domain/sharing/listSharing.ts';
import { namePeople, namePerson } from '../domain/sharing/people.ts';
import { grantInclude, grantView, requestView } from '../domain/sharing/views.ts';

export interface SharingRouterOptions {
  prisma: PrismaClient;
  evidence: EvidenceSink;
  decisionDays: number;
}

const side = (value: unknown) => (value === 'provider' ? 'provider' : 'consumer');

export function sharingRouter({ prisma, evidence, decisionDays }: SharingRouterOptions): Router {
  const router = Router();
  router.get('/v1/purposes', async (req, res) => {
    const use = req.query.for === 'open-data' ? 'open-data' : 'sharing';
    res.json({ items: await listPurposes({ prisma, use }) });
  });
  router.get('/v1/sharing-requests', async (req, res) => {
    const status =
      typeof req.query.status === 'string' ? (req.query.status as 'pending') : undefined;
    const items = await listSharingRequests({
      prisma,
      actor: actorOf(res),
      side: side(req.query.side),
      status,
    });
    res.json({ items: await namePeople(prisma, items) });
  });
  router.post('/v1/sharing-requests', async (req, res) => {
    const created = await createSharingRequest({
      prisma,
      evidence,
      actor: actorOf(res),
      input: req.body,
      decisionDays,
    });
    res.status(201).json(await namePerson(prisma, created));
  });
  router.get('/v1/sharing-requests/:id', async (req, res) => {
    const request = requestView(await loadRequest(prisma, actorOf(res), req.params.id));
    res.json(await namePerson(prisma, request));
  });
  router.post('/v1/sharing-requests/:id/approve', async (req, res) => {
    const approved = await approveSharingRequest({
      prisma,
      evidence,
      actor: actorOf(res),
      id: req.params.id,
      terms: req.body ?? {},
    });
    res.json(await namePerson(prisma, approved));
  });
  router.post('/v1/sharing-requests/:id/reject', async (req, res) => {
    const rejected = await rejectSharingRequest({
      prisma,
      evidence,
      actor: actorOf(res),
      id: req.params.id,
      reason: req.body?.reason,
    });
    res.json(await namePerson(prisma, rejected));
  });
  router.post('/v1/sharing-requests/:id/withdraw', async (req, res) => {
    const withdrawn = await withdrawSharingRequest({
      prisma,
      actor: actorOf(res),
      id: req.params.id,
    });
    res.json(await namePerson(prisma, withdrawn));
  });
  router.get('/v1/grants', async (req, res) => {
    const items = await listGrants({ prisma, actor: actorOf(res), side: side(req.query.side) });
    res.json({ items: await namePeople(prisma, items) });
  });
  router.get('/v1/grants/:id', async (req, res) => {
    const grant = await loadGrant(prisma, actorOf(res), req.params.id);
    const view = grantView(
      await prisma.grant.findUniqueOrThrow({ where: { id: grant.id }, include: grantInclude() }),
    );
    res.json(await namePerson(prisma, view));
  });
  // one route per change: a `/:change` parameter would also swallow /v1/grants/{id}/verify
  for (const change of ['suspend', 'resume', 'revoke'] as const) {
    router.post(`/v1/grants/:id/${change}`, async (req, res) => {
      const reason = req.body?.reason as string | undefined;
      const actor = actorOf(res);
      const changed = await changeGrantStatus({
        prisma,
        evidence,
        actor,
        id: String(req.params.id),
        change,
        reason,
      });
      res.json(await namePerson(prisma, changed));
    });
  }
  return router;
}
