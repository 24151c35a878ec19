import { Router, type Request, type Response } from 'express';
import { actorOf, ApiKeyRequiredError, NotAllowedError } from '@gx/platform';
import {
  downloadOpenRecords,
  type OpenDownloadFormat,
} from '../domain/open/downloadOpenRecords.ts';
import { getOpenPolicy } from '../domain/open/getOpenPolicy.ts';
import { getOpenRecord } from '../domain/open/getOpenRecord.ts';
import { previewOpenRecords } from '../domain/open/previewOpenRecords.ts';
import { queryOpenRecords } from '../domain/open/queryOpenRecords.ts';
import { setOpenPolicy } from '../domain/open/setOpenPolicy.ts';
import {
  announceReceiptTrailer,
  endWithReceiptTrailer,
  fieldsParam,
  filterParam,
  hashOf,
  sendWithReceipt,
  text,
} from './deliveries.ts';
import type { RecordsRouterOptions } from './records.router.ts';

/** The open-data routes need what the records routes need. */
export type OpenRouterOptions = RecordsRouterOptions;

/**
 * RFC 6266 / 5987: an ASCII `filename` for old clients and the Chinese name in `filename*`
 * (percent-encoded UTF-8; RFC 5987 also reserves ' ( ) *).
 */
export function contentDisposition(asciiFilename: string, filename: string): string {
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${asciiFilename}"; filename*=UTF-8''${encoded}`;
}

/**
 * The open-data API (developer API keys, under their limits and scopes), the public preview and
 * downloads of open resources, and the steward's open policy.
 */
export function openRouter({ prisma, pool, evidence, receiptHeader }: OpenRouterOptions): Router {
  const router = Router();

  router.get('/v1/open/departments', async (_req, res) => {
    const actor = actorOf(res);
    if (actor.kind !== 'api-key') throw new ApiKeyRequiredError('开放接口需要 API key (X-API-Key)');
    if (!actor.actions.includes('read')) throw new NotAllowedError('此 API key 没有 read 权限');
    const { rows } = await pool.query(
      `SELECT d.code, d.name, d.short_name AS "shortName", r.code AS "regionCode", r.name AS "regionName"
         FROM departments d JOIN regions r ON r.id = d.region_id ORDER BY d.code`,
    );
    res.json({ items: rows });
  });

  router.get('/v1/resources/:code/open-policy', async (req, res) => {
    res.json(await getOpenPolicy({ pool, actor: actorOf(res), code: req.params.code }));
  });

  // PUT sets the steward's policy, DELETE returns to the default
  const setPolicy = (policy: (req: Request) => unknown) => async (req: Request, res: Response) => {
    res.json(
      await setOpenPolicy({
        pool,
        evidence,
        actor: actorOf(res),
        code: req.params.code as string,
        policy: policy(req),
        requestHash: hashOf(req),
      }),
    );
  };
  router.put(
    '/v1/resources/:code/open-policy',
    setPolicy((req) => req.body),
  );
  router.delete(
    '/v1/resources/:code/open-policy',
    setPolicy(() => null),
  );

  router.get('/v1/open/resources/:code/preview', async (req, res) => {
    const result = await previewOpenRecords({
      prisma,
      pool,
      evidence,
      actor: actorOf(res),
      code: req.params.code,
      after: text(req.query.after),
      limit: Number(req.query.limit ?? 20),
      requestHash: hashOf(req),
    });
    sendWithReceipt(res, receiptHeader, result.receipt, result.body);
  });

  router.get('/v1/open/resources/:code/records', async (req, res) => {
    const result = await queryOpenRecords({
      prisma,
      pool,
      evidence,
      actor: actorOf(res),
      code: req.params.code,
      access: 'query',
      filter: filterParam(req),
      fields: fieldsParam(req),
      after: text(req.query.after),
      limit: Number(req.query.limit ?? 100),
      order: req.query.order === 'desc' ? 'desc' : 'asc',
      requestHash: hashOf(req),
    });
    sendWithReceipt(res, receiptHeader, result.receipt, result.body);
  });

  router.get('/v1/open/resources/:code/records/:key', async (req, res) => {
    const result = await getOpenRecord({
      pool,
      evidence,
      actor: actorOf(res),
      code: req.params.code,
      key: req.params.key,
      requestHash: hashOf(req),
    });
    sendWithReceipt(res, receiptHeader, result.receipt, result.body);
  });

  router.get('/v1/open/resources/:code/download', async (req, res) => {
    const format = (text(req.query.format) ?? 'csv') as OpenDownloadFormat;
    const { receipt } = await downloadOpenRecords({
      pool,
      evidence,
      actor: actorOf(res),
      code: req.params.code,
      format,
      out: res,
      requestHash: hashOf(req),
      onStart({ mediaType, filename, asciiFilename }) {
        res.status(200);
        res.setHeader('Content-Type', mediaType);
        res.setHeader('Content-Disposition', contentDisposition(asciiFilename, filename));
        announceReceiptTrailer(res);
      },
    });
    endWithReceiptTrailer(res, receiptHeader, receipt);
  });
  return router;
}
