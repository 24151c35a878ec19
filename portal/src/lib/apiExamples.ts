/**
 * The dataset page's API tab: ready-to-copy requests generated from the exchange's OpenAPI
 * description (schemas/openapi/exchange-open.yaml), not written by hand, so they cannot drift
 * from the API. Pure: the caller loads and parses the document.
 */

import type { CodePlaceholders } from './codePlaceholders.ts';

interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: {
    type?: string | string[];
    default?: unknown;
    enum?: unknown[];
    minimum?: number;
    maximum?: number;
    maxLength?: number;
  };
}

interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: Record<string, unknown>[];
  parameters?: ParameterObject[];
}

type PathItem = { parameters?: ParameterObject[] } & Partial<Record<'get', OperationObject>>;

export interface OpenApiDocument {
  paths?: Record<string, PathItem>;
}

export interface ApiExampleParameter {
  name: string;
  in: string;
  required: boolean;
  description: string;
  /** what the schema allows, e.g. `integer, 1–50, default 20` or `csv | json | xlsx` */
  allowed: string;
  /** the value the examples use, if they use the parameter */
  example?: string | number;
}

export interface ApiExample {
  operationId: string;
  method: 'GET';
  path: string;
  summary: string;
  /** whether this dataset can be called without an API key on this operation */
  anonymous: boolean;
  parameters: ApiExampleParameter[];
  url: string;
  curl: string;
  typescript: string;
}

export interface BuildApiExamplesOptions {
  document: OpenApiDocument;
  /** the exchange as a developer reaches it */
  baseUrl: string;
  /** the dataset's resource code */
  code: string;
  /** 无条件开放 datasets may be previewed and downloaded anonymously; 有条件开放 ones may not */
  openType: 'open' | 'conditional' | 'none';
  /** the header carrying the API key (common.yaml: securitySchemes.apiKey.name) */
  apiKeyHeader: string;
  /** a real record key of the dataset, for the one-record example */
  exampleKey?: string;
  /** what the examples show where the developer puts their own key, in the page's language */
  placeholders: CodePlaceholders;
}

const OPEN_PREFIX = '/v1/open/resources/{code}';

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const tsString = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function exampleValue(
  parameter: ParameterObject,
  options: BuildApiExamplesOptions,
): string | number | undefined {
  if (parameter.in === 'path') {
    if (parameter.name === 'code') return options.code;
    if (parameter.name === 'key') return options.exampleKey ?? options.placeholders.recordKey;
    return `<${parameter.name}>`;
  }
  const fallback = parameter.schema?.default;
  if (typeof fallback === 'string' || typeof fallback === 'number') return fallback;
  if (parameter.required) {
    const first = parameter.schema?.enum?.[0];
    return typeof first === 'string' || typeof first === 'number' ? first : `<${parameter.name}>`;
  }
  return undefined;
}

/** `{ code: '…', limit: 20 }` */
function tsObject(entries: [string, string | number][]): string {
  const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : tsString(k));
  const value = (v: string | number) => (typeof v === 'number' ? String(v) : tsString(v));
  return `{ ${entries.map(([k, v]) => `${key(k)}: ${value(v)}`).join(', ')} }`;
}

function allowedValues(parameter: ParameterObject): string {
  const schema = parameter.schema ?? {};
  const parts: string[] = [];
  if (schema.enum) parts.push(schema.enum.map(String).join(' | '));
  else if (schema.type) parts.push([schema.type].flat().join(' | '));
  if (schema.minimum !== undefined || schema.maximum !== undefined) {
    parts.push(`${schema.minimum ?? ''}–${schema.maximum ?? ''}`);
  }
  if (schema.maxLength !== undefined) parts.push(`≤ ${schema.maxLength}`);
  if (schema.default !== undefined) parts.push(`= ${String(schema.default)}`);
  return parts.join(', ');
}

export function buildApiExamples(options: BuildApiExamplesOptions): ApiExample[] {
  const examples: ApiExample[] = [];
  for (const [path, item] of Object.entries(options.document.paths ?? {})) {
    const operation = item.get;
    if (!operation || !path.startsWith(OPEN_PREFIX)) continue;
    const anonymousAllowed = (operation.security ?? []).some((s) => Object.keys(s).length === 0);
    const anonymous = anonymousAllowed && options.openType === 'open';
    const parameters: ApiExampleParameter[] = [
      ...(item.parameters ?? []),
      ...(operation.parameters ?? []),
    ].map((p) => ({
      name: p.name,
      in: p.in,
      required: Boolean(p.required),
      description: (p.description ?? '').trim(),
      allowed: allowedValues(p),
      example: exampleValue(p, options),
    }));
    const pathValues = parameters.filter((p) => p.in === 'path' && p.example !== undefined);
    const queryValues = parameters.filter((p) => p.in === 'query' && p.example !== undefined);
    const concretePath = pathValues.reduce(
      (acc, p) => acc.replace(`{${p.name}}`, encodeURIComponent(String(p.example))),
      path,
    );
    const query = new URLSearchParams(
      queryValues.map((p): [string, string] => [p.name, String(p.example)]),
    );
    const url = `${options.baseUrl}${concretePath}${query.size ? `?${query}` : ''}`;
    const isDownload = path.endsWith('/download');

    const command = `curl${isDownload ? ' -OJ' : ''}`;
    const curl = anonymous
      ? `${command} ${shellQuote(url)}`
      : `${command} -H ${shellQuote(`${options.apiKeyHeader}: ${options.placeholders.apiKey}`)} \\\n  ${shellQuote(url)}`;

    const params: string[] = [];
    const entries = (list: ApiExampleParameter[]) =>
      list.map((p): [string, string | number] => [p.name, p.example!]);
    if (pathValues.length) params.push(`    path: ${tsObject(entries(pathValues))},`);
    if (queryValues.length) params.push(`    query: ${tsObject(entries(queryValues))},`);
    const typescript = [
      `import createClient from 'openapi-fetch';`,
      `import type { paths } from './exchange-api'; // ${options.placeholders.generatedBy}`,
      ``,
      `const client = createClient<paths>({`,
      `  baseUrl: ${tsString(options.baseUrl)},`,
      ...(anonymous
        ? []
        : [`  headers: { ${tsString(options.apiKeyHeader)}: process.env.GX_API_KEY },`]),
      `});`,
      ``,
      `const { data, error } = await client.GET(${tsString(path)}, {`,
      `  params: {`,
      ...params,
      `  },`,
      ...(isDownload ? [`  parseAs: 'text',`] : []),
      `});`,
    ].join('\n');

    examples.push({
      operationId: operation.operationId ?? path,
      method: 'GET',
      path,
      summary: (operation.summary ?? '').trim(),
      anonymous,
      parameters,
      url,
      curl,
      typescript,
    });
  }
  return examples;
}
