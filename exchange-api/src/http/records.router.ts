import { Router, type Request, type Response } from 'express';
import type { Pool } from 'pg';
import type { PrismaClient } from '@gx/migrations';
import { actorOf, InputError } from '@gx/platform';
import { requestHash } from '../domain/evidence/requestHash.ts';
import { parseRowFilter } from '../domain/policy/compilePolicy.ts';
import { EXPORT_FORMATS, exportRecords } from '../domain/records/exportRecords.ts';
import { ingestRecords } from '../domain/records/ingestRecords.ts';
import { getRecord, queryRecords, verifyRecord } from '../domain/records/readRecords.ts';
import type { EvidenceSink } from '../domain/sharing/evidenceSink.ts';

export interface RecordsRouterOptions {
  prisma: PrismaClient;
  pool: Pool;
  evidence: EvidenceSink;
  /** how a receipt travels in the `Evidence-Receipt` header (its compact JWS) */
  receiptHeader(receipt: unknown): string | undefined;
}

/** What the caller asked, hashed for the evidence entry (never the secrets in headers). */
const hashOf = (req: Request) =>
  requestHash({ method: req.method, path: req.path, query: req.query, body: req.body });

const purposeOf = (req: Request) => req.header('x-purpose') ?? undefined;

export function recordsRouter({
  prisma,
  pool,
  evidence,
  receiptHeader,
}: RecordsRouterOptions): Router {
  const router = Router();
  const sendWithReceipt = (res: Response, receipt: unknown, body: unknown) => {
    const header = receiptHeader(receipt);
    if (header) res.setHeader('Evidence-Receipt', header);
    res.json(body);
  };

  router.post('/v1/resources/:code/records', async (req, res) => {
    const records = (req.body as { records?: unknown[] }).records ?? [];
    res.json(
      await ingestRecords({
        prisma,
        evidence,
        actor: actorOf(res),
        code: req.params.code,
        records,
      }),
    );
  });

  router.get('/v1/grants/:id/records', async (req, res) => {
    let filter: unknown;
    if (typeof req.query.filter === 'string') {
      try {
        filter = JSON.parse(req.query.filter);
      } catch {
        throw new InputError('filter 不是合法的 JSON', [
          { path: 'filter', message: 'JSON 格式错误' },
        ]);
      }
    }
    const fields =
      typeof req.query.fields === 'string'
        ? req.query.fields.split(',').filter(Boolean)
        : undefined;
    const result = await queryRecords({
      prisma,
      pool,
      evidence,
      actor: actorOf(res),
      grantId: req.params.id,
      purpose: purposeOf(req),
      requestHash: hashOf(req),
      filter: filter === undefined ? undefined : parseRowFilter(filter),
      fields,
      after: typeof req.query.after === 'string' ? req.query.after : undefined,
      limit: Number(req.query.limit ?? 100),
      order: req.query.order === 'desc' ? 'desc' : 'asc',
    });
    sendWithReceipt(res, result.receipt, result.body);
  });

  router.get('/v1/grants/:id/records/:key', async (req, res) => {
    const result = await getRecord({
      prisma,
      pool,
      evidence,
      actor: actorOf(res),
      grantId: req.params.id,
      purpose: purposeOf(req),
      requestHash: hashOf(req),
      key: req.params.key,
    });
    sendWithReceipt(res, result.receipt, result.body);
  });

  router.post('/v1/grants/:id/verify', async (req, res) => {
    const { key, claims } = req.body as { key: string; claims: Record<string, unknown> };
    const result = await verifyRecord({
      prisma,
      pool,
      evidence,
      actor: actorOf(res),
      grantId: req.params.id,
      purpose: purposeOf(req),
      requestHash: hashOf(req),
      key,
      claims,
    });
    sendWithReceipt(res, result.receipt, result.body);
  });

  router.get('/v1/grants/:id/export', async (req, res) => {
    const format = EXPORT_FORMATS.find((f) => f === req.query.format) ?? 'csv';
    const { receipt } = await exportRecords({
      prisma,
      pool,
      evidence,
      actor: actorOf(res),
      grantId: req.params.id,
      purpose: purposeOf(req),
      format,
      out: res,
      requestHash: hashOf(req),
      onStart({ filename, mediaType }) {
        res.status(200);
        res.setHeader('Content-Type', mediaType);
        res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
        // the receipt covers the bytes sent, so it can only follow them
        res.setHeader('Trailer', 'Evidence-Receipt');
      },
    });
    const header = receiptHeader(receipt);
    if (header) res.addTrailers({ 'Evidence-Receipt': header });
    res.end();
  });
  return router;
}
