import { Router, type Request } from 'express';
import type { PrismaClient } from '@gx/migrations';
import { actorOf } from '@gx/platform';
import { approveResource } from '../domain/resources/approveResource.ts';
import { createResource } from '../domain/resources/createResource.ts';
import { deleteResource } from '../domain/resources/deleteResource.ts';
import { getResource } from '../domain/resources/getResource.ts';
import { listResources, type ResourceFilters } from '../domain/resources/listResources.ts';
import { publishResource } from '../domain/resources/publishResource.ts';
import { rejectResource } from '../domain/resources/rejectResource.ts';
import { resourceHistory } from '../domain/resources/resourceHistory.ts';
import { retireResource } from '../domain/resources/retireResource.ts';
import { reviseResource } from '../domain/resources/reviseResource.ts';
import {
  getSchemaVersion,
  listSchemaVersions,
  previewRecordSchema,
} from '../domain/resources/schemaVersions.ts';
import { submitResource } from '../domain/resources/submitResource.ts';
import { updateResource } from '../domain/resources/updateResource.ts';

const text = (value: unknown) =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

function filtersOf(req: Request): ResourceFilters {
  return {
    department: text(req.query.department),
    region: text(req.query.region),
    theme: text(req.query.theme),
    status: text(req.query.status) as ResourceFilters['status'],
    sharingType: text(req.query.sharingType) as ResourceFilters['sharingType'],
    openType: text(req.query.openType) as ResourceFilters['openType'],
  };
}

/** `If-Match: "3"` → 3 */
function expectedRevision(req: Request): number | undefined {
  const header = req.header('if-match');
  const match = header ? /([0-9]{1,9})/.exec(header) : null;
  return match ? Number(match[1]) : undefined;
}

const STEPS = {
  submit: submitResource,
  approve: approveResource,
  reject: rejectResource,
  retire: retireResource,
  publish: publishResource,
  revise: reviseResource,
} as const;

export function resourcesRouter(prisma: PrismaClient): Router {
  const router = Router();

  router.get('/v1/resources', async (req, res) => {
    res.json(
      await listResources({
        prisma,
        actor: actorOf(res),
        filters: filtersOf(req),
        page: Number(req.query.page ?? 1),
        pageSize: Number(req.query.pageSize ?? 20),
      }),
    );
  });
  router.post('/v1/resources', async (req, res) => {
    const created = await createResource({ prisma, actor: actorOf(res), input: req.body });
    res.status(201).setHeader('ETag', `"${created.revision}"`).json(created);
  });
  router.get('/v1/resources/:code', async (req, res) => {
    const resource = await getResource({ prisma, actor: actorOf(res), code: req.params.code });
    res.setHeader('ETag', `"${resource.revision}"`).json(resource);
  });
  router.put('/v1/resources/:code', async (req, res) => {
    const updated = await updateResource({
      prisma,
      actor: actorOf(res),
      code: req.params.code,
      input: req.body,
      expectedRevision: expectedRevision(req),
    });
    res.setHeader('ETag', `"${updated.revision}"`).json(updated);
  });
  router.delete('/v1/resources/:code', async (req, res) => {
    await deleteResource({ prisma, actor: actorOf(res), code: req.params.code });
    res.status(204).end();
  });
  for (const [step, run] of Object.entries(STEPS)) {
    router.post(`/v1/resources/:code/${step}`, async (req, res) => {
      const comment = typeof req.body?.comment === 'string' ? req.body.comment : undefined;
      res.json(await run({ prisma, actor: actorOf(res), code: String(req.params.code), comment }));
    });
  }
  router.get('/v1/resources/:code/history', async (req, res) => {
    res.json({
      items: await resourceHistory({ prisma, actor: actorOf(res), code: req.params.code }),
    });
  });
  router.get('/v1/resources/:code/schema', async (req, res) => {
    res.json(await previewRecordSchema({ prisma, actor: actorOf(res), code: req.params.code }));
  });
  router.get('/v1/resources/:code/schema-versions', async (req, res) => {
    res.json({
      items: await listSchemaVersions({ prisma, actor: actorOf(res), code: req.params.code }),
    });
  });
  router.get('/v1/resources/:code/schema-versions/:version', async (req, res) => {
    res.json(
      await getSchemaVersion({
        prisma,
        actor: actorOf(res),
        code: req.params.code,
        version: Number(req.params.version),
      }),
    );
  });
  return router;
}
