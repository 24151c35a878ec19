import { Router } from 'express';
import type { PrismaClient } from '@gx/migrations';
import { actorOf } from '@gx/platform';
import type { Pool } from 'pg';
import {
  deleteMyDatasetReview,
  listDatasetReviews,
  putMyDatasetReview,
} from '../domain/reviews/datasetReviews.ts';

/** 评分与评论 (schemas/openapi/catalog-reviews.yaml); the spec has checked every input. */
export function reviewsRouter({ prisma, pool }: { prisma: PrismaClient; pool: Pool }): Router {
  const router = Router();
  router.get('/v1/resources/:code/reviews', async (req, res) => {
    res.json(
      await listDatasetReviews({
        prisma,
        actor: actorOf(res),
        code: req.params.code,
        page: Number(req.query.page ?? 1),
        pageSize: Number(req.query.pageSize ?? 20),
      }),
    );
  });
  router.put('/v1/resources/:code/reviews/mine', async (req, res) => {
    res.json(
      await putMyDatasetReview({
        prisma,
        pool,
        actor: actorOf(res),
        code: req.params.code,
        input: req.body,
      }),
    );
  });
  router.delete('/v1/resources/:code/reviews/mine', async (req, res) => {
    await deleteMyDatasetReview({ prisma, pool, actor: actorOf(res), code: req.params.code });
    res.status(204).end();
  });
  return router;
}
