import $RefParser from '@apidevtools/json-schema-ref-parser';
import { openApiSpecPath, SERVICES, type ServiceName } from '@gx/schemas';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it), dereferenced. */
export type Schema = any;

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

/** The security alternatives an operation declares: `[]` = public, `none` = anonymous allowed. */
export type SecurityScheme = 'none' | 'bearerAuth' | 'apiKey';

export interface SpecOperation {
  service: ServiceName;
  operationId: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  parameters: SpecParameter[];
  /** the JSON request body's schema, when the operation takes one */
  body?: Schema;
  bodyRequired: boolean;
  /** media types the operation accepts other than JSON (multipart uploads, CSV) */
  otherBodyTypes: string[];
  /** empty: the operation declares no security at all (public) */
  security: SecurityScheme[];
  /** the CKAN-compatible API answers CKAN's error envelope, not problem+json */
  ckan: boolean;
}

/** `METHOD /path` of an operation: its key in the authorization matrix and in reports. */
export const operationKey = (op: Pick<SpecOperation, 'method' | 'path'>): string =>
  `${op.method} ${op.path}`;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * Every operation of one service's contract, read from the spec at run time so that operations
 * added later are fuzzed and must appear in the authorization matrix without anyone listing them.
 */
export async function loadOperations(service: ServiceName): Promise<SpecOperation[]> {
  const spec = (await $RefParser.dereference(openApiSpecPath(service))) as Schema;
  const out: SpecOperation[] = [];
  for (const [path, item] of Object.entries<Schema>(spec.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const content = op.requestBody?.content ?? {};
      const security = (op.security ?? spec.security ?? []) as Record<string, unknown>[];
      const schemes = new Set<SecurityScheme>();
      for (const alternative of security) {
        const names = Object.keys(alternative);
        if (names.length === 0) schemes.add('none');
        for (const name of names) schemes.add(name as SecurityScheme);
      }
      const byName = new Map<string, SpecParameter>();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])])
        byName.set(`${p.in}:${p.name}`, {
          name: p.name,
          in: p.in,
          required: p.required === true,
          schema: p.schema ?? {},
        });
      out.push({
        service,
        operationId: op.operationId ?? `${method} ${path}`,
        method: method.toUpperCase() as SpecOperation['method'],
        path,
        parameters: [...byName.values()],
        body: content['application/json']?.schema,
        bodyRequired: op.requestBody?.required === true,
        otherBodyTypes: Object.keys(content).filter((t) => t !== 'application/json'),
        security: [...schemes],
        ckan: path === '/api' || path.startsWith('/api/'),
      });
    }
  }
  return out;
}

/** All three services' operations. */
export async function loadAllOperations(): Promise<SpecOperation[]> {
  return (await Promise.all(SERVICES.map(loadOperations))).flat();
}
