import { Router } from 'express';
import { actorOf } from '@gx/platform';
import type { Pool } from 'pg';
import { exchangeReport } from '../domain/reports/exchangeReport.ts';

export interface ReportsRouterOptions {
  pool: Pool;
}

/** 报表: the exchange's working figures for the data authority's dashboard. */
export function reportsRouter({ pool }: ReportsRouterOptions): Router {
  const router = Router();
  router.get('/v1/reports/exchange', async (req, res) => {
    const department = typeof req.query.department === 'string' ? req.query.department : undefined;
    res.json(await exchangeReport({ pool, actor: actorOf(res), department }));
  });
  return router;
}
