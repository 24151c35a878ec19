import { Router, type Request } from 'express';
import type { PrismaClient } from '@gx/migrations';
import { actorOf } from '@gx/platform';
import { createHarvestSource } from '../domain/harvest/createHarvestSource.ts';
import { deleteHarvestSource } from '../domain/harvest/deleteHarvestSource.ts';
import type { ItemAction } from '../domain/harvest/HarvestJobLog.ts';
import type { HarvestRunner } from '../domain/harvest/HarvestRunner.ts';
import { getHarvestJob, listHarvestJobs } from '../domain/harvest/readHarvestJobs.ts';
import { getHarvestSource, listHarvestSources } from '../domain/harvest/readHarvestSources.ts';
import { updateHarvestSource } from '../domain/harvest/updateHarvestSource.ts';

export interface HarvestRouterOptions {
  prisma: PrismaClient;
  runner: HarvestRunner;
}

/** page and pageSize, already range-checked by the spec */
function paging(req: Request, defaultSize: number) {
  return {
    page: Number(req.query.page ?? 1),
    pageSize: Number(req.query.pageSize ?? defaultSize),
  };
}

/** Harvest sources and jobs (schemas/openapi/catalog-harvest.yaml); platform admin only. */
export function harvestRouter({ prisma, runner }: HarvestRouterOptions): Router {
  const router = Router();
  router.get('/v1/harvest-sources', async (_req, res) => {
    res.json({ items: await listHarvestSources({ prisma, actor: actorOf(res) }) });
  });
  router.post('/v1/harvest-sources', async (req, res) => {
    const created = await createHarvestSource({ prisma, actor: actorOf(res), input: req.body });
    res.status(201).location(`/v1/harvest-sources/${created.id}`).json(created);
  });
  router.get('/v1/harvest-sources/:id', async (req, res) => {
    res.json(await getHarvestSource({ prisma, actor: actorOf(res), id: req.params.id }));
  });
  router.patch('/v1/harvest-sources/:id', async (req, res) => {
    res.json(
      await updateHarvestSource({
        prisma,
        actor: actorOf(res),
        id: req.params.id,
        changes: req.body,
      }),
    );
  });
  router.delete('/v1/harvest-sources/:id', async (req, res) => {
    await deleteHarvestSource({ prisma, actor: actorOf(res), id: req.params.id });
    res.status(204).end();
  });
  router.post('/v1/harvest-sources/:id/run', async (req, res) => {
    const job = await runner.runNow({ actor: actorOf(res), sourceId: req.params.id });
    res.status(202).location(`/v1/harvest-jobs/${job.id}`).json(job);
  });
  router.get('/v1/harvest-sources/:id/jobs', async (req, res) => {
    res.json(
      await listHarvestJobs({
        prisma,
        actor: actorOf(res),
        sourceId: req.params.id,
        ...paging(req, 20),
      }),
    );
  });
  router.get('/v1/harvest-jobs/:id', async (req, res) => {
    res.json(
      await getHarvestJob({
        prisma,
        actor: actorOf(res),
        id: req.params.id,
        action: typeof req.query.action === 'string' ? (req.query.action as ItemAction) : undefined,
        ...paging(req, 100),
      }),
    );
  });
  return router;
}
