import $RefParser from '@apidevtools/json-schema-ref-parser';
import type { Request, RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from '../errors/errors.ts';

interface OperationLike {
  requestBody?: { content?: Record<string, unknown> };
}

/**
 * Refuse (415) a request body in a media type its operation does not declare. The request
 * validator only checks the media type of a body it can see: `express.json` leaves other types
 * unparsed, so a `text/plain` body sent to an operation whose JSON body is optional passed as
 * "no body" and the operation ran without what the caller sent (found by the fuzz suite:
 * `POST /v1/objections/{id}/withdraw` with a text/plain body withdrew the objection).
 *
 * Runs after the validator, which has matched the operation (`req.openapi.openApiRoute`); the
 * spec is read once, dereferenced, so that `$ref`ed request bodies count too. Until it is read,
 * everything passes, as before.
 */
export function rejectUndeclaredMediaTypes(specPath: string): RequestHandler {
  let declared = new Map<string, string[]>();
  void ($RefParser.dereference(specPath) as Promise<{ paths?: Record<string, unknown> }>).then(
    (doc) => {
      const byOperation = new Map<string, string[]>();
      for (const [path, item] of Object.entries(doc.paths ?? {})) {
        for (const [method, operation] of Object.entries(item as Record<string, OperationLike>)) {
          const content = operation?.requestBody?.content;
          if (content) byOperation.set(`${method.toUpperCase()} ${path}`, Object.keys(content));
        }
      }
      declared = byOperation;
    },
    // the validator loads the same file and reports what is wrong with it
    () => undefined,
  );
  return (req, _res, next) => {
    const route = (req as Request & { openapi?: { openApiRoute?: string } }).openapi?.openApiRoute;
    const types = route ? declared.get(`${req.method} ${route}`) : undefined;
    const contentType = req.headers['content-type'];
    if (!types || !contentType || !hasBody(req)) {
      next();
      return;
    }
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    const accepted = types.some((t) => {
      const type = t.toLowerCase();
      return (
        type === mediaType ||
        type === '*/*' ||
        (type.endsWith('/*') && mediaType.startsWith(type.slice(0, -1)))
      );
    });
    if (accepted) next();
    else next(new UnsupportedMediaTypeError(`此接口的请求体应为 ${types.join(' 或 ')}`));
  };
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
