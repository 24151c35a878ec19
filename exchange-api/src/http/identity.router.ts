import { Router } from 'express';
import type { PrismaClient } from '@gx/migrations';
import { actorOf, UnauthenticatedError } from '@gx/platform';
import type { Pool } from 'pg';
import { apiKeyUsage } from '../domain/apiKeys/apiKeyUsage.ts';
import { createApiKey } from '../domain/apiKeys/createApiKey.ts';
import { listApiKeys } from '../domain/apiKeys/listApiKeys.ts';
import { revokeApiKey } from '../domain/apiKeys/revokeApiKey.ts';
import { rotateApiKey } from '../domain/apiKeys/rotateApiKey.ts';
import type { IdentityProviderMode } from '../domain/systems/identityProviderMode.ts';
import { disableSystem } from '../domain/systems/disableSystem.ts';
import { listSystems } from '../domain/systems/listSystems.ts';
import { registerSystem } from '../domain/systems/registerSystem.ts';
import { rotateSystemSecret } from '../domain/systems/rotateSystemSecret.ts';

export interface IdentityRouterOptions {
  prisma: PrismaClient;
  pool: Pool;
  identityProvider: IdentityProviderMode;
}

/** Who am I, department systems, developer API keys. */
export function identityRouter({ prisma, pool, identityProvider }: IdentityRouterOptions): Router {
  const router = Router();

  router.get('/v1/me', (_req, res) => {
    const actor = actorOf(res);
    if (actor.kind === 'anonymous') throw new UnauthenticatedError('需要登录、访问令牌或 API key');
    if (actor.kind === 'api-key') {
      res.json({ kind: actor.kind, keyId: actor.keyId });
      return;
    }
    res.json(actor);
  });

  router.get('/v1/systems', async (req, res) => {
    const department = typeof req.query.department === 'string' ? req.query.department : undefined;
    res.json({
      items: await listSystems({ prisma, actor: actorOf(res), departmentCode: department }),
    });
  });
  router.post('/v1/systems', async (req, res) => {
    res
      .status(201)
      .json(await registerSystem({ prisma, identityProvider, actor: actorOf(res), ...req.body }));
  });
  router.post('/v1/systems/:clientId/secret', async (req, res) => {
    res.json(
      await rotateSystemSecret({
        prisma,
        identityProvider,
        actor: actorOf(res),
        clientId: req.params.clientId,
      }),
    );
  });
  router.post('/v1/systems/:clientId/disable', async (req, res) => {
    res.json(await disableSystem({ prisma, actor: actorOf(res), clientId: req.params.clientId }));
  });

  router.get('/v1/api-keys', async (_req, res) => {
    res.json({ items: await listApiKeys({ prisma, pool, actor: actorOf(res) }) });
  });
  router.post('/v1/api-keys', async (req, res) => {
    res.status(201).json(await createApiKey({ prisma, pool, actor: actorOf(res), ...req.body }));
  });
  router.post('/v1/api-keys/:id/rotate', async (req, res) => {
    res.json(await rotateApiKey({ prisma, pool, actor: actorOf(res), id: req.params.id }));
  });
  router.delete('/v1/api-keys/:id', async (req, res) => {
    await revokeApiKey({ prisma, pool, actor: actorOf(res), id: req.params.id });
    res.status(204).end();
  });
  router.get('/v1/api-keys/:id/usage', async (req, res) => {
    const days = Number(req.query.days ?? 30);
    res.json({
      items: await apiKeyUsage({ prisma, pool, actor: actorOf(res), id: req.params.id, days }),
    });
  });
  return router;
}
