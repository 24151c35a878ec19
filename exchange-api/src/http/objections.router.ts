import { Router, type Request, type Response } from 'express';
import type { Pool } from 'pg';
import type { PrismaClient } from '@gx/migrations';
import { actorOf } from '@gx/platform';
import {
  correctObjectionRecord,
  type CorrectedValue,
} from '../domain/objections/correctObjectionRecord.ts';
import { listObjections } from '../domain/objections/listObjections.ts';
import type { ObjectionEvidenceSink } from '../domain/objections/objectionEvidence.ts';
import { departmentOf, loadObjection } from '../domain/objections/objectionParties.ts';
import type { ObjectionState, ObjectionStep } from '../domain/objections/objectionStateMachine.ts';
import { getObjectionRecord } from '../domain/objections/objectionRecord.ts';
import {
  nameObjectionPeople,
  nameObjectionPerson,
} from '../domain/objections/nameObjectionPeople.ts';
import { objectionView, type ObjectionView } from '../domain/objections/objectionViews.ts';
import { raiseObjection } from '../domain/objections/raiseObjection.ts';
import { stepObjection } from '../domain/objections/stepObjection.ts';
import { hashOf, sendWithReceipt, text, type ReceiptHeader } from './deliveries.ts';

export interface ObjectionsRouterOptions {
  prisma: PrismaClient;
  pool: Pool;
  evidence: ObjectionEvidenceSink;
  /** how a receipt travels in the `Evidence-Receipt` header (its compact JWS) */
  receiptHeader: ReceiptHeader;
  /** working days a provider has to answer (default OBJECTION_ANSWER_DAYS) */
  answerDays?: number;
}

/**
 * 数据异议: raise, list, read, the steps of the thread between raiser and provider, and the
 * provider's 更正记录 of the disputed record.
 */
export function objectionsRouter({
  prisma,
  pool,
  evidence,
  receiptHeader,
  answerDays,
}: ObjectionsRouterOptions): Router {
  const router = Router();
  const send = async (
    res: Response,
    status: number,
    result: { objection: ObjectionView; receipt: unknown },
  ) =>
    sendWithReceipt(
      res,
      receiptHeader,
      result.receipt,
      await nameObjectionPerson(prisma, result.objection, actorOf(res)),
      status,
    );

  router.get('/v1/objections', async (req, res) => {
    const { side, state, resource, overdue, page, pageSize } = req.query;
    const listed = await listObjections({
      prisma,
      pool,
      actor: actorOf(res),
      side: side === 'raiser' || side === 'provider' ? side : undefined,
      state: text(state) as ObjectionState | undefined,
      resourceCode: text(resource),
      overdue: overdue === undefined ? undefined : String(overdue) === 'true',
      page: page === undefined ? undefined : Number(page),
      pageSize: pageSize === undefined ? undefined : Number(pageSize),
    });
    res.json({ ...listed, items: await nameObjectionPeople(prisma, listed.items, actorOf(res)) });
  });

  router.post('/v1/objections', async (req, res) => {
    await send(
      res,
      201,
      await raiseObjection({
        prisma,
        pool,
        evidence,
        actor: actorOf(res),
        input: req.body,
        requestHash: hashOf(req),
        answerDays,
      }),
    );
  });

  router.get('/v1/objections/:id', async (req, res) => {
    const { objection } = await loadObjection({ prisma, pool }, actorOf(res), req.params.id);
    const view = objectionView(objection, {
      history: true,
      viewerDepartment: departmentOf(actorOf(res)),
    });
    res.json(await nameObjectionPerson(prisma, view, actorOf(res)));
  });

  const step = (req: Request, res: Response, which: ObjectionStep, comment: unknown) =>
    stepObjection({
      prisma,
      pool,
      evidence,
      actor: actorOf(res),
      id: String(req.params.id),
      step: which,
      comment: text(comment),
      requestHash: hashOf(req),
      answerDays,
    });

  router.post('/v1/objections/:id/answer', async (req, res) => {
    const { decision, reply } = req.body as { decision: 'accept' | 'reject'; reply?: string };
    await send(res, 200, await step(req, res, decision, reply));
  });
  // one route per step: a `/:step` parameter would swallow any later sibling route
  for (const which of ['correct', 'withdraw', 'close', 'reopen'] as const) {
    router.post(`/v1/objections/:id/${which}`, async (req, res) => {
      await send(
        res,
        200,
        await step(req, res, which, (req.body as { comment?: unknown })?.comment),
      );
    });
  }
  // 更正记录: the provider's steward reads the disputed record's fields, and corrects them
  router.get('/v1/objections/:id/record', async (req, res) => {
    res.json(
      await getObjectionRecord({ prisma, pool, actor: actorOf(res), id: String(req.params.id) }),
    );
  });
  router.post('/v1/objections/:id/record', async (req, res) => {
    const { values, comment } = req.body as {
      values: Record<string, CorrectedValue>;
      comment?: string;
    };
    await send(
      res,
      200,
      await correctObjectionRecord({
        prisma,
        pool,
        evidence,
        actor: actorOf(res),
        id: String(req.params.id),
        values,
        comment: text(comment),
        requestHash: hashOf(req),
      }),
    );
  });
  return router;
}
