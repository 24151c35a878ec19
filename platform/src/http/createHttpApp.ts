import { randomUUID } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Logger } from 'pino';
import { InputError } from '../errors/errors.ts';
import type { ServiceMetrics } from '../metrics/createMetrics.ts';
import { openApiFastPath } from './openApiFastPath.ts';
import { rejectUndeclaredMediaTypes } from './rejectUndeclaredMediaTypes.ts';
import {
  notFoundHandler,
  problemDetailsHandler,
  sendProblem,
  problemType,
} from './problemDetails.ts';
import { loggedPath, routeLabel } from './loggedPath.ts';

export interface ReadinessCheck {
  name: string;
  /** resolves when the dependency is usable; throws with a human reason when not */
  check(): Promise<void>;
}

export interface CreateHttpAppOptions {
  service: string;
  logger: Logger;
  metrics: ServiceMetrics;
  readiness: ReadinessCheck[];
  /** path of the service's OpenAPI document; requests are validated against it */
  openApiSpec?: string;
  /** largest JSON body accepted */
  bodyLimit?: string;
  /** mount the service's own routes */
  routes(app: Express): void;
}

/**
 * Every service is built the same way: request id, access log and latency metrics, body
 * parsing, health endpoints, OpenAPI validation, the service's routes, then 404 and error
 * mapping to problem+json.
 */
export function createHttpApp(options: CreateHttpAppOptions): Express {
  const { logger, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  // No automatic weak ETag (a SHA-1 of every body): answers here are deliveries with evidence
  // and receipts, which a 304 must not stand in for. Routes that support conditional requests
  // set their own ETag, which Express still honours.
  app.set('etag', false);

  app.use(requestContext(logger, metrics));
  app.use(
    express.json({
      limit: options.bodyLimit ?? '1mb',
      type: ['application/json', 'application/*+json'],
    }),
    rejectDeepBodies,
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.service });
  });
  app.get('/readyz', async (req, res) => {
    const checks: Record<string, string> = {};
    let ready = true;
    for (const readiness of options.readiness) {
      try {
        await readiness.check();
        checks[readiness.name] = 'ok';
      } catch (error) {
        ready = false;
        checks[readiness.name] = error instanceof Error ? error.message : String(error);
      }
    }
    if (ready) {
      res.json({ status: 'ready', service: options.service, checks });
      return;
    }
    sendProblem(
      res,
      {
        type: problemType('unavailable'),
        title: '服务尚未就绪',
        status: 503,
        detail: Object.entries(checks)
          .filter(([, v]) => v !== 'ok')
          .map(([k, v]) => `${k}: ${v}`)
          .join('; '),
        instance: req.path,
        checks,
      },
      { 'Retry-After': '1' },
    );
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  if (options.openApiSpec) {
    const validator = express.Router();
    validator.use(
      OpenApiValidator.middleware({
        apiSpec: options.openApiSpec,
        validateRequests: { allowUnknownQueryParameters: false },
        // 'full', as every other validator here: the default 'fast' took 2027-02-30 for a date,
        // which JavaScript then read as 2027-03-02
        ajvFormats: { mode: 'full' },
        validateResponses: false,
        // who may call is decided by `authenticate` and `authorize`, not by the validator
        validateSecurity: false,
        ignoreUndocumented: false,
      }),
      rejectNonFiniteNumbers,
      rejectUndeclaredMediaTypes(options.openApiSpec),
    );
    // requests the validator would certainly accept skip its per-request route search
    const fastPath = openApiFastPath(options.openApiSpec);
    app.use(encodeQueryValues);
    app.use((req, res, next) => {
      if (fastPath.accepts(req)) next();
      else validator(req, res, next);
    });
  }

  options.routes(app);

  app.use(notFoundHandler);
  app.use(problemDetailsHandler(logger));
  return app;
}

/**
 * Query values as clients really send them. express-openapi-validator refuses a reserved
 * character left unencoded in a query value ("must be url encoded"), although RFC 3986 allows
 * `:` `/` `,` `@` `(` `)`… there and Express's parser reads them as themselves: a timestamp
 * `since=2026-11-24T10:00:00Z` or a list `fields=name,mobile` typed into curl was refused. And a
 * `+` is a space in the form encoding that HTML forms, `URLSearchParams`, Python's `urlencode`
 * and Java's `URLEncoder` write (`q=公交+地铁`), as Express's parser reads it too. So before the
 * validator reads the raw query, each value's reserved characters are percent-encoded and its
 * `+` becomes `%20`: what the handlers get is unchanged, and the validator agrees with them.
 * Keys are left alone; a literal plus arrives as `%2B` either way.
 */
const encodeQueryValues: RequestHandler = (req, _res, next) => {
  const at = req.originalUrl.indexOf('?');
  if (at >= 0 && RAW_RESERVED.test(req.originalUrl.slice(at + 1))) {
    req.originalUrl = withEncodedValues(req.originalUrl);
    req.url = withEncodedValues(req.url);
  }
  next();
};

/** what the validator refuses in a value, and `+` (a space): `&`, `=` and `%` excepted */
const RAW_RESERVED = /[:/?#[\]@!$'()*+,;]|=[^&]*=/;

function withEncodedValues(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const pairs = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const value = pair
        .slice(eq + 1)
        .replace(/[:/?#[\]@!$'()*,;=]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replaceAll('+', '%20');
      return `${pair.slice(0, eq + 1)}${value}`;
    });
  return `${url.slice(0, at + 1)}${pairs.join('&')}`;
}

/** No document of ours nests deeper than this; deeper ones only exhaust recursive code. */
export const MAX_BODY_DEPTH = 64;

/** Refuse JSON bodies nested deeper than MAX_BODY_DEPTH (checked without recursion). */
const rejectDeepBodies: RequestHandler = (req, _res, next) => {
  const body: unknown = req.body;
  if (body === null || typeof body !== 'object') {
    next();
    return;
  }
  const stack: [unknown, number][] = [[body, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > MAX_BODY_DEPTH) {
      next(
        new InputError(`请求体嵌套过深（最多 ${MAX_BODY_DEPTH} 层）`, [
          { path: '/', message: '嵌套过深' },
        ]),
      );
      return;
    }
    for (const child of Object.values(value as object)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  next();
};

/**
 * The validator coerces `1e309` to Infinity and lets it pass as an integer under any maximum;
 * no parameter of ours means infinity, so refuse it here, once, for every route.
 */
const rejectNonFiniteNumbers: RequestHandler = (req, _res, next) => {
  for (const [where, values] of [
    ['query', req.query],
    ['path', (req as { openapi?: { pathParams?: Record<string, unknown> } }).openapi?.pathParams],
  ] as const) {
    for (const [name, value] of Object.entries(values ?? {})) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        next(
          new InputError('数值超出范围', [{ path: `${where}.${name}`, message: '应为有限数值' }]),
        );
        return;
      }
    }
  }
  next();
};

function requestContext(logger: Logger, metrics: ServiceMetrics): RequestHandler {
  return (req, res, next) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req);
      metrics.httpDuration.observe(
        { method: req.method, route, status: String(res.statusCode) },
        seconds,
      );
      if (!logger.isLevelEnabled('info')) return;
      if (req.path === '/healthz' || req.path === '/readyz' || req.path === '/metrics') return;
      logger.info(
        {
          requestId,
          method: req.method,
          path: loggedPath(req),
          route,
          status: res.statusCode,
          ms: Math.round(seconds * 1e4) / 10,
        },
        'request',
      );
    });
    next();
  };
}
