import { Router } from 'express';
import type { Pool } from 'pg';
import { getOpenResourceUsage, listPopularOpenResources } from '../domain/open/openUsage.ts';

export interface OpenUsageRouterOptions {
  pool: Pool;
}

/**
 * 最常用数据 and a dataset's 近N天调用/下载: public figures derived from the evidence log
 * (schemas/openapi/exchange-open-usage.yaml). The spec validator has checked `days` and `limit`.
 */
export function openUsageRouter({ pool }: OpenUsageRouterOptions): Router {
  const router = Router();

  router.get('/v1/open/popular', async (req, res) => {
    res.json(
      await listPopularOpenResources({
        pool,
        days: Number(req.query.days ?? 30),
        limit: Number(req.query.limit ?? 8),
      }),
    );
  });

  router.get('/v1/open/resources/:code/usage', async (req, res) => {
    res.json(
      await getOpenResourceUsage({
        pool,
        code: req.params.code,
        days: Number(req.query.days ?? 30),
      }),
    );
  });
  return router;
}
