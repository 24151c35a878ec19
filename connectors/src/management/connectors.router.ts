import { Router, type Request, type Response } from 'express';
import { actorOf } from '@gx/platform';
import { alterConnectorOffsets } from './alterConnectorOffsets.ts';
import { changeConnectorState, type ConnectorStateChange } from './changeConnectorState.ts';
import { createConnector } from './createConnector.ts';
import { deleteConnector } from './deleteConnector.ts';
import { getConnectorOffsets } from './getConnectorOffsets.ts';
import { getConnectorStatus } from './getConnectorStatus.ts';
import { listConnectorPlugins } from './listConnectorPlugins.ts';
import { listConnectors } from './listConnectors.ts';
import { listDeadLetters } from './listDeadLetters.ts';
import { loadConnector } from './loadConnector.ts';
import type { ManagementContext } from './managementContext.ts';
import { putConnectorConfig } from './putConnectorConfig.ts';
import { requestInitialLoad } from './queueInitialLoad.ts';
import { resetConnectorOffsets } from './resetConnectorOffsets.ts';
import { validateConnectorConfig } from './validateConnectorConfig.ts';

/**
 * Connector management in the shape of Kafka Connect's REST API
 * (schemas/openapi/connectors-management.yaml). Requests arrive validated against the spec.
 */
export function connectorsRouter(context: ManagementContext): Router {
  const router = Router();
  const by = (req: Request, res: Response) => ({
    context,
    actor: actorOf(res),
    name: String(req.params.name),
  });

  router.get('/v1/connectors', async (_req, res) => {
    res.json({ items: await listConnectors({ context, actor: actorOf(res) }) });
  });

  router.post('/v1/connectors', async (req, res) => {
    const { name, config } = req.body as { name: string; config: unknown };
    const connector = await createConnector({ context, actor: actorOf(res), name, config });
    res
      .status(201)
      .location(`/v1/connectors/${encodeURIComponent(connector.name)}`)
      .json(connector);
  });

  router.get('/v1/connectors/:name', async (req, res) => {
    const { context: c, actor, name } = by(req, res);
    res.json(await loadConnector({ pool: c.pool, actor, name, mode: 'read' }));
  });

  router.delete('/v1/connectors/:name', async (req, res) => {
    // the validator admits only true/false here (coerced or not, depending on its version)
    const release = String(req.query.release ?? 'true') !== 'false';
    await deleteConnector({ ...by(req, res), release });
    res.status(204).end();
  });

  router.get('/v1/connectors/:name/config', async (req, res) => {
    const { context: c, actor, name } = by(req, res);
    res.json((await loadConnector({ pool: c.pool, actor, name, mode: 'read' })).config);
  });

  router.put('/v1/connectors/:name/config', async (req, res) => {
    res.json(await putConnectorConfig({ ...by(req, res), config: req.body as unknown }));
  });

  router.get('/v1/connectors/:name/status', async (req, res) => {
    res.json(await getConnectorStatus(by(req, res)));
  });

  // one route per change: a `/:change` parameter would swallow later sibling routes
  const changes: [ConnectorStateChange, 'put' | 'post'][] = [
    ['pause', 'put'],
    ['resume', 'put'],
    ['stop', 'put'],
    ['restart', 'post'],
  ];
  for (const [change, method] of changes) {
    router[method](`/v1/connectors/:name/${change}`, async (req, res) => {
      await changeConnectorState({ ...by(req, res), change });
      res.status(202).end();
    });
  }

  router.post('/v1/connectors/:name/initial-load', async (req, res) => {
    res.status(202).json(await requestInitialLoad(by(req, res)));
  });

  router.get('/v1/connectors/:name/offsets', async (req, res) => {
    res.json(await getConnectorOffsets(by(req, res)));
  });

  router.get('/v1/connectors/:name/dead-letters', async (req, res) => {
    const { limit, before } = req.query as { limit?: number; before?: string };
    res.json(await listDeadLetters({ ...by(req, res), limit: limit ?? 50, before }));
  });

  router.patch('/v1/connectors/:name/offsets', async (req, res) => {
    res.json(
      await alterConnectorOffsets({
        ...by(req, res),
        body: req.body as Parameters<typeof alterConnectorOffsets>[0]['body'],
      }),
    );
  });

  router.delete('/v1/connectors/:name/offsets', async (req, res) => {
    res.json(await resetConnectorOffsets(by(req, res)));
  });

  router.get('/v1/connector-plugins', (_req, res) => {
    res.json(listConnectorPlugins({ context, actor: actorOf(res) }));
  });

  router.put('/v1/connector-plugins/:type/config/validate', async (req, res) => {
    res.json(
      await validateConnectorConfig({
        context,
        actor: actorOf(res),
        type: String(req.params.type),
        config: req.body as unknown,
      }),
    );
  });

  return router;
}
