/**
 * The developer center's API documentation, built from the OpenAPI documents in schemas/openapi
 * (the same files the services validate their requests against), so the documentation cannot
 * drift from the APIs. Pure: the caller loads the documents (openApiResolver.ts).
 */
import type { CodePlaceholders } from './codePlaceholders.ts';
import { asObject, OpenApiResolver, type Json } from './openApiResolver.ts';

export interface DocParameter {
  name: string;
  in: string;
  required: boolean;
  description: string;
  /** what the schema allows, e.g. `integer, 1–1000, = 100` */
  allowed: string;
}

/** One top-level field of a request body. */
export interface DocField {
  name: string;
  /** e.g. `string`, `integer, 1–100`, `array of string`, `ResourceInput` */
  type: string;
  required: boolean;
  description: string;
}

export interface DocRequestBody {
  mediaType: string;
  required: boolean;
  description: string;
  /** top-level properties of an object body; empty for other bodies (files, arrays) */
  fields: DocField[];
}

export interface DocResponse {
  status: string;
  description: string;
}

/** How a caller may authenticate: no credentials, an API key, or an OIDC bearer token. */
export type AuthMode = 'anonymous' | 'apiKey' | 'bearer';

export interface DocOperation {
  id: string;
  method: string;
  path: string;
  /** the operation's first tag (the section it is listed under) */
  tag: string;
  summary: string;
  description: string;
  /** the least a caller needs: none, an API key, or a bearer token */
  auth: AuthMode;
  /** every way the spec accepts, in its order */
  authModes: AuthMode[];
  /** who may call, as the spec states it (security scopes, or the summary's parenthesis) */
  roles: string;
  parameters: DocParameter[];
  requestBody?: DocRequestBody;
  responses: DocResponse[];
  /** a curl request with placeholders, ready to adapt */
  example: string;
}

export interface DocTagGroup {
  tag: string;
  operations: DocOperation[];
}

export interface DocService {
  /** the spec's file name without `.yaml`: exchange-api, catalog, connectors */
  id: string;
  title: string;
  description: string;
  baseUrl: string;
  operations: DocOperation[];
}

export interface BuildServiceDocsOptions {
  resolver: OpenApiResolver;
  /** the service's root document, relative to the schemas folder (`openapi/catalog.yaml`) */
  file: string;
  /** the service as a developer reaches it */
  baseUrl: string;
  apiKeyHeader: string;
  /** only operations whose path starts with this */
  prefix?: string;
  /** a real open dataset's code for the examples (otherwise a placeholder) */
  exampleCode?: string;
  /** what the examples show where the developer puts their own key, token or file */
  placeholders: CodePlaceholders;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const UNTAGGED = '其他';

const asText = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

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

/** A field's type in a few words: named schemas by name, arrays by their items. */
function typeOf(raw: unknown, file: string, resolver: OpenApiResolver): string {
  const name = OpenApiResolver.refName(raw);
  const { node, file: at } = resolver.resolve(raw, file);
  if (node.type === 'array' || (Array.isArray(node.type) && node.type.includes('array'))) {
    return `array of ${typeOf(node.items, at, resolver) || 'any'}`;
  }
  const variants = [node.oneOf, node.anyOf].find(Array.isArray) as unknown[] | undefined;
  if (!node.type && !node.enum && variants) {
    return variants.map((v) => typeOf(v, at, resolver)).join(' | ');
  }
  const described = allowed(node);
  if (name && (node.type === 'object' || !described)) return name;
  return described || name || 'any';
}

/**
 * The top-level properties of an object schema, `allOf` parts merged; a property is required
 * when any part requires it. Variants (`oneOf`, `anyOf`) add their properties as optional.
 */
function objectFields(
  raw: unknown,
  file: string,
  resolver: OpenApiResolver,
  depth = 0,
): DocField[] {
  if (depth > 4) return [];
  const { node, file: at } = resolver.resolve(raw, file);
  const fields = new Map<string, DocField>();
  const required = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
  for (const [name, prop] of Object.entries(asObject(node.properties))) {
    fields.set(name, {
      name,
      type: typeOf(prop, at, resolver),
      required: required.has(name),
      description: asText(resolver.resolve(prop, at).node.description),
    });
  }
  const merge = (parts: unknown, optional: boolean) => {
    if (!Array.isArray(parts)) return;
    for (const part of parts) {
      for (const field of objectFields(part, at, resolver, depth + 1)) {
        const known = fields.get(field.name);
        const isRequired = !optional && (field.required || required.has(field.name));
        if (!known) fields.set(field.name, { ...field, required: isRequired });
        else if (isRequired) known.required = true;
      }
    }
  };
  merge(node.allOf, false);
  merge(node.oneOf, true);
  merge(node.anyOf, true);
  return [...fields.values()];
}

function requestBodyOf(
  operation: Json,
  file: string,
  resolver: OpenApiResolver,
): DocRequestBody | undefined {
  if (!operation.requestBody) return undefined;
  const { node: body, file: at } = resolver.resolve(operation.requestBody, file);
  const [mediaType, media] = Object.entries(asObject(body.content))[0] ?? [];
  if (!mediaType) return undefined;
  return {
    mediaType,
    required: body.required === true,
    description: asText(body.description),
    fields: objectFields(asObject(media).schema, at, resolver),
  };
}

const ROLE_WORDS =
  /steward|approver|admin|auditor|system|developer|provider|consumer|raiser|applicant|管理员|审核|部门/i;

/**
 * Who may call. OpenAPI has one place for it, the scopes of a security requirement; these
 * specs state it in the summary's closing parenthesis instead ("… (the provider's steward)"),
 * so that is read when it names a role.
 */
function rolesOf(security: Json[], summary: string): string {
  const scopes = security.flatMap((s) => Object.values(s).flat().map(String));
  if (scopes.length) return [...new Set(scopes)].join(', ');
  const last = /\(([^()]+)\)\s*$/.exec(summary)?.[1]?.trim() ?? '';
  return ROLE_WORDS.test(last) ? last : '';
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A placeholder JSON body: each required field (all fields when none is required). */
function bodyExample(body: DocRequestBody): string {
  const shown = body.fields.some((f) => f.required)
    ? body.fields.filter((f) => f.required)
    : body.fields;
  const value = (field: DocField): unknown => {
    if (field.type.startsWith('array')) return [];
    if (/^integer|^number/.test(field.type)) return 0;
    if (field.type === 'boolean') return false;
    if (/^[A-Z]/.test(field.type) || field.type.startsWith('object')) return {};
    return `<${field.name}>`;
  };
  return JSON.stringify(Object.fromEntries(shown.map((f) => [f.name, value(f)])));
}

function example(
  op: Pick<DocOperation, 'method' | 'path' | 'parameters' | 'auth' | 'requestBody'>,
  options: BuildServiceDocsOptions,
): string {
  const concrete = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    name === 'code' && options.exampleCode ? options.exampleCode : `<${name}>`,
  );
  const required = op.parameters.filter((p) => p.in === 'query' && p.required);
  const query = required.map((p) => `${p.name}=<${p.name}>`).join('&');
  const url = `${options.baseUrl}${concrete}${query ? `?${query}` : ''}`;
  const parts = ['curl'];
  if (op.method !== 'GET') parts.push(`-X ${op.method}`);
  if (op.auth === 'apiKey')
    parts.push(`-H ${shellQuote(`${options.apiKeyHeader}: ${options.placeholders.apiKey}`)}`);
  if (op.auth === 'bearer')
    parts.push(`-H ${shellQuote(`Authorization: Bearer ${options.placeholders.accessToken}`)}`);
  // every declared header: some are optional to the validator but needed in practice (X-Purpose)
  for (const header of op.parameters.filter((p) => p.in === 'header'))
    parts.push(`-H ${shellQuote(`${header.name}: <${header.name}>`)}`);
  const body = op.requestBody;
  if (body?.mediaType === 'application/json') {
    parts.push(`-H ${shellQuote('Content-Type: application/json')}`);
    parts.push(`-d ${shellQuote(bodyExample(body))}`);
  } else if (body?.mediaType.startsWith('multipart/')) {
    parts.push(`-F ${shellQuote(`file=@${options.placeholders.file}`)}`);
  } else if (body) {
    parts.push(`-H ${shellQuote(`Content-Type: ${body.mediaType}`)}`);
    parts.push(`--data-binary ${shellQuote(`@${options.placeholders.file}`)}`);
  }
  parts.push(shellQuote(url));
  return parts.join(' \\\n  ');
}

function authModesOf(security: Json[]): AuthMode[] {
  if (security.length === 0) return ['anonymous'];
  const modes = new Set<AuthMode>();
  for (const requirement of security) {
    const names = Object.keys(requirement);
    if (names.length === 0) modes.add('anonymous');
    else if (names.includes('apiKey')) modes.add('apiKey');
    else modes.add('bearer');
  }
  return (['anonymous', 'apiKey', 'bearer'] as const).filter((m) => modes.has(m));
}

/**
 * Every operation of one service's spec (or those under `prefix`), in document order, with path
 * items and their parts followed into the side files they live in.
 */
export function buildServiceDocs(options: BuildServiceDocsOptions): DocService {
  const { resolver, file } = options;
  const root = resolver.document(file);
  const info = asObject(root.info);
  const rootSecurity = Array.isArray(root.security) ? root.security.map(asObject) : undefined;
  const operations: DocOperation[] = [];
  for (const [path, rawItem] of Object.entries(asObject(root.paths))) {
    if (options.prefix && !path.startsWith(options.prefix)) continue;
    const { node: item, file: itemFile } = resolver.resolve(rawItem, file);
    for (const method of METHODS) {
      const operation = asObject(item[method]);
      if (!Object.keys(operation).length) continue;
      const security = Array.isArray(operation.security)
        ? operation.security.map(asObject)
        : (rootSecurity ?? []);
      const authModes = authModesOf(security);
      const rawParameters = [
        ...(Array.isArray(item.parameters) ? item.parameters : []),
        ...(Array.isArray(operation.parameters) ? operation.parameters : []),
      ];
      // an operation's parameter overrides the path item's of the same name and place
      const byKey = new Map<string, DocParameter>();
      for (const raw of rawParameters) {
        const p = resolver.resolve(raw, itemFile).node;
        const parameter: DocParameter = {
          name: asText(p.name),
          in: asText(p.in),
          required: p.required === true,
          description: asText(p.description),
          allowed: allowed(resolver.resolve(p.schema, itemFile).node),
        };
        byKey.set(`${parameter.in}:${parameter.name}`, parameter);
      }
      const responses = Object.entries(asObject(operation.responses)).map(
        ([status, raw]): DocResponse => ({
          status,
          description: asText(resolver.resolve(raw, itemFile).node.description),
        }),
      );
      const summary = asText(operation.summary);
      const tags = Array.isArray(operation.tags) ? operation.tags.map(String) : [];
      const op = {
        id: asText(operation.operationId) || `${method}-${path}`,
        method: method.toUpperCase(),
        path,
        tag: tags[0] ?? UNTAGGED,
        summary,
        description: asText(operation.description),
        auth: authModes[0]!,
        authModes,
        roles: rolesOf(security, summary),
        parameters: [...byKey.values()],
        requestBody: requestBodyOf(operation, itemFile, resolver),
        responses,
      };
      operations.push({ ...op, example: example(op, options) });
    }
  }
  return {
    id: file.replace(/^.*\//, '').replace(/\.ya?ml$/, ''),
    title: asText(info.title),
    description: asText(info.description),
    baseUrl: options.baseUrl,
    operations,
  };
}

/** Operations grouped by their first tag, groups in the order their first operation appears. */
export function groupByTag(operations: readonly DocOperation[]): DocTagGroup[] {
  const groups = new Map<string, DocOperation[]>();
  for (const op of operations) {
    const group = groups.get(op.tag) ?? [];
    group.push(op);
    groups.set(op.tag, group);
  }
  return [...groups].map(([tag, ops]) => ({ tag, operations: ops }));
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
