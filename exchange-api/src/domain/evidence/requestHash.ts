import { canonicalJson } from '@gx/platform';
import { sha256Hex } from './evidenceEntry.ts';

export interface HashedRequest {
  method: string;
  /** the path without the query string, e.g. `/v1/records/xyz` */
  path: string;
  /** the parsed query (`req.query`); key order does not matter */
  query?: unknown;
  /** the parsed JSON body, if any */
  body?: unknown;
}

/**
 * SHA-256 (hex) of the canonical request: `{"body":…,"method":"GET","path":…,"query":{…}}` with
 * keys sorted at every level. A caller that kept its request can recompute it and match the
 * receipt; headers (credentials among them) are deliberately left out.
 */
export function requestHash(req: HashedRequest): string {
  return sha256Hex(
    canonicalJson({
      method: req.method.toUpperCase(),
      path: req.path,
      query: req.query ?? {},
      body: req.body ?? null,
    }),
  );
}
