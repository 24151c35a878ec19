import type { Server } from 'node:http';
import { Router } from 'express';
import type { Pool } from 'pg';
import type { PrismaClient } from '@gx/migrations';
import { actorOf, type Logger } from '@gx/platform';
import { requestHash } from '../domain/evidence/requestHash.ts';
import type { ChangeNotifications } from '../domain/records/changeNotifications.ts';
import { subscribeRecords } from '../domain/records/subscribeRecords.ts';
import type { EvidenceSink } from '../domain/sharing/evidenceSink.ts';

export interface SubscriptionRouterOptions {
  prisma: PrismaClient;
  pool: Pool;
  evidence: EvidenceSink;
  notifications: ChangeNotifications;
  logger: Logger;
  /** how a receipt travels to the client (its compact JWS) */
  receiptHeader(receipt: unknown): string | undefined;
}

export function subscriptionRouter(options: SubscriptionRouterOptions): Router {
  const router = Router();

  router.get('/v1/grants/:id/subscription', async (req, res) => {
    const closed = new AbortController();
    res.on('close', () => closed.abort());
    // The HTTP server waits for open connections before it closes, and a stream never finishes
    // by itself: once the server stops listening (shutdown), streams end and clients reconnect
    // to another process with their Last-Event-ID.
    const server = (req.socket as { server?: Server }).server;
    const lastEventId =
      req.header('last-event-id') ??
      (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined);
    const result = await subscribeRecords({
      prisma: options.prisma,
      pool: options.pool,
      evidence: options.evidence,
      notifications: options.notifications,
      actor: actorOf(res),
      grantId: req.params.id,
      purpose: req.header('x-purpose') ?? undefined,
      requestHash: requestHash({ method: req.method, path: req.path, query: req.query }),
      lastEventId,
      from: req.query.from === 'beginning' ? 'beginning' : 'now',
      out: res,
      signal: closed.signal,
      isStopping: () => server?.listening === false,
      receiptJws: options.receiptHeader,
      onStart() {
        res.status(200);
        res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
        res.setHeader('Cache-Control', 'no-cache, no-transform');
        // nginx and similar proxies would otherwise hold events back in their buffers
        res.setHeader('X-Accel-Buffering', 'no');
        req.socket.setTimeout(0);
        res.flushHeaders();
      },
    });
    // an idle keep-alive connection would hold the closing server up until its timeout
    if (result.end === 'shutdown') req.socket.end();
    if (result.end === 'failed') {
      options.logger.warn({ err: result.error, grantId: req.params.id }, 'subscription failed');
    }
  });
  return router;
}
