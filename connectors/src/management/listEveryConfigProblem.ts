import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import {
  actorOf,
  chineseValidationMessage,
  DomainError,
  InputError,
  type FieldProblem,
} from '@gx/platform';
import { under } from './checkConfigForSave.ts';
import { connectorNameProblems } from './connectorConfig.ts';
import type { ConfigValidator } from './createConfigValidator.ts';

const CONFIG_PATH = /^\/v1\/connectors\/[^/]+\/config$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** the OpenAPI validator's refusal of a request body: 400 with field problems under `/body` */
interface SpecRefusal {
  status: 400;
  errors: { path: string; message?: string }[];
}

function isBodyRefusal(err: unknown): err is SpecRefusal {
  if (err instanceof DomainError || !isObject(err) || err.status !== 400) return false;
  const { errors } = err as { errors?: unknown };
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((e) => isObject(e) && typeof e.path === 'string' && e.path.startsWith('/body'))
  );
}

/**
 * Where a request's configuration sits: `POST /v1/connectors` (`/config`, beside the name) and
 * `PUT /v1/connectors/{name}/config` (the whole body); undefined for every other request, and
 * for a body without a configuration object to check.
 */
function configOf(req: Request): { prefix: string; config: unknown; name?: unknown } | undefined {
  const body: unknown = req.body;
  if (!isObject(body)) return undefined;
  if (req.method === 'POST' && req.path === '/v1/connectors')
    return isObject(body.config)
      ? { prefix: '/config', config: body.config, name: body.name }
      : undefined;
  if (req.method === 'PUT' && CONFIG_PATH.test(req.path)) return { prefix: '', config: body };
  return undefined;
}

/**
 * Every problem of a connector configuration the spec refused, in one answer. The OpenAPI
 * validator answers before any handler with its first problem only, and never reaches the
 * options (the spec says `object`; the plugin's own schema checks them), so a client fixed one
 * field at a time. The refusal stands — nothing more is accepted — but its problems are the
 * ones `checkConfigForSave` and `PUT …/config/validate` list: the envelope, the plugin's
 * options and the kind's fields, by JSON pointer under where the configuration sits, with the
 * name's and any other part of the body's beside them. Only for a caller who may use the API:
 * anyone else keeps the spec's answer (the plugins' schemas are for callers, as
 * `GET /v1/connector-plugins` is), and so does a refusal the configuration's own check would
 * not repeat.
 */
export function listEveryConfigProblem(
  validator: ConfigValidator,
  authenticate: RequestHandler,
): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    const place = configOf(req);
    if (!place || !isBodyRefusal(err)) {
      next(err);
      return;
    }
    void authenticate(req, res, (authError?: unknown) => {
      const actor = actorOf(res);
      if (authError || actor.kind === 'anonymous' || actor.kind === 'api-key') {
        next(err);
        return;
      }
      const shape = validator.check(place.config);
      if (shape.problems.length === 0) {
        next(err);
        return;
      }
      const configPath = `/body${place.prefix}`;
      const rest: FieldProblem[] = err.errors
        .filter(
          (e) =>
            !(e.path === configPath || e.path.startsWith(`${configPath}/`)) &&
            !(place.prefix && e.path === '/body/name'),
        )
        .map((e) => ({
          path: e.path.slice('/body'.length) || '/',
          message: chineseValidationMessage(String(e.message ?? '')),
        }));
      const name = place.prefix ? connectorNameProblems(place.name) : [];
      next(
        new InputError('连接器配置无效', [
          ...name,
          ...rest,
          ...under(place.prefix, shape.problems),
        ]),
      );
    });
  };
}
