import { Router } from 'express';
import type { DataRequestStatus, PrismaClient } from '@gx/migrations';
import { actorOf } from '@gx/platform';
import type { Pool } from 'pg';
import {
  answerDataRequest,
  createDataRequest,
  getDataRequest,
  listDataRequests,
} from '../domain/requests/dataRequests.ts';

/** 数据需求 (schemas/openapi/catalog-data-requests.yaml); the spec has checked every input. */
export function dataRequestsRouter({ prisma, pool }: { prisma: PrismaClient; pool: Pool }): Router {
  const router = Router();
  router.get('/v1/data-requests', async (req, res) => {
    res.json(
      await listDataRequests({
        prisma,
        actor: actorOf(res),
        status: req.query.status as DataRequestStatus | undefined,
        page: Number(req.query.page ?? 1),
        pageSize: Number(req.query.pageSize ?? 20),
      }),
    );
  });
  router.post('/v1/data-requests', async (req, res) => {
    const created = await createDataRequest({ prisma, pool, actor: actorOf(res), input: req.body });
    res.status(201).location(`/v1/data-requests/${created.id}`).json(created);
  });
  router.get('/v1/data-requests/:id', async (req, res) => {
    res.json(await getDataRequest({ prisma, actor: actorOf(res), id: req.params.id }));
  });
  router.post('/v1/data-requests/:id/answer', async (req, res) => {
    res.json(
      await answerDataRequest({ prisma, actor: actorOf(res), id: req.params.id, input: req.body }),
    );
  });
  return router;
}
