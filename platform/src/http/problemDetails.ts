import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import {
  ApiKeyRequiredError,
  DomainError,
  NotFoundError,
  QuotaExceededError,
  UnavailableError,
} from '../errors/errors.ts';
import type { FieldProblem } from '../errors/errors.ts';
import { isDatabaseUnavailable } from '../errors/isDatabaseUnavailable.ts';
import { chineseValidationMessage } from '../errors/validationMessages.ts';
import { loggedPath } from './loggedPath.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** RFC 9457 problem details as this platform emits them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

export function problemType(code: string): string {
  return `/problems/${code}`;
}

export function sendProblem(res: Response, problem: Problem, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`没有这个地址: ${req.method} ${req.path}`));
};

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  errors?: { path?: string; message?: string }[];
  message?: string;
  expose?: boolean;
}

/**
 * Errors thrown by the HTTP stack before a handler runs (body parser, OpenAPI validator) carry
 * a 4xx status of their own. Map them to our problem types without passing their internals on.
 */
function fromHttpError(
  err: HttpLikeError,
  method: string,
  instance: string,
  query: Readonly<Record<string, unknown>> = {},
): Problem | undefined {
  const status = err.status ?? err.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const byStatus: Record<number, [string, string]> = {
    400: ['input', '请求参数无效'],
    401: ['unauthenticated', '未认证或凭证无效'],
    403: ['not-allowed', '无权执行此操作'],
    404: ['not-found', '资源不存在'],
    405: ['method-not-allowed', '不支持该请求方法'],
    406: ['not-acceptable', '无法提供所请求的格式'],
    413: ['payload-too-large', '请求体过大'],
    415: ['unsupported-media-type', '不支持的内容类型'],
  };
  const [code, title] = byStatus[status] ?? ['input', '请求无效'];
  // the OpenAPI validator's field problems, in Chinese (its sentences are ajv's English)
  const errors =
    status !== 404 && status !== 405 && Array.isArray(err.errors) && err.errors.length > 0
      ? err.errors.map((e) => {
          const path = String(e.path ?? '');
          return {
            path,
            message: repeatedParameter(path, query)
              ? '只能给出一次'
              : chineseValidationMessage(String(e.message ?? '')),
          };
        })
      : undefined;
  const detail =
    status === 404 || status === 405
      ? `${status === 404 ? '没有这个地址' : '该地址不支持此方法'}: ${method} ${instance}`
      : err.type === 'entity.parse.failed'
        ? '请求体不是合法的 JSON'
        : err.type === 'entity.too.large'
          ? '请求体超过允许的大小'
          : err.expose === false
            ? undefined
            : errors
              ? errors.map((e) => `${e.path} ${e.message}`.trim()).join('；')
              : err.message;
  const problem: Problem = { type: problemType(code), title, status, instance };
  if (detail) problem.detail = detail;
  if (errors) problem.errors = errors;
  return problem;
}

/**
 * A query parameter of one value given several times (`limit=1&limit=2`): the validator sees
 * the list Express made of it and says it is not an integer, which would send the caller to
 * check a value that is fine. A parameter that takes a list validates without an error here.
 */
function repeatedParameter(path: string, query: Readonly<Record<string, unknown>>): boolean {
  const name = /^\/query\/([^/]+)$/.exec(path)?.[1];
  return name !== undefined && Object.hasOwn(query, name) && Array.isArray(query[name]);
}

/**
 * PostgreSQL's class 22 (data exception: a NUL byte in text, a number out of range, an invalid
 * date…) can only come from a value the caller sent that slipped past validation: it is the
 * caller's input, so 400, without the database's message.
 */
function fromDataException(err: unknown, instance: string): Problem | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^22[0-9A-Z]{3}$/.test(code)) return undefined;
  return {
    type: problemType('input'),
    title: '请求参数无效',
    status: 400,
    detail: '请求中的某个值无法处理（例如含有控制字符或超出范围）',
    instance,
  };
}

/**
 * The one place where errors become HTTP answers. Business errors keep their status and
 * detail; anything unexpected is logged with its stack and answered with a bare 500 so
 * that no internals reach the client.
 */
export function problemDetailsHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const instance = req.originalUrl.split('?')[0] ?? req.originalUrl;
    if (err instanceof DomainError) {
      const headers: Record<string, string> = {};
      if (
        err instanceof QuotaExceededError ||
        (err instanceof UnavailableError && err.retryAfterSeconds)
      ) {
        headers['Retry-After'] = String(err.retryAfterSeconds);
      }
      if (err.status === 401)
        headers['WWW-Authenticate'] =
          err instanceof ApiKeyRequiredError
            ? 'ApiKey realm="gov-exchange", header="X-API-Key"'
            : 'Bearer realm="gov-exchange"';
      if (err.status >= 500) logger.error({ err, path: loggedPath(req) }, 'dependency unavailable');
      sendProblem(
        res,
        {
          ...err.extensions,
          type: problemType(err.code),
          title: err.title,
          status: err.status,
          detail: err.message,
          instance,
        },
        headers,
      );
      return;
    }
    const httpProblem =
      fromHttpError((err ?? {}) as HttpLikeError, req.method, instance, req.query) ??
      fromDataException(err, instance);
    if (httpProblem) {
      sendProblem(res, httpProblem);
      return;
    }
    if (isDatabaseUnavailable(err)) {
      // an outage, not a bug: no stack in the log for every request, clients are told to retry
      logger.warn(
        { method: req.method, path: loggedPath(req), err: String(err) },
        'database unavailable',
      );
      sendProblem(
        res,
        {
          type: problemType('unavailable'),
          title: '服务暂不可用',
          status: 503,
          detail: '数据库暂时无法访问，请稍后重试。',
          instance,
        },
        { 'Retry-After': '5' },
      );
      return;
    }
    logger.error({ err, method: req.method, path: loggedPath(req) }, 'unhandled error');
    sendProblem(res, {
      type: problemType('internal'),
      title: '服务器内部错误',
      status: 500,
      detail: '处理请求时发生了意外错误，已记录日志。',
      instance,
    });
  };
}
