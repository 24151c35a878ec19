import { Router } from 'express';
import { actorOf, NotAllowedError, UnauthenticatedError } from '@gx/platform';
import type { Pool } from 'pg';

/** The open-data API: called with developer API keys, under their limits and scopes. */
export function openRouter(pool: Pool): Router {
  const router = Router();
  router.get('/v1/open/departments', async (_req, res) => {
    const actor = actorOf(res);
    if (actor.kind !== 'api-key')
      throw new UnauthenticatedError('开放接口需要 API key (X-API-Key)');
    if (!actor.actions.includes('read')) throw new NotAllowedError('此 API key 没有 read 权限');
    const { rows } = await pool.query(
      `SELECT d.code, d.name, d.short_name AS "shortName", r.code AS "regionCode", r.name AS "regionName"
         FROM departments d JOIN regions r ON r.id = d.region_id ORDER BY d.code`,
    );
    res.json({ items: rows });
  });
  return router;
}
