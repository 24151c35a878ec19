import { Router } from 'express';
import type { Pool } from 'pg';
import type { PrismaClient } from '@gx/migrations';
import { actorOf } from '@gx/platform';
import { previewPolicy, type PolicyDraft } from '../domain/policy/previewPolicy.ts';

export interface PolicyPreviewRouterOptions {
  prisma: PrismaClient;
  pool: Pool;
}

/** 脱敏预览: the approver's policy editor shows a draft policy's effect before granting. */
export function policyPreviewRouter({ prisma, pool }: PolicyPreviewRouterOptions): Router {
  const router = Router();
  router.post('/v1/policies/preview', async (req, res) => {
    const body = req.body as {
      resourceCode: string;
      policy: PolicyDraft;
      record?: Record<string, unknown>;
    };
    res.json(
      await previewPolicy({
        prisma,
        pool,
        actor: actorOf(res),
        resourceCode: body.resourceCode,
        policy: body.policy,
        record: body.record,
      }),
    );
  });
  return router;
}
