import { Router } from 'express';
import type { PrismaClient } from '@gx/migrations';
import { actorOf } from '@gx/platform';
import { getDepartment } from '../domain/organisation/getDepartment.ts';
import { listDepartments } from '../domain/organisation/listDepartments.ts';
import { listRegions } from '../domain/organisation/listRegions.ts';
import { updateDepartment } from '../domain/organisation/updateDepartment.ts';
import { createFunction, listFunctions } from '../domain/organisation/statutoryFunctions.ts';

export function organisationRouter(prisma: PrismaClient): Router {
  const router = Router();
  router.get('/v1/regions', async (_req, res) => {
    res.json({ items: await listRegions({ prisma }) });
  });
  router.get('/v1/departments', async (req, res) => {
    const region = typeof req.query.region === 'string' ? req.query.region : undefined;
    res.json({ items: await listDepartments({ prisma, regionCode: region }) });
  });
  router.get('/v1/departments/:code', async (req, res) => {
    res.json(await getDepartment({ prisma, code: req.params.code }));
  });
  router.patch('/v1/departments/:code', async (req, res) => {
    res.json(
      await updateDepartment({
        prisma,
        actor: actorOf(res),
        code: req.params.code,
        changes: req.body,
      }),
    );
  });
  router.get('/v1/themes', async (_req, res) => {
    const themes = await prisma.theme.findMany({ orderBy: { position: 'asc' } });
    res.json({
      items: themes.map(({ code, name, kind, classCode }) => ({ code, name, kind, classCode })),
    });
  });
  router.get('/v1/functions', async (req, res) => {
    const department = typeof req.query.department === 'string' ? req.query.department : undefined;
    res.json({ items: await listFunctions({ prisma, departmentCode: department }) });
  });
  router.post('/v1/departments/:code/functions', async (req, res) => {
    res.status(201).json(
      await createFunction({
        prisma,
        actor: actorOf(res),
        departmentCode: req.params.code,
        ...req.body,
      }),
    );
  });
  return router;
}
