import type { paths } from '@gx/schemas/generated/catalog';
import { portalConfig } from '../../../config.ts';
import { catalogClient } from '../../api/clients.ts';
import { ServiceUnavailableError } from '../../api/errors.ts';
import { bearer } from '../staff.ts';
import { answerOf, type Answer } from './answer.ts';

export type ImportJob =
  paths['/v1/excel/imports/{id}']['get']['responses']['200']['content']['application/json'];
export type WorkbookProblem = ImportJob['errors'][number];

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** the catalog's own limit; the portal refuses bigger files before sending them on */
export const MAX_WORKBOOK_BYTES = 20 * 1024 * 1024;
export const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Starts a background import of the workbook (`POST /v1/excel/imports`) with the steward's
 * token: the body is the file itself, as the catalog takes it.
 */
export async function startImport(token: string, file: ArrayBuffer): Promise<Answer<ImportJob>> {
  let response: Response;
  try {
    response = await fetch(`${portalConfig().CATALOG_URL}/v1/excel/imports`, {
      method: 'POST',
      headers: { ...bearer({ accessToken: token }), 'content-type': XLSX },
      body: file,
      signal: AbortSignal.timeout(60_000),
      cache: 'no-store',
    });
  } catch (cause) {
    throw new ServiceUnavailableError('catalog', cause);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status >= 500) throw new ServiceUnavailableError('catalog');
  return response.ok
    ? { ok: true, data: body as ImportJob }
    : { ok: false, status: response.status, problem: body };
}

export async function getImport(token: string, id: string): Promise<Answer<ImportJob>> {
  return answerOf(
    'catalog',
    await catalogClient().GET('/v1/excel/imports/{id}', {
      params: { path: { id } },
      headers: bearer({ accessToken: token }),
    }),
  );
}

/**
 * A workbook of the catalog (the template, or an export) passed through to the browser with
 * the steward's token: the catalog's file name and type, the body streamed.
 */
export async function workbookDownload(token: string, path: string): Promise<Response> {
  let upstream: Response;
  try {
    upstream = await fetch(`${portalConfig().CATALOG_URL}${path}`, {
      headers: bearer({ accessToken: token }),
      signal: AbortSignal.timeout(60_000),
      cache: 'no-store',
    });
  } catch (cause) {
    throw new ServiceUnavailableError('catalog', cause);
  }
  if (!upstream.ok || !upstream.body) {
    await upstream.body?.cancel();
    return new Response('服务暂不可用，请稍后重试。', {
      status: upstream.status >= 500 ? 503 : upstream.status,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const headers = new Headers({
    'content-type': upstream.headers.get('content-type') ?? XLSX,
    'cache-control': 'no-store',
  });
  const disposition = upstream.headers.get('content-disposition');
  if (disposition) headers.set('content-disposition', disposition);
  return new Response(upstream.body, { status: 200, headers });
}
