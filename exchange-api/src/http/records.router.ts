import { Router, type Request, type Response } from 'express';
import type { Pool } from 'pg';
import type { PrismaClient } from '@gx/migrations';
import { actorOf } from '@gx/platform';
import { EXPORT_FORMATS, exportRecords } from '../domain/records/exportRecords.ts';
import { deleteRecord, ingestRecords } from '../domain/records/ingestRecords.ts';
import { getRecord, queryRecords, verifyRecord } from '../domain/records/readRecords.ts';
import type { EvidenceSink } from '../domain/sharing/evidenceSink.ts';
import {
  announceReceiptTrailer,
  endWithReceiptTrailer,
  fieldsParam,
  filterParam,
  hashOf,
  sendWithReceipt,
  text,
  type ReceiptHeader,
} from './deliveries.ts';

export interface RecordsRouterOptions {
  prisma: PrismaClient;
  pool: Pool;
  evidence: EvidenceSink;
  /** how a receipt travels in the `Evidence-Receipt` header (its compact JWS) */
  receiptHeader: ReceiptHeader;
}

export function recordsRouter({
  prisma,
  pool,
  evidence,
  receiptHeader,
}: RecordsRouterOptions): Router {
  const router = Router();
  /** what every read under a grant starts from */
  const grantRead = (req: Request, res: Response) => ({
    prisma,
    pool,
    evidence,
    actor: actorOf(res),
    grantId: req.params.id as string,
    purpose: req.header('x-purpose') ?? undefined,
    requestHash: hashOf(req),
  });

  router.post('/v1/resources/:code/records', async (req, res) => {
    const body = req.body as { records?: unknown[]; delete?: string[] };
    res.json(
      await ingestRecords({
        prisma,
        pool,
        evidence,
        actor: actorOf(res),
        code: req.params.code,
        records: body.records ?? [],
        deletes: body.delete ?? [],
      }),
    );
  });

  router.delete('/v1/resources/:code/records/:key', async (req, res) => {
    await deleteRecord({
      prisma,
      pool,
      evidence,
      actor: actorOf(res),
      code: req.params.code,
      key: req.params.key,
    });
    res.status(204).end();
  });

  router.get('/v1/grants/:id/records', async (req, res) => {
    const result = await queryRecords({
      ...grantRead(req, res),
      filter: filterParam(req),
      fields: fieldsParam(req),
      after: text(req.query.after),
      limit: Number(req.query.limit ?? 100),
      order: req.query.order === 'desc' ? 'desc' : 'asc',
    });
    sendWithReceipt(res, receiptHeader, result.receipt, result.body);
  });

  router.get('/v1/grants/:id/records/:key', async (req, res) => {
    const result = await getRecord({ ...grantRead(req, res), key: req.params.key });
    sendWithReceipt(res, receiptHeader, result.receipt, result.body);
  });

  router.post('/v1/grants/:id/verify', async (req, res) => {
    const { key, claims } = req.body as { key: string; claims: Record<string, unknown> };
    const result = await verifyRecord({ ...grantRead(req, res), key, claims });
    sendWithReceipt(res, receiptHeader, result.receipt, result.body);
  });

  router.get('/v1/grants/:id/export', async (req, res) => {
    const format = EXPORT_FORMATS.find((f) => f === req.query.format) ?? 'csv';
    const { receipt } = await exportRecords({
      ...grantRead(req, res),
      format,
      out: res,
      onStart({ filename, mediaType }) {
        res.status(200);
        res.setHeader('Content-Type', mediaType);
        res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
        announceReceiptTrailer(res);
      },
    });
    endWithReceiptTrailer(res, receiptHeader, receipt);
  });
  return router;
}
