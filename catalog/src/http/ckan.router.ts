import express, {
  Router,
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import type { PrismaClient } from '@gx/migrations';
import {
  actorOf,
  ANONYMOUS,
  InputError,
  NotAllowedError,
  NotFoundError,
  QuotaExceededError,
  UnauthenticatedError,
  UnavailableError,
  type ServiceDependencies,
} from '@gx/platform';
import type { CatalogConfig } from '../config.ts';
import { ckanAction } from '../domain/interop/ckan/ckanActions.ts';
import type { CkanContext } from '../domain/interop/ckan/ckanContext.ts';
import {
  CkanActionError,
  CkanBadRequest,
  CkanValidationError,
  MESSAGES,
} from '../domain/interop/ckan/ckanErrors.ts';
import type { DataDict } from '../domain/interop/ckan/ckanParams.ts';
import { publicBaseUrl } from '../domain/interop/publishedCatalog.ts';

/**
 * CKAN's Action API (ckan/views/api.py) over the catalogue: `/api/3/action/{action}` and the
 * unversioned `/api/action/{action}`, GET with query parameters, POST with a JSON body or a
 * form. Every answer, errors included, is CKAN's JSON (`application/json;charset=utf-8`), never
 * problem+json: CKAN clients read `success` and `error.__type`.
 */

const JSON_TYPE = 'application/json;charset=utf-8';
const ACTION_PATH = /^\/api(?:\/3)?\/action\/([^/?#]+)\/?(?:[?#]|$)/;
/** a JSONP callback must be a plain JavaScript name, so that it cannot inject script */
const CALLBACK = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

function sendJson(res: Response, status: number, body: unknown, type = JSON_TYPE): void {
  res
    .status(status)
    .set('Content-Type', type)
    .send(Buffer.from(JSON.stringify(body), 'utf8'));
}

/** CKAN's `help`: the help_show URL of the action, always under /api/3. */
function helpUrl(req: Request, config: CatalogConfig, action: string): string {
  return `${publicBaseUrl(req, config)}/api/3/action/help_show?name=${encodeURIComponent(action)}`;
}

/** CKAN's `mixed()`: a name given once is a string, a name given more than once a list. */
function mixed(entries: Iterable<[string, string]>): DataDict {
  // a Map, then fromEntries: a parameter named __proto__ stays a plain property
  const out = new Map<string, string | string[]>();
  for (const [key, value] of entries) {
    const seen = out.get(key);
    out.set(
      key,
      seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value],
    );
  }
  return Object.fromEntries(out);
}

const isObject = (value: unknown): value is DataDict =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function notADictionary(value: unknown): CkanBadRequest {
  return new CkanBadRequest(
    `JSON 错误: 请求数据 JSON 解析结果为 ${JSON.stringify(value)?.slice(0, 100)}，但必须是字典（JSON 对象）。`,
  );
}

/**
 * The data dict as CKAN's `_get_request_data` builds it for read-only actions: a form first
 * (a form whose only field has the value "1" or "" carries JSON in its name, as jQuery posts
 * it), else the query string, else the JSON body; it must be an object.
 */
function requestData(req: Request): DataDict {
  let query: URLSearchParams;
  try {
    query = new URL(req.originalUrl, 'http://localhost').searchParams;
  } catch {
    throw new CkanBadRequest('无法解析请求地址');
  }
  const args = mixed(query);
  if (req.method !== 'POST') return args;
  const body: unknown = req.body;
  if (req.is('application/x-www-form-urlencoded') && isObject(body) && Object.keys(body).length) {
    const entries = Object.entries(body);
    if (entries.length === 1 && (entries[0]![1] === '1' || entries[0]![1] === '')) {
      let decoded: unknown;
      try {
        decoded = JSON.parse(entries[0]![0]);
      } catch {
        throw new CkanBadRequest('JSON 错误: 无法解析表单中的 JSON 数据');
      }
      if (!isObject(decoded)) throw notADictionary(decoded);
      return decoded;
    }
    return mixed(
      entries.flatMap(([k, v]) =>
        (Array.isArray(v) ? v : [v]).map((x) => [k, String(x)] as [string, string]),
      ),
    );
  }
  if (Object.keys(args).length > 0) return args;
  if (body === undefined || (req.is('application/x-www-form-urlencoded') && isObject(body))) {
    return {};
  }
  if (!isObject(body)) throw notADictionary(body);
  return body;
}

export interface CkanRouterOptions {
  prisma: PrismaClient;
  config: CatalogConfig;
}

export function ckanRouter({ prisma, config }: CkanRouterOptions): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 1000 });

  // CKAN's API roots answer their version
  router.get('/api', (_req, res) => sendJson(res, 200, { version: 1 }));
  router.get('/api/3', (_req, res) => sendJson(res, 200, { version: 3 }));

  router.all(['/api/action/:action', '/api/3/action/:action'], form, async (req, res) => {
    const name = String(req.params.action);
    const run = ckanAction(name);
    if (!run) throw new CkanBadRequest(`未知的操作名: ${name}`);
    const dict = { ...requestData(req) };
    let actor = actorOf(res);
    let callback: string | undefined;
    // CKAN answers a JSONP request as nobody, so that another site cannot read what the
    // visitor's credentials would show
    if ('callback' in dict) {
      callback = typeof dict.callback === 'string' ? dict.callback : undefined;
      delete dict.callback;
      actor = ANONYMOUS;
      if (callback !== undefined && !CALLBACK.test(callback)) {
        throw new CkanValidationError({ callback: ['无效的回调函数名'] });
      }
    }
    const ctx: CkanContext = {
      prisma,
      actor,
      links: {
        catalogBase: publicBaseUrl(req, config),
        PUBLIC_EXCHANGE_URL: config.PUBLIC_EXCHANGE_URL,
        PUBLIC_PORTAL_URL: config.PUBLIC_PORTAL_URL,
      },
    };
    const result = await run(ctx, dict);
    const body = { help: helpUrl(req, config, name), success: true, result };
    if (callback && req.method === 'GET') {
      res
        .status(200)
        .set('Content-Type', 'application/javascript;charset=utf-8')
        .send(Buffer.from(`${callback}(${JSON.stringify(body)});`, 'utf8'));
      return;
    }
    sendJson(res, 200, body);
  });

  return router;
}

/**
 * CKAN clients send their API token bare (`Authorization: <token>`, or the older
 * `X-CKAN-API-Key`): read it as the bearer token it is, so that a department's access token or
 * a developer's API key works from any CKAN client. A credential that does not verify is an
 * Authorization Error (403), never a silent fall-back to anonymous: a harvester must not take a
 * partial catalogue for the whole.
 */
export const ckanCredentials: RequestHandler = (req, _res, next) => {
  const header = req.headers.authorization?.trim();
  const legacy = req.header('x-ckan-api-key')?.trim();
  if (header && !/\s/.test(header)) req.headers.authorization = `Bearer ${header}`;
  else if (!header && legacy && !/\s/.test(legacy)) req.headers.authorization = `Bearer ${legacy}`;
  next();
};

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
}

/**
 * Every error under /api/ as CKAN answers it: the envelope with `error.__type` (or CKAN's bare
 * "Bad request - …" string), from our CKAN errors, the platform's domain errors, the body
 * parser and the OpenAPI validator. Unknown paths answer CKAN's Not Found; nothing answers
 * problem+json or shows a stack trace.
 */
export function ckanErrorHandler({
  config,
  logger,
}: {
  config: CatalogConfig;
  logger: ServiceDependencies<CatalogConfig>['logger'];
}): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const action = ACTION_PATH.exec(req.originalUrl)?.[1];
    const help = action ? { help: helpUrl(req, config, decodeURIComponentSafe(action)) } : {};
    const envelope = (status: number, error: Record<string, unknown>) =>
      sendJson(res, status, { ...help, success: false, error });
    const badRequest = (detail: string, status = 400) =>
      sendJson(res, status, `${MESSAGES.badRequest} - ${detail}`);

    if (err instanceof CkanActionError) return envelope(err.status, err.body());
    if (err instanceof CkanBadRequest) return sendJson(res, 400, err.message);
    if (err instanceof NotFoundError) {
      return envelope(404, { __type: 'Not Found Error', message: MESSAGES.notFound });
    }
    if (err instanceof UnauthenticatedError || err instanceof NotAllowedError) {
      return envelope(403, {
        __type: 'Authorization Error',
        message: `${MESSAGES.accessDenied}: ${err.message}`,
      });
    }
    if (err instanceof QuotaExceededError) {
      res.setHeader('Retry-After', String(err.retryAfterSeconds));
      return envelope(429, { __type: 'Rate Limit Error', message: err.message });
    }
    if (err instanceof InputError) return badRequest(err.message);
    if (err instanceof UnavailableError) {
      return envelope(503, { __type: 'Service Unavailable', message: '服务暂不可用，请稍后再试' });
    }
    const http = (err ?? {}) as HttpLikeError;
    const status = http.status ?? http.statusCode;
    if (http.type === 'entity.parse.failed')
      return badRequest('JSON 错误: 无法解析请求体中的 JSON');
    if (http.type === 'entity.too.large') return badRequest('请求体过大', 413);
    if (status === 404)
      return envelope(404, { __type: 'Not Found Error', message: MESSAGES.notFound });
    if (status === 405) {
      res.setHeader('Allow', 'GET, POST');
      return envelope(405, { __type: 'Method Not Allowed', message: '只接受 GET 和 POST 请求' });
    }
    if (status === 415)
      return badRequest(`不支持的内容类型 ${req.get('content-type') ?? ''}`.trim());
    if (typeof status === 'number' && status >= 400 && status < 500) {
      logger.debug({ err, path: req.path }, 'CKAN request refused');
      return badRequest('请求无效');
    }
    logger.error({ err, path: req.path }, 'CKAN action failed');
    return envelope(500, { __type: 'Internal Server Error', message: 'Internal Server Error' });
  };
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
