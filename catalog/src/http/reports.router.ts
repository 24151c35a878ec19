import { Router } from 'express';
import type { PrismaClient } from '@gx/migrations';
import { actorOf } from '@gx/platform';
import { departmentReport } from '../domain/reports/departmentReport.ts';
import { gapReport } from '../domain/reports/gapReport.ts';
import { overdueReport } from '../domain/reports/overdueReport.ts';

export function reportsRouter(prisma: PrismaClient): Router {
  const router = Router();
  router.get('/v1/reports/departments', async (_req, res) => {
    res.json(await departmentReport({ prisma, actor: actorOf(res) }));
  });
  router.get('/v1/reports/overdue', async (_req, res) => {
    res.json({ items: await overdueReport({ prisma, actor: actorOf(res) }) });
  });
  router.get('/v1/reports/gaps', async (_req, res) => {
    res.json(await gapReport({ prisma, actor: actorOf(res) }));
  });
  return router;
}
