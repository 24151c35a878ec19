/**
 * The developer center's API documentation, built from the OpenAPI documents in schemas/openapi
 * (the same files the exchange validates its requests against), so the documentation cannot
 * drift from the API. Pure: the caller loads and parses the documents.
 */

type Json = Record<string, unknown>;

export interface DocParameter {
  name: string;
  in: string;
  required: boolean;
  description: string;
  /** what the schema allows, e.g. `integer, 1–1000, = 100` */
  allowed: string;
}

export interface DocResponse {
  status: string;
  description: string;
}

export interface DocOperation {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  /** how a caller authenticates: none, an API key, or an OIDC bearer token */
  auth: 'anonymous' | 'apiKey' | 'bearer';
  parameters: DocParameter[];
  responses: DocResponse[];
  /** a curl request with placeholders, ready to adapt */
  example: string;
}

export interface DocInputs {
  /** exchange-open.yaml */
  open: Json;
  /** common.yaml (shared responses, the API key header) */
  common: Json;
  /** the exchange as a developer reaches it */
  baseUrl: string;
  apiKeyHeader: string;
  /** only operations whose path starts with this */
  prefix?: string;
  /** a real open dataset's code for the examples (otherwise a placeholder) */
  exampleCode?: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const asObject = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const asText = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** Follows a `$ref` into the same document or into common.yaml (`./common.yaml#/…`). */
function resolve(value: unknown, inputs: DocInputs): Json {
  const object = asObject(value);
  const ref = object.$ref;
  if (typeof ref !== 'string') return object;
  const [file, pointer = ''] = ref.split('#');
  const root = file ? (file.endsWith('common.yaml') ? inputs.common : {}) : inputs.open;
  let node: unknown = root;
  for (const part of pointer.split('/').filter(Boolean)) {
    node = asObject(node)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return asObject(node);
}

function allowed(schema: Json): string {
  const parts: string[] = [];
  if (Array.isArray(schema.enum)) parts.push(schema.enum.map(String).join(' | '));
  else if (schema.type) parts.push([schema.type].flat().map(String).join(' | '));
  if (schema.minimum !== undefined || schema.maximum !== undefined) {
    parts.push(`${String(schema.minimum ?? '')}–${String(schema.maximum ?? '')}`);
  }
  if (schema.maxLength !== undefined) parts.push(`≤ ${String(schema.maxLength)}`);
  if (schema.default !== undefined) parts.push(`= ${String(schema.default)}`);
  return parts.join(', ');
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function example(
  method: string,
  path: string,
  parameters: DocParameter[],
  auth: DocOperation['auth'],
  inputs: DocInputs,
): string {
  const concrete = path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    name === 'code' ? (inputs.exampleCode ?? '<数据集代码>') : `<${name}>`,
  );
  const required = parameters.filter((p) => p.in === 'query' && p.required);
  const query = required.map((p) => `${p.name}=<${p.name}>`).join('&');
  const url = `${inputs.baseUrl}${concrete}${query ? `?${query}` : ''}`;
  const parts = ['curl'];
  if (method !== 'GET') parts.push(`-X ${method}`);
  if (auth === 'apiKey') parts.push(`-H ${shellQuote(`${inputs.apiKeyHeader}: <你的 API Key>`)}`);
  if (auth === 'bearer') parts.push(`-H ${shellQuote('Authorization: Bearer <访问令牌>')}`);
  parts.push(shellQuote(url));
  return parts.join(' \\\n  ');
}

/** Every operation of the open-data document (or those under `prefix`), in document order. */
export function buildApiDocs(inputs: DocInputs): DocOperation[] {
  const operations: DocOperation[] = [];
  for (const [path, rawItem] of Object.entries(asObject(inputs.open.paths))) {
    if (inputs.prefix && !path.startsWith(inputs.prefix)) continue;
    const item = asObject(rawItem);
    for (const method of METHODS) {
      const operation = asObject(item[method]);
      if (!Object.keys(operation).length) continue;
      const security = Array.isArray(operation.security) ? operation.security.map(asObject) : [];
      const auth: DocOperation['auth'] =
        security.length === 0 || security.some((s) => Object.keys(s).length === 0)
          ? 'anonymous'
          : security.some((s) => 'apiKey' in s)
            ? 'apiKey'
            : 'bearer';
      const rawParameters = [
        ...(Array.isArray(item.parameters) ? item.parameters : []),
        ...(Array.isArray(operation.parameters) ? operation.parameters : []),
      ];
      const parameters = rawParameters.map((raw): DocParameter => {
        const p = resolve(raw, inputs);
        return {
          name: asText(p.name),
          in: asText(p.in),
          required: p.required === true,
          description: asText(p.description),
          allowed: allowed(asObject(p.schema)),
        };
      });
      const responses = Object.entries(asObject(operation.responses)).map(
        ([status, raw]): DocResponse => ({
          status,
          description: asText(resolve(raw, inputs).description),
        }),
      );
      const upper = method.toUpperCase();
      operations.push({
        id: asText(operation.operationId) || `${method}-${path}`,
        method: upper,
        path,
        summary: asText(operation.summary),
        description: asText(operation.description),
        auth,
        parameters,
        responses,
        example: example(upper, path, parameters, auth, inputs),
      });
    }
  }
  return operations;
}

/** The actions an API key may be given, as exchange-api.yaml's createApiKey declares them. */
export function apiKeyActions(exchangeApi: Json): string[] {
  const schema = asObject(
    asObject(
      asObject(asObject(asObject(asObject(exchangeApi.paths)['/v1/api-keys']).post).requestBody)
        .content,
    )['application/json'],
  ).schema;
  const items = asObject(asObject(asObject(asObject(schema).properties).actions).items);
  return Array.isArray(items.enum) ? items.enum.map(String) : [];
}
