import { Router, type Request, type Response } from 'express';
import type { PrismaClient } from '@gx/migrations';
import { actorOf, PayloadTooLargeError } from '@gx/platform';
import { excelTemplate } from '../domain/excel/excelTemplate.ts';
import { exportWorkbook } from '../domain/excel/exportWorkbook.ts';
import { importJobView } from '../domain/excel/importJobs.ts';
import type { ImportJobRunner } from '../domain/excel/ImportJobRunner.ts';
import { importWorkbook } from '../domain/excel/importWorkbook.ts';
import type { ResourceFilters } from '../domain/resources/listResources.ts';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** largest workbook accepted (a 10 000-row directory is about 1 MB) */
export const MAX_WORKBOOK_BYTES = 20 * 1024 * 1024;

export interface ExcelRouterOptions {
  prisma: PrismaClient;
  /** background imports (`POST /v1/excel/imports`) */
  imports: ImportJobRunner;
  maxWorkbookBytes?: number;
}

/**
 * The raw request body, at most `limit` bytes. The app's body parser only reads JSON, so the
 * workbook is still unread here. Beyond the limit the rest is discarded unread and the answer
 * is 413 — the client gets a readable answer instead of a reset connection.
 */
async function readWorkbookBody(req: Request, limit: number): Promise<Buffer> {
  const tooLarge = () => {
    req.resume();
    return new PayloadTooLargeError(
      `文件超过 ${Math.round(limit / 1024 / 1024)} MB，请拆分成几个文件分别导入`,
    );
  };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw tooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

function attachment(res: Response, asciiName: string, chineseName: string) {
  res.status(200);
  res.setHeader('Content-Type', XLSX_MEDIA_TYPE);
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(chineseName)}`,
  );
  res.setHeader('Cache-Control', 'no-store');
}

function exportFilters(query: Request['query']): ResourceFilters {
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const codes = query.code;
  return {
    department: text(query.department),
    region: text(query.region),
    theme: text(query.theme),
    status: text(query.status) as ResourceFilters['status'],
    sharingType: text(query.sharingType) as ResourceFilters['sharingType'],
    openType: text(query.openType) as ResourceFilters['openType'],
    codes: codes === undefined ? undefined : (Array.isArray(codes) ? codes : [codes]).map(String),
  };
}

const isDryRun = (req: Request) =>
  req.query.dryRun === 'true' || (req.query.dryRun as unknown) === true;

/** Template, export and import of the directory workbook (schemas/openapi/catalog-excel.yaml). */
export function excelRouter({
  prisma,
  imports,
  maxWorkbookBytes = MAX_WORKBOOK_BYTES,
}: ExcelRouterOptions): Router {
  const router = Router();

  router.get('/v1/excel/template', async (_req, res) => {
    attachment(res, 'directory-template.xlsx', '信息资源目录编目模板.xlsx');
    await excelTemplate({ prisma, actor: actorOf(res), out: res });
  });

  router.get('/v1/excel/export', async (req, res) => {
    await exportWorkbook({
      prisma,
      actor: actorOf(res),
      filters: exportFilters(req.query),
      out: res,
      // headers only once the selection is accepted: a refusal must stay a problem+json
      onStart: () => attachment(res, 'directory-export.xlsx', '信息资源目录导出.xlsx'),
    });
  });

  router.post('/v1/excel/import', async (req, res) => {
    const file = await readWorkbookBody(req, maxWorkbookBytes);
    res.json(await importWorkbook({ prisma, actor: actorOf(res), file, dryRun: isDryRun(req) }));
  });

  router.post('/v1/excel/imports', async (req, res) => {
    const file = await readWorkbookBody(req, maxWorkbookBytes);
    const job = await imports.start({ actor: actorOf(res), file, dryRun: isDryRun(req) });
    res.status(202).location(`/v1/excel/imports/${job.id}`).json(importJobView(job));
  });

  router.get('/v1/excel/imports/:id', async (req, res) => {
    res.json(importJobView(await imports.get(req.params.id, actorOf(res))));
  });

  return router;
}
